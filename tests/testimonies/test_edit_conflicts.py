"""Two editors, one record, stale forms: the second save is refused, nothing overwritten."""

import pytest
from django.urls import reverse

from testimonies import services
from testimonies.models import Status
from tests.support import factories
from tests.support.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def form_data(page, **changes) -> dict:
    """What a browser would post back from an admin change page, with some fields edited."""
    return {**change_form_data(page), **changes}


@pytest.fixture
def two_editors(db):
    return (
        factories.make_user("Editor", username="first-editor"),
        factories.make_user("Editor", username="second-editor"),
    )


class StaleFormTests:
    def test_second_save_from_a_stale_form_is_refused(self, client, two_editors):
        first, second = two_editors
        testimony = factories.make_testimony(title="Original title", summary="Original summary.")
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        client.force_login(first)
        first_page = client.get(url)
        client.force_login(second)
        second_page = client.get(url)

        client.force_login(first)
        response = client.post(
            url, form_data(first_page, title_source="Title from the first editor")
        )
        assert response.status_code == 302

        client.force_login(second)
        response = client.post(
            url, form_data(second_page, summary_source="Summary from the second editor.")
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "changed by someone else after you opened it" in page
        assert "first-editor" in page
        assert "Nothing you entered was saved" in page

        testimony.refresh_from_db()
        assert testimony.title == "Title from the first editor"
        assert testimony.summary == "Original summary."
        assert testimony.history.count() == 2

        # Opened afresh, the second editor's change goes through.
        response = client.post(
            url, form_data(client.get(url), summary_source="Summary from the second editor.")
        )
        assert response.status_code == 302
        testimony.refresh_from_db()
        assert testimony.title == "Title from the first editor"
        assert testimony.summary == "Summary from the second editor."

    def test_a_workflow_step_in_between_also_makes_the_form_stale(self, client, two_editors):
        first, _second = two_editors
        testimony = factories.make_testimony(title="Before review")
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        client.force_login(first)
        page = client.get(url)
        services.send_to_review(record=testimony, by=first)
        response = client.post(url, form_data(page, title_source="Edited after the review began"))
        assert response.status_code == 200
        testimony.refresh_from_db()
        assert testimony.title == "Before review"
        assert testimony.status == Status.IN_REVIEW

    def test_a_post_without_the_version_is_refused(self, client, two_editors):
        first, _second = two_editors
        testimony = factories.make_testimony(title="Kept")
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        client.force_login(first)
        data = form_data(client.get(url), title_source="Changed")
        del data["opened_at_version"]
        assert client.post(url, data).status_code == 200
        testimony.refresh_from_db()
        assert testimony.title == "Kept"

    def test_incidents_are_protected_the_same_way(self, client, two_editors):
        first, second = two_editors
        incident = factories.make_incident(title="Raid as first written")
        url = reverse("admin:testimonies_raidincident_change", args=[incident.pk])
        client.force_login(first)
        first_page = client.get(url)
        client.force_login(second)
        second_page = client.get(url)
        client.force_login(first)
        assert (
            client.post(url, form_data(first_page, title_source="First change")).status_code == 302
        )
        client.force_login(second)
        response = client.post(url, form_data(second_page, title_source="Second change"))
        assert response.status_code == 200
        assert "changed by someone else" in response.content.decode()
        incident.refresh_from_db()
        assert incident.title == "First change"
