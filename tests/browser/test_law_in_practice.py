"""A researcher goes from a filtered search to the laws in practice, and takes the numbers away."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from testimonies.models import TestimonyClause
from tests.browser.test_search_facets import open_facets, results_heading
from tests.support import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def archive():
    act = factories.make_law(short_name="Act Used")
    other = factories.make_law(short_name="Act Ignored")
    clause, other_clause = factories.make_clause(law=act), factories.make_clause(law=other)
    for nationality, target in (("burmese", clause), ("burmese", clause), ("thai", other_clause)):
        testimony = factories.make_testimony(nationality=nationality)
        TestimonyClause.objects.create(testimony=testimony, clause=target, relation="invoked")
        factories.publish_testimony(testimony)
    return act


class LawInPracticeTests:
    def test_from_a_filtered_search_to_the_ranking_and_its_csv(self, live_server, page, archive):
        page.goto(f"{live_server.url}/testimonies/")
        open_facets(page)
        page.get_by_role("checkbox", name=re.compile(r"^Burmese")).check()
        expect(results_heading(page)).to_contain_text("2 testimonies")

        page.get_by_role("link", name="These testimonies by law, in practice").click()
        expect(page).to_have_url(re.compile(r"/laws/\?nationality=burmese(&sort=\w+)?#practice$"))
        ranking = page.locator("figure", has=page.locator("#practice-invoked-caption"))
        # Only the Burmese accounts: the act the Thai account names is not ranked.
        expect(ranking.locator("svg")).to_contain_text("Act Used")
        expect(ranking.locator("svg")).not_to_contain_text("Act Ignored")

        with page.expect_download() as download_info:
            page.locator("#practice").get_by_role("link", name="CSV", exact=True).click()
        download = download_info.value
        assert download.suggested_filename == "laws-in-practice.csv"
        rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
        assert [(row["short_name"], row["invoked"]) for row in rows] == [("Act Used", "2")]
