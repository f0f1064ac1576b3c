"""Every page type tells search engines and link previews what it is, and the site has an icon."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from lxml import html

from pages.models import Page
from pages.services import pages_seed
from tests.support import factories

pytestmark = pytest.mark.django_db


def descriptions(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    tree = html.fromstring(response.content)
    return [meta.get("content") for meta in tree.cssselect('head meta[name="description"]')]


@pytest.fixture
def records():
    law = factories.make_law(summary="An act about the things this test looks for in a preview.")
    clause = factories.make_clause(law=law, summary="What this clause obliges the police to do.")
    testimony = factories.publish_testimony(
        title="A night in the shelter", summary="She tells how the raid ended in a shelter."
    )
    incident = factories.publish_incident(description="Police came to the bar at night.")
    return law, clause, testimony, incident


class DescriptionTests:
    def test_each_page_type_has_exactly_one_of_its_own(self, client, records):
        pages_seed()
        law, clause, testimony, incident = records
        pages = {
            "home": "/",
            "search": "/testimonies/?q=shelter",
            "testimony": testimony.get_absolute_url(),
            "law": law.get_absolute_url(),
            "clause": clause.get_absolute_url(),
            "incident": incident.get_absolute_url(),
            "law list": "/laws/",
            "raid list": "/incidents/",
            **{f"page {slug}": f"/{slug}/" for slug in Page.Slug.values},
        }
        found = {}
        for name, url in pages.items():
            (description,) = descriptions(client.get(url))
            assert 30 <= len(description) <= 320, (name, description)
            found[name] = description
        assert "She tells how the raid ended in a shelter." in found["testimony"]
        assert "An act about the things" in found["law"]
        assert "What this clause obliges the police to do." in found["clause"]
        assert "Police came to the bar at night." in found["incident"]
        assert "“shelter”" in found["search"] and found["search"].startswith("1 ")
        about = Page.objects.get(slug="about")
        assert found["page about"][:40] in html.fromstring(about.body_en).text_content()
        # Pages that describe different things do not share one sentence.
        assert len(set(found.values())) == len(found)

    def test_a_search_word_cannot_break_out_of_the_attribute(self, client):
        (description,) = descriptions(client.get('/testimonies/?q="><script>x</script>'))
        assert "<script>x</script>" in description  # kept as text, in the attribute

    def test_thai_readers_get_a_thai_description(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        (description,) = descriptions(client.get("/"))
        assert any("\u0e00" <= char <= "\u0e7f" for char in description), description


class IconTests:
    @pytest.mark.parametrize(
        ("path", "content_type"),
        [("/favicon.ico", "image/x-icon"), ("/apple-touch-icon.png", "image/png")],
    )
    def test_the_root_icons_answer(self, path, content_type):
        response = Client().get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        body = b"".join(response.streaming_content)
        # An .ico file's header, or a PNG's signature.
        assert body[:4] == b"\x00\x00\x01\x00" or body[:8] == b"\x89PNG\r\n\x1a\n"

    def test_every_page_links_the_icon(self, client):
        tree = html.fromstring(client.get("/laws/").content)
        hrefs = {link.get("href") for link in tree.cssselect("head link[rel=icon]")}
        assert "/favicon.ico" in hrefs
        (svg,) = [href for href in hrefs if href.endswith(".svg")]
        found = finders.find(svg.removeprefix(settings.STATIC_URL).removeprefix("/static/"))
        assert found and "<svg" in Path(found).read_text(encoding="utf-8")
