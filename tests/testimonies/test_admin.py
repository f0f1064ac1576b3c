"""The editors' admin: every page opens, and the workflow holds through it."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from testimonies.models import Status, Testimony
from tests.support import factories
from tests.support.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CURATED = [
    ("laws", "law"),
    ("laws", "clause"),
    ("testimonies", "testimony"),
    ("testimonies", "testimonyclause"),
    ("testimonies", "raidincident"),
    ("testimonies", "violationtype"),
    ("testimonies", "rightsviolation"),
    ("testimonies", "authority"),
    ("testimonies", "outcome"),
]


@pytest.fixture
def one_of_each(db):
    clause = factories.make_clause()
    testimony = factories.make_testimony()
    incident = factories.make_incident()
    violation_type = factories.make_violation_type()
    link = testimony.clause_links.create(clause=clause, relation="violated")
    violation = testimony.violations.create(violation_type=violation_type, perpetrator="police")
    from testimonies.models import Authority, Outcome

    return {
        "law": clause.law,
        "clause": clause,
        "testimony": testimony,
        "testimonyclause": link,
        "raidincident": incident,
        "violationtype": violation_type,
        "rightsviolation": violation,
        "authority": Authority.objects.first(),
        "outcome": Outcome.objects.first(),
    }


class AdminPagesTests:
    @pytest.mark.parametrize(("app", "model"), CURATED)
    def test_editor_opens_changelist_add_and_change(self, client, editor, one_of_each, app, model):
        client.force_login(editor)
        obj = one_of_each[model]
        for url in [
            reverse(f"admin:{app}_{model}_changelist"),
            reverse(f"admin:{app}_{model}_add"),
            reverse(f"admin:{app}_{model}_change", args=[obj.pk]),
            reverse(f"admin:{app}_{model}_history", args=[obj.pk]),
        ]:
            assert client.get(url).status_code == 200, url

    def test_changelist_search_and_filters_work(self, client, editor, one_of_each):
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_changelist")
        response = client.get(url, {"q": one_of_each["testimony"].title, "status__exact": "draft"})
        assert response.status_code == 200
        assert one_of_each["testimony"].title in response.content.decode()

    def test_clause_autocomplete_answers(self, client, editor, one_of_each):
        client.force_login(editor)
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "testimonies",
                "model_name": "testimonyclause",
                "field_name": "clause",
                "term": one_of_each["clause"].heading[:8],
            },
        )
        assert response.status_code == 200
        assert response.json()["results"][0]["id"] == str(one_of_each["clause"].pk)


def _form_errors(response) -> list:
    errors = [response.context["adminform"].form.errors]
    for inline in response.context["inline_admin_formsets"]:
        errors += [inline.formset.prefix, inline.formset.errors, inline.formset.non_form_errors()]
    return errors


def _action(client, name: str, testimony: Testimony, **extra: str):
    return client.post(
        reverse("admin:testimonies_testimony_changelist"),
        {"action": name, ACTION_CHECKBOX_NAME: [testimony.pk], **extra},
        follow=True,
    )


class AdminWorkflowTests:
    def test_editor_has_no_publish_action_and_posting_it_changes_nothing(self, client, editor):
        testimony = factories.make_testimony(status=Status.IN_REVIEW)
        client.force_login(editor)
        changelist = client.get(reverse("admin:testimonies_testimony_changelist"))
        choices = changelist.context["action_form"].fields["action"].choices
        actions = [value for value, _label in choices]
        assert "send_to_review" in actions
        assert "publish" not in actions and "withdraw" not in actions
        _action(client, "publish", testimony)
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW

    def test_status_cannot_be_posted_through_the_form(self, client, editor):
        testimony = factories.make_testimony()
        client.force_login(editor)
        form = client.get(reverse("admin:testimonies_testimony_change", args=[testimony.pk]))
        assert "status" not in form.context["adminform"].form.fields

    def test_editor_cannot_change_a_published_testimony(self, client, editor):
        testimony = factories.publish_testimony()
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert not response.context["has_change_permission"]

    def test_editor_to_reviewer_journey(self, client, editor, reviewer):
        """An editor writes and links three clauses; a reviewer publishes it;
        the clause pages then show it."""
        clauses = [factories.make_clause() for _ in range(3)]
        violation_type = factories.make_violation_type()
        client.force_login(editor)
        data = {
            "title_source": "Held in a shelter for eleven months",
            "narrator_pseudonym": "Lek",
            "nationality": "shan",
            "age_group": "18-24",
            "work_setting": "karaoke",
            "province": "chiang-mai",
            "year_of_events": "2010",
            "language": "en",
            "summary_source": "A karaoke worker describes a raid and a long shelter stay.",
            "body_source": "They came at night.\n\nWe were kept for months.",
            "source_source": "Written for the test suite.",
            "content_note_source": "",
            "correction_note_source": "",
            "date_recorded": "",
            "clause_links-TOTAL_FORMS": "3",
            "clause_links-INITIAL_FORMS": "0",
            "violations-TOTAL_FORMS": "1",
            "violations-INITIAL_FORMS": "0",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
            "violations-0-violation_type": str(violation_type.pk),
            "violations-0-perpetrator": "shelter-staff",
            "violations-0-note_source": "Not allowed to leave.",
        }
        for i, (clause, relation) in enumerate(
            zip(clauses, ["invoked", "violated", "not-applied"], strict=True)
        ):
            data[f"clause_links-{i}-clause"] = str(clause.pk)
            data[f"clause_links-{i}-relation"] = relation
            data[f"clause_links-{i}-note_source"] = f"Note on link {i}"
        response = client.post(reverse("admin:testimonies_testimony_add"), data)
        assert response.status_code == 302, _form_errors(response)
        testimony = Testimony.objects.get(title="Held in a shelter for eleven months")
        assert testimony.clause_links.count() == 3
        assert testimony.violations.count() == 1
        assert testimony.status == Status.DRAFT

        _action(client, "send_to_review", testimony)
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW
        for clause in clauses:
            assert testimony.title not in client.get(clause.get_absolute_url()).content.decode()

        client.force_login(reviewer)
        # Recording consent through the admin is tested in test_consent.
        factories.make_consent(testimony)
        # The reviewer is shown every clause link in full before publishing.
        confirmation = _action(client, "publish", testimony).content.decode()
        for clause in clauses:
            assert clause.heading in confirmation and clause.law.title_en in confirmation
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW
        _action(client, "publish", testimony, confirm_publication="yes")
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED
        assert testimony.public_id == "T-0001"
        for clause in clauses:
            page = client.get(clause.get_absolute_url()).content.decode()
            assert testimony.title in page
            assert testimony.get_absolute_url() in page

    def test_reviewer_edit_of_a_published_testimony_makes_a_new_version(self, client, reviewer):
        testimony = factories.publish_testimony()
        client.force_login(reviewer)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = change_form_data(client.get(url))
        data.update(
            {"body_source": "Corrected paragraph.", "correction_note_source": "Paragraph corrected"}
        )
        response = client.post(url, data)
        assert response.status_code == 302, _form_errors(response)
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED
        versions = list(testimony.versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].body == "Corrected paragraph."
        assert versions[1].correction_note == "Paragraph corrected"
