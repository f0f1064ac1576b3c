"""A researcher narrows a search, then downloads it as CSV and finds its feed."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_search_facets import open_facets, results_heading
from tests.support import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def archive():
    factories.publish_testimony(title="Shelter account one", nationality="burmese")
    factories.publish_testimony(title="ที่พักพิงสอง", nationality="burmese", language="th")
    factories.publish_testimony(title="Shelter account three", nationality="thai")


class OpenDataLinkTests:
    def test_the_csv_link_downloads_the_search_on_screen(self, live_server, page, archive):
        page.goto(f"{live_server.url}/testimonies/")
        expect(results_heading(page)).to_contain_text("3 testimonies")
        open_facets(page)
        page.get_by_role("checkbox", name=re.compile(r"^Burmese")).check()
        expect(results_heading(page)).to_contain_text("2 testimonies")

        with page.expect_download() as download_info:
            page.get_by_role("link", name="for Excel").click()
        download = download_info.value
        assert download.suggested_filename == "testimonies.csv"
        raw = Path(download.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        titles = [row["title"] for row in rows]
        shown = page.locator("article.hit h3").all_inner_texts()
        assert titles == shown
        assert "ที่พักพิงสอง" in titles

        feed = page.get_by_role("link", name="Atom feed of new matches")
        expect(feed).to_have_attribute("href", re.compile(r"nationality=burmese"))
        atom = page.request.get(f"{live_server.url}{feed.get_attribute('href')}")
        assert atom.ok and "Shelter account one" in atom.text()
        assert "Shelter account three" not in atom.text()
