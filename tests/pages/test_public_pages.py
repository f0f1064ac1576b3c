"""The archive's own pages: addresses, both languages, the footer, and what each adds."""

import pytest
from django.conf import settings
from django.urls import reverse
from lxml import html

from archive import licences
from pages.models import Page
from tests.support import factories

pytestmark = pytest.mark.django_db

SLUGS = Page.Slug.values


def in_thai(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


def tree(response):
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content)


def title(page) -> tuple[str, str | None]:
    heading = page.cssselect("h1#page-title")[0]
    return heading.text_content(), heading.get("lang")


class AddressTests:
    def test_every_page_answers_at_its_address(self, client, seeded_pages):
        assert sorted(seeded_pages) == sorted(SLUGS)
        for slug in SLUGS:
            page = Page.objects.get(slug=slug)
            assert page.get_absolute_url() == f"/{slug}/"
            assert title(tree(client.get(f"/{slug}/"))) == (page.title_en, "en")

    def test_a_page_costs_one_query(self, client, seeded_pages, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert client.get("/methodology/").status_code == 200

    def test_a_page_not_written_yet_is_a_404(self, client):
        assert client.get(reverse("pages:about")).status_code == 404

    def test_the_footer_of_every_kind_of_page_links_every_page(self, client, seeded_pages):
        testimony = factories.publish_testimony()
        for url in ("/", "/testimonies/", testimony.get_absolute_url(), "/laws/", "/about/"):
            footer = tree(client.get(url)).cssselect("footer nav.footer-nav")[0]
            links = [a.get("href") for a in footer.cssselect("a")]
            assert sorted(links) == sorted(f"/{slug}/" for slug in SLUGS), url


class LanguageTests:
    def test_thai_readers_get_the_thai_text(self, client, seeded_pages):
        about = Page.objects.get(slug="about")
        page = tree(in_thai(client).get("/about/"))
        assert page.get("lang") == "th"
        assert title(page) == (about.title_th, "th")
        assert page.cssselect(".page-body")[0].get("lang") == "th"
        assert not page.cssselect(".english-only")

    def test_the_browser_language_is_enough(self, client, seeded_pages):
        response = client.get("/about/", headers={"accept-language": "th-TH,th;q=0.9"})
        assert title(tree(response)) == (Page.objects.get(slug="about").title_th, "th")

    def test_a_page_in_english_only_says_so_in_thai(self, client, seeded_pages):
        Page.objects.filter(slug="methodology").update(title_th="", body_th="")
        methodology = Page.objects.get(slug="methodology")
        page = tree(in_thai(client).get("/methodology/"))
        assert page.get("lang") == "th"  # the interface stays Thai
        assert title(page) == (methodology.title_en, "en")
        assert page.cssselect(".page-body")[0].get("lang") == "en"
        note = page.cssselect(".english-only")[0].text_content()
        assert note == "หน้านี้มีเฉพาะภาษาอังกฤษ ยังไม่ได้แปลเป็นภาษาไทย"
        # English readers are told nothing: for them nothing is missing.
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert not tree(client.get("/methodology/")).cssselect(".english-only")

    def test_the_page_title_in_the_tab_is_the_pages_own(self, client, seeded_pages):
        page = tree(in_thai(client).get("/consent/"))
        assert page.findtext(".//title").startswith(Page.objects.get(slug="consent").title_th)


class MarkupTests:
    def test_staff_html_is_shown_as_typed(self, client, seeded_pages):
        Page.objects.filter(slug="about").update(
            body_en='## Who\n\n<script>alert("x")</script>\n\n- [Search](/testimonies/)'
        )
        body = client.get("/about/").content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
        page = tree(client.get("/about/"))
        assert page.cssselect(".page-body h2")[0].text == "Who"
        assert page.cssselect(".page-body li a")[0].get("href") == "/testimonies/"

    def test_the_seed_texts_links_lead_to_pages_that_answer(self, client, seeded_pages):
        for slug in SLUGS:
            for language in ("en", "th"):
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                for a in tree(client.get(f"/{slug}/")).cssselect(".page-body a"):
                    href = a.get("href")
                    if href.startswith("/"):
                        assert client.get(href).status_code == 200, (slug, language, href)


class WhatEachPageAddsTests:
    def test_contact_shows_the_configured_address(self, client, seeded_pages, settings):
        settings.ARCHIVE_CONTACT_EMAIL = "editors@testimony-archive.test"
        link = tree(client.get("/contact/")).cssselect(".contact-email a")[0]
        assert link.get("href") == "mailto:editors@testimony-archive.test"
        assert link.text == "editors@testimony-archive.test"

    @pytest.mark.parametrize("slug", ["cite", "open-data"])
    def test_licences_come_from_the_one_place_that_names_them(self, client, seeded_pages, slug):
        page = tree(client.get(f"/{slug}/"))
        links = [a.get("href") for a in page.cssselect(".licences a[rel=license]")]
        assert links == [licences.TEXTS.url, licences.DATA.url]
        text = page.cssselect(".licences")[0].text_content()
        assert licences.TEXTS.name in text and licences.DATA.name in text

    def test_every_open_data_example_answers(self, client, seeded_pages):
        factories.make_clause()  # concerns no testimony: its feed would be an empty example
        clause = factories.make_clause()
        testimony = factories.make_testimony(title="A shelter for months")
        testimony.clause_links.create(clause=clause, relation="violated")
        testimony = factories.publish_testimony(testimony)
        page = tree(client.get("/open-data/"))
        examples = [a.get("href") for a in page.cssselect("ul.examples a")]
        # The walk below is only as good as the list: it names every service.
        for expected in (
            "/api/testimonies/?q=shelter",
            f"/api/testimonies/{testimony.public_id}/",
            "/api/docs/",
            "/api/schema/",
            "/testimonies/export.csv?q=shelter",
            "/feeds/testimonies/",
            "/feeds/search/?q=shelter",
            f"/laws/{clause.law.slug}/{clause.slug}/feed/",
            "/oai?verb=Identify",
            "/oai?verb=ListRecords&metadataPrefix=oai_dc",
            "/sitemap.xml",
        ):
            assert expected in examples
        for href in examples:
            response = client.get(href)
            assert response.status_code == 200, href
            if "feed" in href:
                assert testimony.public_id in response.content.decode(), href
            if href.startswith("/oai"):
                assert b"<error" not in response.content, href
        shown = page.cssselect("ul.examples code")
        assert [code.text for code in shown] == examples  # the address shown is the one linked

    def test_without_records_the_examples_that_need_one_are_left_out(self, client, seeded_pages):
        examples = [
            a.get("href") for a in tree(client.get("/open-data/")).cssselect("ul.examples a")
        ]
        assert not any(href.startswith("/api/testimonies/T-") for href in examples)
        assert not any(href.endswith("/feed/") and href.startswith("/laws/") for href in examples)
