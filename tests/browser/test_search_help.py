"""A researcher mistypes a word, follows "Did you mean", and finds the testimonies."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.support import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def archive():
    factories.publish_testimony(title="Kept in the shelter", body="The shelter was locked.")
    factories.publish_testimony(title="Another account", body="A shelter far from home.")


class SuggestionTests:
    def test_follow_the_suggested_spelling(self, live_server, page, archive):
        page.goto(f"{live_server.url}/testimonies/")
        page.locator("#q").fill("sheltr")
        page.locator("#q").press("Enter")
        expect(page.locator("#results-heading")).to_contain_text("0 testimonies")
        suggestion = page.locator(".hint-spelling a")
        expect(suggestion).to_have_text("shelter")
        screenshot(page, "search-did-you-mean")

        suggestion.click()
        expect(page).to_have_url(re.compile(r"q=shelter(&|$)"))
        expect(page.locator("#results-heading")).to_contain_text("2 testimonies")
        expect(page.locator("#q")).to_have_value("shelter")
        expect(page.locator("article.hit h3 mark").first).to_have_text(re.compile("shelter", re.I))
        expect(page.locator(".hint-spelling")).to_have_count(0)
