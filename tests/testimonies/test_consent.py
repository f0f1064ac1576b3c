"""Consent: recorded apart, seen by reviewers only, required to publish, never public."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from testimonies import services
from testimonies.models import Consent, Status, Testimony
from tests.support import factories, surfaces
from tests.support.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

NOTE = "CONSENTNOTE signed form kept by the outreach team"


def _in_review(**overrides) -> Testimony:
    testimony = factories.make_testimony(**overrides)
    return services.send_to_review(record=testimony, by=factories.make_user("Reviewer"))


def _publish_action(client, testimony: Testimony, **extra):
    return client.post(
        reverse("admin:testimonies_testimony_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [testimony.pk], **extra},
        follow=True,
    )


class PublishNeedsConsentTests:
    def test_no_consent_refuses_publication(self, reviewer):
        testimony = _in_review()
        with pytest.raises(services.WorkflowError, match="no consent recorded"):
            services.publish(record=testimony, by=reviewer)
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW and testimony.public_id is None

    def test_research_only_refuses_publication(self, reviewer):
        testimony = _in_review()
        factories.make_consent(testimony, scope="research")
        with pytest.raises(services.WorkflowError, match="consent is for research only"):
            services.publish(record=testimony, by=reviewer)
        assert not Testimony.objects.public().exists()

    def test_excerpts_without_any_excerpt_paragraph_refuses_publication(self, reviewer):
        testimony = _in_review()
        factories.make_consent(testimony, scope="excerpts")
        with pytest.raises(services.WorkflowError, match=r"no paragraph of the body begins"):
            services.publish(record=testimony, by=reviewer)

    def test_full_consent_publishes(self, reviewer):
        testimony = _in_review()
        factories.make_consent(testimony, scope="full")
        assert services.publish(record=testimony, by=reviewer).status == Status.PUBLISHED

    def test_the_admin_action_shows_the_refusal(self, client, reviewer):
        testimony = _in_review()
        factories.make_consent(testimony, scope="research")
        client.force_login(reviewer)
        page = _publish_action(client, testimony).content.decode()
        assert "consent is for research only" in page
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW

    def test_a_published_record_from_before_consent_keeps_its_page(self, client, reviewer):
        testimony = factories.publish_testimony()
        Consent.objects.filter(testimony=testimony).delete()  # as in an older database
        assert client.get(testimony.get_absolute_url()).status_code == 200
        with pytest.raises(services.WorkflowError, match="no consent recorded"):
            services.publish(record=testimony, by=reviewer, correction_note="Typo")


class ConsentInAdminTests:
    def test_editor_does_not_see_the_consent(self, client, editor):
        testimony = factories.make_testimony()
        factories.make_consent(testimony, note=NOTE)
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "CONSENTNOTE" not in page
        assert 'name="consent-TOTAL_FORMS"' not in page
        assert Consent not in {i.formset.model for i in response.context["inline_admin_formsets"]}
        # Posting consent fields by hand changes nothing either.
        data = change_form_data(response)
        data.update(
            {
                "consent-TOTAL_FORMS": "1",
                "consent-INITIAL_FORMS": "1",
                "consent-0-id": str(testimony.consent.pk),
                "consent-0-testimony": str(testimony.pk),
                "consent-0-scope": "research",
                "consent-0-basis": "partner",
                "consent-0-given_on": "2012-01-01",
                "consent-0-note": "changed by an editor",
            }
        )
        assert client.post(url, data).status_code == 302
        consent = Consent.objects.get(testimony=testimony)
        assert (consent.scope, consent.note) == ("full", NOTE)

    def test_editor_has_no_permission_on_consent_records(self, editor):
        for action in ("view", "add", "change", "delete"):
            assert not editor.has_perm(f"testimonies.{action}_consent")

    def test_reviewer_sees_the_consent(self, client, reviewer):
        testimony = factories.make_testimony()
        factories.make_consent(testimony, note=NOTE)
        client.force_login(reviewer)
        page = client.get(
            reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        ).content.decode()
        assert "CONSENTNOTE" in page
        assert 'name="consent-0-scope"' in page

    def test_reviewer_records_consent_in_the_admin_then_publishes(self, client, reviewer):
        testimony = _in_review(title="Kept for a year", body="A plain account.")
        client.force_login(reviewer)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = change_form_data(client.get(url))
        data.update(
            {
                "consent-0-scope": "full",
                "consent-0-basis": "oral-recorded",
                "consent-0-given_on": "2011-05-04",
                "consent-0-note": NOTE,
            }
        )
        response = client.post(url, data)
        assert response.status_code == 302
        consent = Consent.objects.get(testimony=testimony)
        assert consent.basis == "oral-recorded"
        assert consent.history.count() == 1
        _publish_action(client, testimony)
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED

    def test_a_published_testimony_cannot_be_narrowed_to_research_only(self, client, reviewer):
        testimony = factories.publish_testimony()
        client.force_login(reviewer)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = change_form_data(client.get(url))
        data["consent-0-scope"] = "research"
        response = client.post(url, data)
        assert response.status_code == 200
        assert "withdraw it" in response.content.decode()
        assert Consent.objects.get(testimony=testimony).scope == "full"


class ConsentNeverPublicTests:
    def test_no_public_surface_shows_the_consent(self, client):
        testimony = factories.make_testimony(title="Six weeks in a shelter")
        factories.make_consent(testimony, note=NOTE, basis="partner")
        testimony = factories.publish_testimony(testimony)
        base = testimony.get_absolute_url()
        urls = [
            base,
            base + "v1/",
            base + "cite.bib",
            base + "cite.ris",
            base + "cite.json",
            reverse("testimonies:testimony_list") + "?q=shelter",
            reverse("testimonies:home"),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "CONSENTNOTE" not in page and "partner organisation" not in page, url
        assert testimony.public_id in client.get(urls[5]).content.decode()
        # Searching for the note's words finds nothing.
        found = client.get(reverse("testimonies:testimony_list"), {"q": "CONSENTNOTE outreach"})
        assert testimony.public_id not in found.content.decode()
        assert "consentnote" not in testimony.search_document.text

    def test_withdrawal_erases_the_consent_note_and_its_history(self, reviewer):
        testimony = factories.make_testimony()
        consent = factories.make_consent(testimony, note=NOTE)
        consent.note = NOTE + " (updated)"
        consent.save()
        testimony = factories.publish_testimony(testimony)
        services.withdraw(record=testimony, by=reviewer)
        consent.refresh_from_db()
        assert consent.note == ""
        assert consent.scope == "full"  # what was agreed stays on record
        assert consent.history.count() >= 2
        assert not consent.history.exclude(note="").exists()


class UpgradeTests:
    """What the data migration does to a database from before consent and redaction."""

    def test_old_rows_get_their_sources_and_keep_their_public_text(self, client, reviewer):
        import importlib

        from django.apps import apps

        migration = importlib.import_module(
            "testimonies.migrations.0008_copy_text_to_sources_and_consent_permissions"
        )
        testimony = factories.publish_testimony(title="An old [bracketed] title")
        Consent.objects.filter(testimony=testimony).delete()
        # As the schema migration leaves an old row: text in place, sources empty.
        Testimony.objects.filter(pk=testimony.pk).update(
            title_source="", summary_source="", body_source=""
        )
        testimony.history.update(title_source="", summary_source="", body_source="")
        before = client.get(testimony.get_absolute_url()).content.decode()

        migration.forwards(apps, None)

        testimony.refresh_from_db()
        assert testimony.title_source == "An old [bracketed] title" == testimony.title
        assert testimony.body_source == testimony.body and testimony.body
        assert not testimony.history.filter(body_source="").exists()
        assert client.get(testimony.get_absolute_url()).content.decode() == before
        assert reviewer.has_perm("testimonies.view_consent")


TAKEN_BACK = "TAKENBACK my village and the debt"
NARROWED_BODY = f"[[excerpt]] Kept in every version.\n\n{TAKEN_BACK}, which I no longer share."


class NarrowingTests:
    """Consent narrowed to excerpts reaches every version, citation, export and cache."""

    @pytest.fixture
    def published_in_full(self, db) -> Testimony:
        testimony = factories.make_testimony(title="Kept in the shelter", body=NARROWED_BODY)
        return factories.publish_testimony(testimony)

    def _narrow(self, testimony: Testimony, reviewer) -> None:
        services.consent_record(
            testimony=testimony,
            scope="excerpts",
            basis="written",
            given_on=datetime.date(2012, 1, 5),
            by=reviewer,
        )

    def test_the_taken_back_paragraph_is_on_no_public_surface(
        self, client, reviewer, published_in_full
    ):
        # Every address asked once before, so that caches hold the old answers.
        before = surfaces.answers(client, published_in_full, query="takenback")
        assert any("TAKENBACK" in text for text in before.values())
        self._narrow(published_in_full, reviewer)
        published_in_full.refresh_from_db()
        after = surfaces.answers(client, published_in_full, query="takenback")
        assert f"{published_in_full.get_absolute_url()}v2/ (#1)" in after
        # Case matters: search pages repeat the lower-case query they were asked.
        leaks = [
            url
            for url, text in after.items()
            if "TAKENBACK" in text or "village and the debt" in text
        ]
        assert leaks == []
        assert "Kept in every version." in after[f"{published_in_full.get_absolute_url()}v1/ (#1)"]
        assert "takenback" not in published_in_full.search_document.text

    def test_each_version_keeps_its_number_and_date_and_says_text_was_withheld(
        self, client, reviewer, published_in_full
    ):
        first = published_in_full.versions.get()
        self._narrow(published_in_full, reviewer)
        first_after = published_in_full.versions.get(number=1)
        assert first_after.published_at == first.published_at
        assert first_after.withheld_at is not None
        assert first_after.body == "Kept in every version."
        page = client.get(published_in_full.get_absolute_url() + "v1/").content.decode()
        assert "withheld on" in page and "at the narrator" in page
        assert "village" not in page and "debt" not in page  # nothing says what
        api = client.get(
            reverse("api:testimony-detail", kwargs={"public_id": published_in_full.public_id})
        ).json()
        assert [v["text_withheld"] for v in api["versions"]] == [True, False]

    def test_it_happens_in_the_transaction_that_records_the_consent(
        self, reviewer, published_in_full
    ):
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            self._narrow(published_in_full, reviewer)
            raise RuntimeError("the consent is not recorded after all")
        assert "TAKENBACK" in published_in_full.versions.get(number=1).body
        assert Consent.objects.get(testimony=published_in_full).scope == "full"

    def test_a_version_from_before_bodies_were_kept_keeps_only_todays_excerpts(
        self, client, reviewer, published_in_full
    ):
        published_in_full.versions.update(body_source="")
        self._narrow(published_in_full, reviewer)
        assert published_in_full.versions.get(number=1).body == "Kept in every version."

    def test_an_earlier_source_keeps_the_excerpt_as_it_was_then(
        self, client, reviewer, published_in_full
    ):
        published_in_full.body_source = NARROWED_BODY.replace("Kept in", "Kept, reworded, in")
        published_in_full.save()
        services.publish(record=published_in_full, by=reviewer)
        self._narrow(published_in_full, reviewer)
        bodies = dict(published_in_full.versions.values_list("number", "body"))
        assert bodies[1] == "Kept in every version."
        assert bodies[2] == "Kept, reworded, in every version."
        assert "TAKENBACK" not in "".join(bodies.values())

    def test_an_editor_cannot_record_consent(self, editor, published_in_full):
        with pytest.raises(services.WorkflowError, match="permission to record consent"):
            self._narrow(published_in_full, editor)
        assert "TAKENBACK" in published_in_full.versions.get(number=1).body
