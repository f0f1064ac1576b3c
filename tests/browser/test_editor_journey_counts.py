"""The editor's journey, counted: clicks and page loads from a new testimony to its publication.

An editor writes a testimony, links three clauses, records a violation and sends it
to review; a reviewer records the consent and publishes it. Walked two ways:

- ``list_actions``: through the list's action menu (the only way before the record's
  page had workflow buttons);
- ``record_buttons``: through "Save and send to review" and "Save and publish…".

Each run prints its counts; docs/benchmarks.md keeps the figures and the commands.
Typing into a field is not counted; a click, a choice in a menu or a key press is.
"""

import pytest
from playwright.sync_api import Page, expect

from testimonies.models import Status, Testimony
from tests.browser.test_publish_review import log_in
from tests.support import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Held at the station after the karaoke raid"
LINKS = [
    ("Temporary custody", "invoked"),
    ("Assistance to victims", "not-applied"),
    ("No prosecution of victims", "violated"),
]


class Counted:
    """A page whose clicks and document loads are counted."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.clicks = 0
        self.loads = 0
        page.on("load", lambda _page: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    def click(self, selector: str, **options) -> None:
        self.clicks += 1
        self.page.locator(selector, **options).first.click()

    def choose(self, selector: str, value: str) -> None:
        self.clicks += 1
        self.page.locator(selector).select_option(value)

    def fill(self, selector: str, text: str) -> None:
        self.page.locator(selector).fill(text)


@pytest.fixture
def journey_setup():
    law = factories.make_law(short_name="ATIPA 2008", slug="atipa-2008", year=2008)
    for number, heading in [("s. 29", LINKS[0][0]), ("s. 33", LINKS[1][0]), ("s. 41", LINKS[2][0])]:
        factories.make_clause(law=law, number=number, heading=heading)
    factories.make_violation_type(label="Detention in a shelter")
    return factories.make_user("Editor"), factories.make_user("Reviewer")


def pick(counted: Counted, field: str, words: str, option: str) -> None:
    """An autocomplete field: open it, type, choose the option."""
    counted.click(f"[aria-labelledby='select2-id_{field}-container']")
    counted.fill(".select2-container--open .select2-search__field", words)
    counted.click(".select2-results__option", has_text=option)


def write_testimony(editor: Counted, live_server) -> None:
    page = editor.page
    page.goto(f"{live_server.url}/admin/testimonies/testimony/add/")
    editor.fill("#id_title_source", TITLE)
    editor.fill("#id_narrator_pseudonym", "Noi")
    editor.fill("#id_summary_source", "Taken to the station, then to a shelter.")
    editor.fill("#id_body_source", "The police came at night.\n\nWe were kept for a week.")
    editor.choose("#id_nationality", "lao")
    editor.choose("#id_work_setting", "karaoke")
    editor.choose("#id_province", "chiang-mai")
    editor.fill("#id_year_of_events", "2011")
    editor.fill("#id_source_source", "Interview, written for the browser tests")
    for row, (heading, relation) in enumerate(LINKS):
        if not page.locator(f"#id_clause_links-{row}-relation").count():
            editor.click(".clause-links .add-row a, #clause_links-group .add-row a")
        pick(editor, f"clause_links-{row}-clause", heading.split()[-1], heading)
        editor.choose(f"#id_clause_links-{row}-relation", relation)
    if not page.locator("#id_violations-0-perpetrator").count():
        editor.click("#violations-group .add-row a")
    pick(editor, "violations-0-violation_type", "shelter", "Detention in a shelter")
    editor.choose("#id_violations-0-perpetrator", "police")


def record_consent(reviewer: Counted, live_server) -> None:
    reviewer.page.goto(f"{live_server.url}/admin/testimonies/testimony/")
    reviewer.click("a", has_text=TITLE)
    reviewer.choose("#id_consent-0-scope", "full")
    reviewer.choose("#id_consent-0-basis", "written")
    reviewer.fill("#id_consent-0-given_on", "2011-06-01")


def run_list_action(counted: Counted, action: str) -> None:
    record = Testimony.objects.get(title=TITLE)
    counted.click(f"input.action-select[value='{record.pk}']")
    counted.choose("select[name=action]", action)
    counted.click("button[name=index]")


def report(name: str, editor: Counted, reviewer: Counted) -> None:
    # Let every load the last click started be counted before reading the counts.
    for counted in (editor, reviewer):
        counted.page.wait_for_load_state("load")
    clicks, loads = editor.clicks + reviewer.clicks, editor.loads + reviewer.loads
    print(
        f"\n{name}: editor {editor.clicks} clicks, {editor.loads} page loads; "
        f"reviewer {reviewer.clicks} clicks, {reviewer.loads} page loads; "
        f"total {clicks} clicks, {loads} page loads"
    )
    record = Testimony.objects.get(title=TITLE)
    assert record.status == Status.PUBLISHED
    assert record.clause_links.count() == 3 and record.violations.count() == 1


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    context.set_default_navigation_timeout(60_000)
    yield context
    context.close()


class EditorJourneyCountTests:
    def test_list_actions(self, live_server, desktop, journey_setup):
        editor_user, reviewer_user = journey_setup
        editor = Counted(desktop.new_page())
        log_in(editor.page, live_server, editor_user)
        write_testimony(editor, live_server)
        editor.click("input[name=_save]")
        run_list_action(editor, "send_to_review")
        expect(editor.page.locator(".messagelist .success")).to_have_count(1)

        reviewer = Counted(desktop.new_page())
        log_in(reviewer.page, live_server, reviewer_user)
        record_consent(reviewer, live_server)
        reviewer.click("input[name=_save]")
        run_list_action(reviewer, "publish")
        if reviewer.page.locator("input[name=confirm_publication]").count():
            reviewer.click("#content input[type=submit]")
        expect(reviewer.page.locator(".messagelist .success")).to_have_count(1)
        report("list actions", editor, reviewer)

    def test_record_buttons(self, live_server, desktop, journey_setup):
        editor_user, reviewer_user = journey_setup
        editor = Counted(desktop.new_page())
        log_in(editor.page, live_server, editor_user)
        write_testimony(editor, live_server)
        editor.click("input[name=_send_to_review]")
        expect(editor.page.locator(".messagelist .success")).to_contain_text(
            "1 testimony sent to review."
        )

        reviewer = Counted(desktop.new_page())
        log_in(reviewer.page, live_server, reviewer_user)
        record_consent(reviewer, live_server)
        reviewer.click("input[name=_publish]")
        # The confirmation names each clause with its law in full.
        links = reviewer.page.locator(".clause-links-in-full")
        for heading, _relation in LINKS:
            expect(links).to_contain_text(heading)
        expect(links).to_contain_text("ATIPA 2008")
        reviewer.click("#content input[type=submit]")
        expect(reviewer.page.locator(".messagelist .success")).to_contain_text(
            "1 testimony published."
        )
        report("record buttons", editor, reviewer)
