"""Phone and desktop widths: nothing scrolls sideways, and the facets fold away on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import main_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE, DESKTOP = (375, 740), (1280, 900)


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_scrolls_sideways(live_server, browser, samples, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    wide = []
    for name, path in main_pages():
        page.goto(f"{live_server.url}{path}")
        # Open every disclosure (facets, chart tables, citations) so their content counts too.
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        if excess := overflow(page):
            wide.append(f"{name} {path}: {excess}px too wide")
        screenshot(page, f"responsive-{name}")
    context.close()
    assert not wide, wide


def test_facet_panel_folds_on_a_phone_and_toggles(live_server, browser, samples):
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]})
    page = context.new_page()
    page.goto(f"{live_server.url}/testimonies/?q=shelter")
    panel = page.locator("details.facet-panel")
    expect(panel).not_to_have_attribute("open", "")
    checkbox = page.locator("#facet-nationality input[type=checkbox]").first
    expect(checkbox).to_be_hidden()
    # The results come first, straight under the search box.
    expect(page.locator("article.hit").first).to_be_in_viewport()
    page.locator(".facet-panel > summary").click()
    expect(checkbox).to_be_visible()
    box = checkbox.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE[0]
    page.locator(".facet-panel > summary").click()
    expect(checkbox).to_be_hidden()
    context.close()


def test_desktop_shows_facets_beside_the_results(live_server, browser, samples):
    context = browser.new_context(viewport={"width": DESKTOP[0], "height": DESKTOP[1]})
    page = context.new_page()
    page.goto(f"{live_server.url}/testimonies/?q=shelter")
    expect(page.locator("details.facet-panel")).to_have_attribute("open", "")
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"]
    assert abs(facets["y"] - results["y"]) < 5
    context.close()


def test_the_facet_panel_works_without_javascript_on_a_phone(live_server, browser, samples):
    context = browser.new_context(
        viewport={"width": PHONE[0], "height": PHONE[1]}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/testimonies/")
    summary = page.locator(".facet-panel > summary")
    checkbox = page.locator("#facet-nationality input[type=checkbox]").first
    # Folded in the HTML itself, so the results come first without the script too.
    expect(checkbox).to_be_hidden()
    expect(page.locator("article.hit").first).to_be_in_viewport()
    summary.click()
    expect(checkbox).to_be_visible()
    summary.click()
    expect(checkbox).to_be_hidden()
    context.close()
