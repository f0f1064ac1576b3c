"""A researcher ticks a facet, sees the chip and the counts change, removes it, goes back."""

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
    factories.publish_testimony(title="Shelter account one", nationality="burmese", province="tak")
    factories.publish_testimony(title="Shelter account two", nationality="burmese", province="tak")
    factories.publish_testimony(
        title="Shelter account three", nationality="thai", province="bangkok"
    )


def results_heading(page):
    return page.locator("#results-heading")


def open_facets(page) -> None:
    """On a phone the facet panel starts folded so the results come first."""
    panel = page.locator(".facet-panel")
    is_phone = page.viewport_size["width"] < 768
    assert (panel.get_attribute("open") is None) == is_phone
    if is_phone:
        page.locator(".facet-panel > summary").click()


class FacetJourneyTests:
    def test_tick_a_facet_remove_it_and_go_back(self, live_server, page, archive):
        page.goto(f"{live_server.url}/testimonies/")
        expect(results_heading(page)).to_contain_text("3 testimonies")
        open_facets(page)
        province = page.locator("#facet-province")
        expect(province).to_contain_text("Tak")
        expect(province.locator("li", has_text="Bangkok")).to_be_visible()

        page.get_by_role("checkbox", name=re.compile(r"^Burmese")).check()
        expect(results_heading(page)).to_contain_text("2 testimonies")
        expect(page).to_have_url(re.compile(r"nationality=burmese"))
        chip = page.locator(".chip", has_text="Nationality: Burmese")
        expect(chip).to_be_visible()
        # Disjunctive counts: Bangkok (Thai only) drops out of the province facet.
        expect(page.locator("#facet-province li", has_text="Bangkok")).to_have_count(0)
        # The nationality facet itself still offers Thai, with its own count.
        expect(page.locator("#facet-nationality li", has_text="Thai")).to_contain_text("1")
        screenshot(page, "search-facet-ticked")

        chip.get_by_role("link").click()
        expect(results_heading(page)).to_contain_text("3 testimonies")
        expect(page.locator(".chip")).to_have_count(0)

        page.go_back()
        expect(page).to_have_url(re.compile(r"nationality=burmese"))
        expect(results_heading(page)).to_contain_text("2 testimonies")

    def test_works_without_javascript(self, live_server, browser, archive):
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live_server.url}/testimonies/")
        page.get_by_role("checkbox", name=re.compile(r"^Burmese")).check()
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(re.compile(r"nationality=burmese"))
        expect(results_heading(page)).to_contain_text("2 testimonies")
        context.close()
