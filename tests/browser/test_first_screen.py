"""What a reader sees first: the first result in view, nothing moving, readable charts, an icon.

Measured at a 390 x 844 phone (and a desktop), in a real Chromium, on the sample archive.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = (390, 844)
DESKTOP = (1280, 800)
SEARCH = "/testimonies/?q=police"

# Sums every layout shift not caused by the reader's own input, from the first paint on.
LAYOUT_SHIFT_OBSERVER = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) { window.__layoutShift += entry.value; }
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# The size a reader sees each chart label at: its font size times the SVG's scale on screen.
LABEL_PIXELS = """() => Array.from(document.querySelectorAll(".chart svg text")).map(
  (text) => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""


def new_page(browser, size, **options):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_first_result_is_in_view_without_scrolling(live_server, browser, samples, size):
    context, page = new_page(browser, size)
    page.goto(f"{live_server.url}{SEARCH}")
    first = page.locator("article.hit").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box is not None
    # The whole card, title to last line, not just its top edge.
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], box
    assert page.evaluate("window.scrollY") == 0
    screenshot(page, "first-screen-search")
    context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_search_page_does_not_shift_while_it_loads(live_server, browser, samples, size):
    context, page = new_page(browser, size)
    page.add_init_script(LAYOUT_SHIFT_OBSERVER)

    # A slow network: the page is painted well before its script arrives, which is
    # when a script that folds or opens panels would move everything under them.
    def late_script(route):
        time.sleep(0.6)
        route.continue_()

    page.route("**/js/search.js", late_script)
    page.goto(f"{live_server.url}{SEARCH}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    shift = page.evaluate("window.__layoutShift")
    assert shift <= 0.05, f"cumulative layout shift {shift:.3f}"
    # The script did run: on a wide screen it has opened the panels for real.
    panel = page.locator("details.facet-panel")
    if size == DESKTOP:
        expect(panel).to_have_attribute("open", "")
    else:
        expect(panel).not_to_have_attribute("open", "")
    context.close()


@pytest.mark.parametrize("path", ["/", "/laws/atipa-2008/", SEARCH], ids=["home", "law", "search"])
def test_chart_labels_are_readable_at_phone_width(live_server, browser, samples, path):
    context, page = new_page(browser, PHONE)
    page.goto(f"{live_server.url}{path}")
    # On the search page the pictures are folded on a phone: open them as a reader would.
    charts = page.locator("details.charts-panel > summary")
    if charts.count():
        charts.click()
    sizes = page.evaluate(LABEL_PIXELS)
    assert sizes, "no chart label on the page"
    assert min(sizes) >= 11, sizes
    # And the labels stay inside the page: nothing to scroll sideways for.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    context.close()


def test_the_facets_are_beside_the_results_from_the_first_paint_on_a_desktop(
    live_server, browser, samples
):
    """Without the script (or before it arrives) a wide screen shows the facets all the same."""
    context, page = new_page(browser, DESKTOP, java_script_enabled=False)
    page.goto(f"{live_server.url}{SEARCH}")
    checkbox = page.locator("#facet-nationality input[type=checkbox]").first
    expect(checkbox).to_be_visible()
    checkbox.check()
    expect(checkbox).to_be_checked()
    expect(page.locator("figure.timeline")).to_be_visible()
    context.close()


def test_the_icon_answers_at_every_address_a_browser_asks(live_server, browser, samples):
    context, page = new_page(browser, PHONE)
    page.goto(f"{live_server.url}/")
    icons = page.locator("link[rel=icon], link[rel=apple-touch-icon]")
    hrefs = [icons.nth(i).get_attribute("href") for i in range(icons.count())]
    assert "/favicon.ico" in hrefs and any(href.endswith(".svg") for href in hrefs)
    for href in hrefs:
        response = page.request.get(f"{live_server.url}{href}")
        assert response.status == 200, href
        assert response.headers["content-type"].startswith("image/"), href
    context.close()


def test_on_a_desktop_the_facets_still_fold_after_the_results_change(live_server, browser, samples):
    """Shown from the first paint by the stylesheet, then opened for real: folding works."""
    context, page = new_page(browser, DESKTOP)
    page.goto(f"{live_server.url}{SEARCH}")
    checkbox = page.locator("#facet-nationality input[type=checkbox]").first
    checkbox.check()
    expect(page).to_have_url(re.compile(r"nationality="))
    expect(page.locator(".chip")).to_have_count(1)
    panel = page.locator("details.facet-panel")
    expect(panel).to_have_attribute("open", "")
    page.locator(".facet-panel > summary").click()
    expect(panel).not_to_have_attribute("open", "")
    expect(page.locator("#facet-nationality input[type=checkbox]").first).to_be_hidden()
    context.close()
