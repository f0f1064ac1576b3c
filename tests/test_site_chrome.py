"""The header and footer, prepared once per language: the same on every page, in the
reader's language, with nothing of one request carried into the next."""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import html

from tests.support import factories

pytestmark = pytest.mark.django_db


def tree(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def chrome(page) -> str:
    """The header and footer as text, minus the page's own ``next``."""
    parts = []
    for selector in (".skip-link", ".site-header", ".site-footer"):
        for element in page.cssselect(selector):
            for hidden in element.cssselect("input[name=next]"):
                hidden.drop_tree()
            parts.append(html.tostring(element, encoding="unicode"))
    return "\n".join(parts)


def test_each_page_keeps_its_own_address_in_the_language_switcher(client):
    first = factories.publish_testimony(title="First account")
    second = factories.publish_testimony(title="Second account")
    for record in (first, second, first):
        path = record.get_absolute_url() + "?paragraph=1"
        page = tree(client.get(path))
        assert page.cssselect(".language-switcher input[name=next]")[0].get("value") == path


def test_the_chrome_follows_the_reader_s_language_request_by_request(client):
    record = factories.publish_testimony()
    url = record.get_absolute_url()
    thai = Client()
    thai.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    pages = {}
    for reader, language in ((client, "en"), (thai, "th"), (client, "en"), (thai, "th")):
        page = tree(reader.get(url))
        pages.setdefault(language, set()).add(chrome(page))
        current = page.cssselect(".language-switcher .current-language")[0]
        assert current.get("lang") == language
        skip = page.cssselect(".skip-link")[0].text
        assert skip == ("Skip to content" if language == "en" else "ข้ามไปยังเนื้อหา")
        footer_link = page.cssselect(".footer-nav a")[0]
        assert footer_link.get("href") == reverse("pages:about")
    # Once prepared, the chrome of a language is the same text on every request.
    assert len(pages["en"]) == 1 and len(pages["th"]) == 1
    assert pages["en"] != pages["th"]


def test_the_chrome_is_the_same_on_every_kind_of_page(client):
    record = factories.publish_testimony()
    urls = ["/", reverse("testimonies:testimony_list"), record.get_absolute_url(), "/no-such-page/"]
    chromes = set()
    for url in urls:
        response = client.get(url)
        chromes.add(chrome(html.fromstring(response.content)))
    assert len(chromes) == 1


def test_the_prepared_text_sees_no_request_variable(rf):
    # A variable put inside by mistake shows empty from the first request on,
    # never one reader's value to the next.
    template = Template(
        "{% load chrome %}[{% prepared %}{{ request.path }}{{ user }}{% endprepared %}]"
    )
    for path in ("/a/", "/b/"):
        request = rf.get(path)
        with translation.override("en"):
            assert template.render(Context({"request": request, "user": "someone"})) == "[]"


def test_a_prepared_block_is_kept_per_language():
    template = Template(
        '{% load chrome i18n %}{% prepared %}{% translate "Testimonies" %}{% endprepared %}'
    )
    with translation.override("en"):
        assert template.render(Context()) == "Testimonies"
    with translation.override("th"):
        assert template.render(Context()) == "คำให้การ"
    with translation.override("en"):
        assert template.render(Context()) == "Testimonies"


def test_prepared_takes_no_arguments():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load chrome %}{% prepared something %}{% endprepared %}")
