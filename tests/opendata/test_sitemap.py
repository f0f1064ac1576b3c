"""The sitemap lists every public record page and nothing else; robots.txt points to it."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.urls import reverse

from laws.models import Clause, Law
from pages.models import Page
from pages.services import pages_seed

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [loc.text for loc in ET.fromstring(response.content).iterfind(".//sm:loc", NS)]


class SitemapTests:
    def test_every_public_record_page_once_and_nothing_else(self, client, open_archive):
        pages_seed()
        sections = locations(client, reverse("opendata:sitemap"))
        assert len(sections) == 5
        pages = []
        for section in sections:
            pages += locations(client, section.removeprefix("http://testserver"))
        expected = [
            *(t.get_absolute_url() for t in open_archive["published"]),
            open_archive["incident"].get_absolute_url(),
            *(law.get_absolute_url() for law in Law.objects.all()),
            *(clause.get_absolute_url() for clause in Clause.objects.all()),
            *(page.get_absolute_url() for page in Page.objects.all()),
        ]
        assert len(Page.objects.all()) == len(Page.Slug.values)
        assert sorted(pages) == sorted(f"http://testserver{path}" for path in expected)
        for page in pages:
            assert client.get(page.removeprefix("http://testserver")).status_code == 200

    def test_testimony_entries_carry_their_publication_time(self, client, open_archive):
        response = client.get(
            reverse("opendata:sitemap_section", kwargs={"section": "testimonies"})
        )
        root = ET.fromstring(response.content)
        assert len(root.findall(".//sm:lastmod", NS)) == len(open_archive["published"])
        index = ET.fromstring(client.get(reverse("opendata:sitemap")).content)
        section = next(
            entry
            for entry in index.iterfind("sm:sitemap", NS)
            if entry.findtext("sm:loc", namespaces=NS).endswith("/sitemap-testimonies.xml")
        )
        latest = max(t.published_at for t in open_archive["published"])
        assert datetime.fromisoformat(section.findtext("sm:lastmod", namespaces=NS)) == latest

    def test_robots_txt_names_the_sitemap(self, client, open_archive):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert "Sitemap: http://testserver/sitemap.xml" in lines
        assert "Disallow: /testimonies/export.csv" in lines
        assert "Disallow: /testimonies/" not in lines

    def test_robots_txt_keeps_crawlers_off_filtered_practice_files_only(self, client, open_archive):
        rules = [
            line.removeprefix("Disallow: ")
            for line in client.get("/robots.txt").content.decode().splitlines()
            if line.startswith("Disallow: ")
        ]

        def disallowed(path: str) -> bool:
            # RFC 9309: a rule matches a path that starts with it, '*' matching any run.
            return any(re.match(re.escape(rule).replace(r"\*", ".*"), path) for rule in rules)

        assert disallowed("/laws/practice.csv?violation=forced-medical")
        assert disallowed("/laws/atipa-2008/s-29/practice.csv?year_min=2010")
        assert not disallowed("/laws/practice.csv")
        assert not disallowed("/laws/atipa-2008/practice.csv")
        assert not disallowed("/laws/atipa-2008/s-29/")
