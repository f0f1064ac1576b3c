"""A reader finds the archive's own pages from any page's footer, in either language."""

import pytest
from playwright.sync_api import expect

from pages.models import Page
from pages.services import pages_seed
from tests.browser.conftest import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_from_the_home_page_footer_to_about_and_into_thai(live_server, page):
    pages_seed()
    about = Page.objects.get(slug="about")
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="About", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/about/")
    expect(page.get_by_role("heading", level=1)).to_have_text(about.title_en)

    page.get_by_role("button", name="ภาษาไทย").click()
    expect(page).to_have_url(f"{live_server.url}/about/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text(about.title_th)
    expect(page.get_by_role("contentinfo").get_by_role("link", name="เกี่ยวกับคลัง")).to_be_visible()
    screenshot(page, "pages-about-thai")
