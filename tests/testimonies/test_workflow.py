"""The publication workflow: who may do what, and when public ids are given."""

import pytest

from testimonies import services
from testimonies.models import PublicIdCounter, RaidIncident, Status, Testimony
from tests.support import factories

pytestmark = pytest.mark.django_db


class PublicationWorkflowTests:
    def test_editor_sends_to_review_but_cannot_publish(self, editor):
        testimony = factories.make_testimony()
        testimony = services.send_to_review(record=testimony, by=editor)
        assert testimony.status == Status.IN_REVIEW

        with pytest.raises(services.WorkflowError, match="permission"):
            services.publish(record=testimony, by=editor)
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW
        assert testimony.public_id is None

    def test_reviewer_publishes_and_the_public_id_is_given_then(self, reviewer):
        testimony = factories.make_testimony()
        assert testimony.public_id is None
        factories.make_consent(testimony)
        services.send_to_review(record=testimony, by=reviewer)
        published = services.publish(record=testimony, by=reviewer)
        assert published.status == Status.PUBLISHED
        assert published.public_id == "T-0001"
        assert published.first_published_at is not None

    def test_a_draft_cannot_skip_review(self, reviewer):
        testimony = factories.make_testimony()
        with pytest.raises(services.WorkflowError, match="only records in review"):
            services.publish(record=testimony, by=reviewer)

    def test_drafts_consume_no_numbers(self, reviewer):
        for _ in range(3):
            factories.make_testimony()
        published = factories.publish_testimony()
        assert published.public_id == "T-0001"

    def test_public_id_survives_edits_and_republication(self, reviewer):
        testimony = factories.publish_testimony()
        original_id = testimony.public_id
        testimony.body_source = "A corrected first paragraph.\n\nSecond paragraph."
        testimony.save()
        republished = services.publish(record=testimony, by=reviewer, correction_note="Typo fixed")
        assert republished.public_id == original_id
        assert [v.number for v in republished.versions.all()] == [1, 2]
        assert republished.versions.get(number=2).correction_note == "Typo fixed"
        assert republished.versions.get(number=1).body.startswith("First paragraph")

    def test_numbers_are_never_reused_after_deletion(self, reviewer):
        first = factories.publish_testimony()
        Testimony.objects.filter(pk=first.pk).delete()
        second = factories.publish_testimony()
        assert first.public_id == "T-0001"
        assert second.public_id == "T-0002"
        assert PublicIdCounter.objects.get(prefix="T").last_number == 2

    def test_counter_skips_ids_loaded_from_fixtures(self, reviewer):
        loaded = factories.make_testimony()
        Testimony.objects.filter(pk=loaded.pk).update(public_id="T-0040", status=Status.PUBLISHED)
        services.sync_public_id_counters()
        assert factories.publish_testimony().public_id == "T-0041"

    def test_incidents_get_their_own_sequence(self, reviewer):
        factories.publish_testimony()
        incident = factories.publish_incident()
        assert incident.public_id == "R-0001"

    def test_withdrawal_erases_text_everywhere_but_keeps_the_id(self, reviewer):
        testimony = factories.publish_testimony(body="Sentinel-Withdrawn-Text paragraph.")
        testimony.title_source = "Edited title"
        testimony.save()
        withdrawn = services.withdraw(record=testimony, by=reviewer)
        assert withdrawn.status == Status.WITHDRAWN
        assert withdrawn.public_id == testimony.public_id
        assert withdrawn.body == "" and withdrawn.title == ""
        assert not withdrawn.versions.exists()
        assert withdrawn.history.count() >= 3
        for row in withdrawn.history.all():
            assert row.body == "" and row.title == "" and row.narrator_pseudonym == ""

    def test_editor_cannot_withdraw(self, editor):
        testimony = factories.publish_testimony()
        with pytest.raises(services.WorkflowError):
            services.withdraw(record=testimony, by=editor)
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED

    def test_history_records_an_edit(self, editor):
        testimony = factories.make_testimony(title="Before")
        testimony.title_source = "After"
        testimony.save()
        titles = list(testimony.history.order_by("history_date").values_list("title", flat=True))
        assert titles == ["Before", "After"]


class CorrectionNoteTests:
    def test_each_version_shows_only_its_own_note_and_no_other_record_changes(self, reviewer):
        testimony = factories.publish_testimony()
        other = factories.publish_testimony()
        testimony.body_source += "\n\nA first correction."
        testimony.save()
        services.publish(record=testimony, by=reviewer, correction_note="First correction")
        other.correction_note_source = "A note of the other testimony's draft correction"
        other.save()
        # An incident whose pk equals the other testimony's pk.
        incident = factories.make_incident()
        RaidIncident.objects.filter(pk=incident.pk).update(id=other.pk)
        factories.publish_incident(RaidIncident.objects.get(pk=other.pk))
        other.refresh_from_db()
        assert other.correction_note == "A note of the other testimony's draft correction"
        testimony.refresh_from_db()
        assert testimony.correction_note == ""
        testimony.body_source += "\n\nA second correction, without a note."
        testimony.save()
        services.publish(record=testimony, by=reviewer)
        notes = dict(testimony.versions.values_list("number", "correction_note"))
        assert notes == {1: "", 2: "First correction", 3: ""}
