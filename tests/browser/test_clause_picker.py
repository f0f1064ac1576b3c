"""The clause picker on a testimony's clause-link inline, typed into as an editor does."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from laws.models import Clause
from tests.browser.conftest import screenshot
from tests.browser.test_publish_review import log_in
from tests.laws.test_clause_picker import ATIPA_29_QUERIES
from tests.support import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ATIPA_29 = "ATIPA 2008, s. 29: Temporary custody of possible victims"


@pytest.fixture
def draft():
    call_command("loaddata", str(FIXTURES / "laws.json"), verbosity=0)
    return factories.make_testimony(title="Kept in a shelter", year_of_events=2011)


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(60_000)
    yield context
    context.close()


def test_every_citation_form_puts_atipa_29_first(live_server, desktop, draft):
    page = desktop.new_page()
    log_in(page, live_server, factories.make_user("Editor"))
    page.goto(f"{live_server.url}/admin/testimonies/testimony/{draft.pk}/change/")
    for query in [*ATIPA_29_QUERIES, "กักตัว"]:
        page.locator("[aria-labelledby='select2-id_clause_links-0-clause-container']").click()
        search = page.locator(".select2-container--open .select2-search__field")
        # Typed key by key, as a person does: select2 searches on each keystroke.
        search.press_sequentially(query)
        first = page.locator(".select2-results__option").first
        if query == "กักตัว":
            # Found by their Thai headings; the options are labelled in English.
            headings = Clause.objects.filter(heading_th__contains=query).values_list(
                "heading", flat=True
            )
            pattern = "|".join(re.escape(heading) for heading in headings)
            expect(first).to_contain_text(re.compile(pattern), timeout=30_000)
        else:
            expect(first, query).to_contain_text(ATIPA_29, timeout=30_000)
            # The law in full: its title and year, not only the short name.
            expect(first).to_contain_text("2008)")
        search.press("Escape")
    screenshot(page, "admin-clause-picker")


def test_the_clause_column_fits_a_1280_screen(live_server, desktop, draft):
    page = desktop.new_page()
    log_in(page, live_server, factories.make_user("Editor"))
    page.goto(f"{live_server.url}/admin/testimonies/testimony/{draft.pk}/change/")
    picker = page.locator("[aria-labelledby='select2-id_clause_links-0-clause-container']")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    # Wide enough to read a citation with its heading.
    assert box["width"] >= 300
    table = page.locator("#clause_links-group table").bounding_box()
    assert table is not None and table["x"] + table["width"] <= 1280
    # The law column stays beside the clause once a link is saved.
    screenshot(page, "admin-clause-links-1280")
