"""A reviewer is warned of an unmarked name, marks it and publishes; editors see no consent."""

import pytest
from playwright.sync_api import expect

from testimonies import services
from testimonies.models import Testimony
from tests.browser.conftest import screenshot
from tests.support import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, user) -> None:
    """Reuse a session made by the test client (password and one-time code passed)."""
    client = factories.OTPClient()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def in_review() -> Testimony:
    reviewer = factories.make_user("Reviewer")
    testimony = factories.make_testimony(
        title="Taken from the karaoke at night",
        body="The police came at eleven.\n\nSomchai, the cook, was taken with us.",
    )
    factories.make_consent(testimony, note="PRIVATENOTE kept by the partner group")
    return services.send_to_review(record=testimony, by=reviewer)


class ReviewerPublishesTests:
    def test_warned_then_marks_the_name_and_publishes(self, live_server, page, in_review):
        log_in(page, live_server, factories.make_user("Reviewer"))
        change = f"{live_server.url}/admin/testimonies/testimony/{in_review.pk}/change/"
        page.goto(change)
        warning = page.locator(".messagelist .warning")
        expect(warning).to_contain_text("name 'Somchai'")
        expect(page.locator("#id_consent-0-note")).to_have_value(
            "PRIVATENOTE kept by the partner group"
        )
        screenshot(page, "admin-identifying-warning")

        # The Publish action asks first.
        page.goto(f"{live_server.url}/admin/testimonies/testimony/")
        page.locator(f"input.action-select[value='{in_review.pk}']").check()
        page.locator("select[name=action]").select_option("publish")
        page.locator("button[name=index], input[name=index]").first.click()
        expect(page.locator(".identifying-text")).to_contain_text("Somchai")
        page.get_by_role("button", name="No, take me back").click()
        expect(page.locator(".identifying-text")).to_have_count(0)

        # Mark the name instead, save, and publish without being asked.
        page.goto(change)
        body = page.locator("#id_body_source")
        body.fill(body.input_value().replace("Somchai", "[[name:Somchai]]"))
        page.locator("input[name=_continue]").click()
        expect(page.locator(".messagelist .warning")).to_have_count(0)
        page.goto(f"{live_server.url}/admin/testimonies/testimony/")
        page.locator(f"input.action-select[value='{in_review.pk}']").check()
        page.locator("select[name=action]").select_option("publish")
        page.locator("button[name=index], input[name=index]").first.click()
        expect(page.locator(".messagelist .success")).to_contain_text("1 testimony published")

        in_review.refresh_from_db()
        page.goto(f"{live_server.url}{in_review.get_absolute_url()}")
        expect(page.locator("main")).to_contain_text("[name withheld], the cook")
        expect(page.locator("body")).not_to_contain_text("Somchai")
        expect(page.locator("body")).not_to_contain_text("PRIVATENOTE")


class EditorTests:
    def test_editor_sees_no_consent(self, live_server, page, in_review):
        log_in(page, live_server, factories.make_user("Editor"))
        page.goto(f"{live_server.url}/admin/testimonies/testimony/{in_review.pk}/change/")
        expect(page.locator("#id_body_source")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("PRIVATENOTE")
        expect(page.locator("#id_consent-0-scope")).to_have_count(0)
