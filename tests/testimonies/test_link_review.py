"""Clause links and violations of published records change only through review.

The testimony form refuses editors on a published record; these are the
other doors: the standalone clause-link and violation admins, their bulk
delete, and a violation moved from a draft onto a published record.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from testimonies.models import RightsViolation, Testimony, TestimonyClause
from testimonies.search import index
from tests.support import factories
from tests.support.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db) -> Testimony:
    testimony = factories.make_testimony(title="Taken at night")
    testimony.clause_links.create(
        clause=factories.make_clause(), relation="violated", note_source="Reviewed note."
    )
    testimony.violations.create(
        violation_type=factories.make_violation_type(), perpetrator="police", note_source="Seen."
    )
    return factories.publish_testimony(testimony)


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:testimonies_{model._meta.model_name}_{action}", args=args)


def _public_page(client, testimony: Testimony) -> str:
    client.logout()
    return client.get(testimony.get_absolute_url()).content.decode()


class EditorRefusedTests:
    def test_changing_a_link_note_of_a_published_testimony_is_refused(
        self, client, editor, published
    ):
        link = published.clause_links.get()
        client.force_login(editor)
        url = _url(TestimonyClause, "change", link.pk)
        page = client.get(url)
        assert page.status_code == 200 and 'name="note_source"' not in page.content.decode()
        response = client.post(
            url,
            {
                "testimony": published.pk,
                "clause": link.clause_id,
                "relation": "violated",
                "note_source": "EDITORNOTE",
            },
        )
        assert response.status_code == 403
        assert "EDITORNOTE" not in _public_page(client, published)
        assert published.versions.count() == 1

    @pytest.mark.parametrize("model", [TestimonyClause, RightsViolation])
    def test_adding_a_link_or_violation_to_a_published_testimony_is_refused(
        self, client, editor, published, model
    ):
        client.force_login(editor)
        data = {"testimony": published.pk, "note_source": "EDITORNOTE", "perpetrator": "police"}
        if model is TestimonyClause:
            data |= {"clause": factories.make_clause().pk, "relation": "invoked"}
        else:
            data |= {"violation_type": factories.make_violation_type().pk}
        count = model.objects.count()
        response = client.post(_url(model, "add"), data)
        assert response.status_code == 200
        assert "a reviewer publishes" in response.content.decode()
        assert model.objects.count() == count
        assert "EDITORNOTE" not in _public_page(client, published)

    def test_moving_a_drafts_violation_onto_a_published_testimony_is_refused(
        self, client, editor, published
    ):
        draft = factories.make_testimony()
        violation = draft.violations.create(
            violation_type=factories.make_violation_type(),
            perpetrator="police",
            note_source="MOVED",
        )
        client.force_login(editor)
        url = _url(RightsViolation, "change", violation.pk)
        data = change_form_data(client.get(url))
        data["testimony"] = str(published.pk)
        response = client.post(url, data)
        assert response.status_code == 200
        violation.refresh_from_db()
        assert violation.testimony_id == draft.pk
        assert "MOVED" not in _public_page(client, published)

    def test_a_violation_onto_a_published_raid_is_refused(self, client, editor):
        incident = factories.publish_incident()
        client.force_login(editor)
        response = client.post(
            _url(RightsViolation, "add"),
            {
                "violation_type": factories.make_violation_type().pk,
                "incident": incident.pk,
                "perpetrator": "police",
                "note_source": "EDITORNOTE",
            },
        )
        assert response.status_code == 200
        assert not RightsViolation.objects.filter(note="EDITORNOTE").exists()

    @pytest.mark.parametrize("model", [TestimonyClause, RightsViolation])
    def test_deleting_one_or_in_bulk_is_refused_even_with_the_delete_permission(
        self, client, editor, published, model
    ):
        # Editors are not given delete rights; a site that gives them still
        # cannot take a link off a published record without review.
        editor.user_permissions.add(
            Permission.objects.get(codename=f"delete_{model._meta.model_name}")
        )
        obj = model.objects.get(testimony=published)
        client.force_login(editor)
        assert client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        bulk = client.post(
            _url(model, "changelist"),
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
        )
        assert bulk.status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()
        assert published.versions.count() == 1

    def test_editors_keep_full_rights_on_drafts(self, client, editor):
        editor.user_permissions.add(Permission.objects.get(codename="delete_testimonyclause"))
        draft = factories.make_testimony()
        link = draft.clause_links.create(clause=factories.make_clause(), relation="violated")
        client.force_login(editor)
        url = _url(TestimonyClause, "change", link.pk)
        data = change_form_data(client.get(url)) | {"note_source": "Draft note."}
        assert client.post(url, data).status_code == 302
        link.refresh_from_db()
        assert link.note == "Draft note."
        bulk = client.post(
            _url(TestimonyClause, "changelist"),
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [link.pk], "post": "yes"},
        )
        assert bulk.status_code == 302
        assert not TestimonyClause.objects.filter(pk=link.pk).exists()


class ReviewerPublishesTests:
    def test_a_reviewers_change_is_a_new_version_indexed_at_once(self, client, reviewer, published):
        link = published.clause_links.get()
        token = index.current_generation()
        client.force_login(reviewer)
        url = _url(TestimonyClause, "change", link.pk)
        data = change_form_data(client.get(url)) | {"note_source": "A reviewer's corrected note."}
        assert client.post(url, data).status_code == 302
        assert published.versions.count() == 2
        assert index.current_generation() != token
        assert "corrected note" in _public_page(client, published)

    def test_a_bulk_delete_by_one_who_may_publish_is_a_new_version(
        self, client, admin_user, published
    ):
        violation = published.violations.get()
        client.force_login(admin_user)
        response = client.post(
            _url(RightsViolation, "changelist"),
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [violation.pk], "post": "yes"},
        )
        assert response.status_code == 302
        assert not RightsViolation.objects.filter(pk=violation.pk).exists()
        assert published.versions.count() == 2


class ViolationWithDraftRaidTests:
    def test_a_violation_naming_a_draft_raid_is_shown_only_once_the_raid_is_public(
        self, client, published
    ):
        incident = factories.make_incident()
        RightsViolation.objects.create(
            violation_type=factories.make_violation_type(label="Shared with a draft raid"),
            testimony=published,
            incident=incident,
            perpetrator="police",
            note_source="DRAFTRAIDNOTE",
        )
        api_url = reverse("api:testimony-detail", kwargs={"public_id": published.public_id})
        for url in (published.get_absolute_url(), api_url):
            text = client.get(url).content.decode()
            assert "DRAFTRAIDNOTE" not in text and "Shared with a draft raid" not in text, url
        factories.publish_incident(incident)
        assert "DRAFTRAIDNOTE" in client.get(published.get_absolute_url()).content.decode()
