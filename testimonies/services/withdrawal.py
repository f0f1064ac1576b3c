"""Withdrawal: the text erased everywhere (stored dataset releases too), the ledger kept,
and kept again after a restore."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from archive import dbfiles, httpcache
from releases import services as releases
from testimonies import ledger
from testimonies.models import (
    Consent,
    RaidIncident,
    RightsViolation,
    SearchDocument,
    Status,
    Testimony,
    TestimonyClause,
    TestimonyVersion,
    Withdrawal,
)
from testimonies.search import index as indexing
from testimonies.search import pagecache
from testimonies.services.public_ids import MODEL_OF_PREFIX

logger = logging.getLogger(__name__)

# Free text that stays after withdrawal: only the id the tombstone answers to.
KEPT_TEXT_FIELDS = {"public_id"}


def withdrawn_text_fields(model: type[models.Model]) -> list[str]:
    """Every free-text field of a record, erased at withdrawal.

    Worked out from the model rather than listed, so a text field added later
    is erased too unless someone decides, here, that it may stay. Fields with
    choices are coarse codes (province, nationality...), not anyone's words.
    """
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in KEPT_TEXT_FIELDS
    ]


def erased_text(model: type[models.Model]) -> dict[str, str | None]:
    """What each free-text field holds after withdrawal: empty, or NULL where the
    field allows it, so unique keys (the import key) never collide on ''."""
    return {
        name: None if model._meta.get_field(name).null else ""
        for name in withdrawn_text_fields(model)
    }


def _withdraw_locked(record: Testimony | RaidIncident) -> Testimony | RaidIncident:
    """The withdrawal itself, for a record already locked and checked (see ``transitions``).

    In the caller's transaction: the text is erased from the record, its published
    versions, its history rows, the notes on its clause links and violations,
    the admin's change log, the search index and the page cache; the withdrawal goes into the
    ledger (table and file). The public id stays, so the permalink can answer
    410 Gone. On SQLite the freed bytes are overwritten (``secure_delete``)
    and the write-ahead log is emptied once the transaction commits.
    """
    # Only published records are withdrawn, and a published one has its id.
    assert record.public_id is not None
    entry = ledger.LedgerEntry(
        public_id=record.public_id,
        withdrawn_at=timezone.now(),
        import_key_fingerprint=_import_key_fingerprint(record),
    )
    _erase(record, withdrawn_at=entry.withdrawn_at)
    indexing.purge_deleted_documents()
    Withdrawal.objects.create(
        public_id=entry.public_id,
        withdrawn_at=entry.withdrawn_at,
        import_key_fingerprint=entry.import_key_fingerprint,
    )
    ledger.append_to_file(entry)
    transaction.on_commit(dbfiles.flush_write_ahead_log)
    transaction.on_commit(pagecache.purge)
    # A CDN, if one is configured, forgets the pages now rather than at expiry.
    paths = [record.get_absolute_url()]
    transaction.on_commit(lambda: httpcache.request_purge(public_id=entry.public_id, paths=paths))
    # After the commit: files are not transactional, and a withdrawal rolled back
    # must not have amended a release. Should this fail, the ledger still names
    # the record, and the next release or reapply_withdrawals removes it.
    transaction.on_commit(_amend_releases)
    return record


def _amend_releases() -> None:
    try:
        releases.remove_withdrawn()
    except Exception:
        # The withdrawal is committed whatever happens to a file; the reviewer
        # must not see it fail. Logged for whoever runs the archive to act on.
        logger.exception("Stored releases were not amended; run reapply_withdrawals.")


def _import_key_fingerprint(record: Testimony | RaidIncident) -> str:
    """The fingerprint the importer refuses; taken before the key itself is erased."""
    key = getattr(record, "external_ref", None)
    return ledger.import_key_fingerprint(key) if key else ""


def _erase(record: Testimony | RaidIncident, *, withdrawn_at: datetime) -> None:
    """Set the record withdrawn and erase its text everywhere; safe to run again."""
    if isinstance(record, Testimony):
        _erase_testimony(record, withdrawn_at=withdrawn_at)
    else:
        _erase_incident(record, withdrawn_at=withdrawn_at)


def _erase_testimony(testimony: Testimony, *, withdrawn_at: datetime) -> None:
    newly_withdrawn = _erase_own_text(testimony, withdrawn_at=withdrawn_at)
    TestimonyVersion.objects.filter(testimony=testimony).delete()
    link_blank = erased_text(TestimonyClause)
    TestimonyClause.objects.filter(testimony=testimony).update(**link_blank)
    TestimonyClause.history.filter(testimony_id=testimony.pk).update(**link_blank)
    _erase_violations(models.Q(testimony_id=testimony.pk))
    # The consent's basis, scope and date stay as the record of what was
    # agreed; its free text (the private note) may name people and goes.
    consent_blank = erased_text(Consent)
    Consent.objects.filter(testimony=testimony).update(**consent_blank)
    Consent.history.filter(testimony_id=testimony.pk).update(**consent_blank)
    _erase_change_log(testimony)
    if newly_withdrawn or SearchDocument.objects.filter(testimony=testimony).exists():
        indexing.sync_testimony(testimony)


def _erase_incident(incident: RaidIncident, *, withdrawn_at: datetime) -> None:
    _erase_own_text(incident, withdrawn_at=withdrawn_at)
    _erase_violations(models.Q(incident_id=incident.pk))
    _erase_change_log(incident)


def _erase_own_text(record: Testimony | RaidIncident, *, withdrawn_at: datetime) -> bool:
    """Erase the record's text and its history rows'; whether it was withdrawn just now."""
    model = type(record)
    blank = erased_text(model)
    newly_withdrawn = record.status != Status.WITHDRAWN
    if newly_withdrawn:
        for name, value in blank.items():
            setattr(record, name, value)
        record.status = Status.WITHDRAWN
        record.withdrawn_at = withdrawn_at
        record.save()
    # Queryset updates from here on: they leave no new history rows behind.
    model.objects.filter(pk=record.pk).update(**blank)
    history_fields = {f.name for f in record.history.model._meta.fields}
    record.history.all().update(**{k: v for k, v in blank.items() if k in history_fields})
    return newly_withdrawn


def _erase_violations(linked: models.Q) -> None:
    violation_ids = list(RightsViolation.objects.filter(linked).values_list("pk", flat=True))
    violation_blank = erased_text(RightsViolation)
    RightsViolation.objects.filter(pk__in=violation_ids).update(**violation_blank)
    RightsViolation.history.filter(linked | models.Q(id__in=violation_ids)).update(
        **violation_blank
    )


def _erase_change_log(record: Testimony | RaidIncident) -> None:
    # The change log keeps who did what and when, but not the old title.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk)
    ).update(object_repr=f"{record.public_id} (withdrawn)", change_message="")


@dataclass
class ReapplyReport:
    entries: int = 0
    applied: list[str] = field(default_factory=list)  # were back (e.g. from a backup)
    not_here: list[str] = field(default_factory=list)  # ids this database never had


def reapply_withdrawals(*, progress: Callable[[int, int], None] | None = None) -> ReapplyReport:
    """Apply every ledger entry (file and table) to this database again; idempotent.

    Run after restoring a backup: records withdrawn since the backup was taken
    come back with their text, and this erases it again. Each side of the
    ledger is also completed from the other, import key fingerprints included.
    """
    entries = ledger.all_entries()
    in_file: dict[str, str] = {}
    for line in ledger.read_file():
        in_file[line.public_id] = in_file.get(line.public_id) or line.import_key_fingerprint
    report = ReapplyReport(entries=len(entries))
    for done, entry in enumerate(entries, start=1):
        with transaction.atomic():
            model = MODEL_OF_PREFIX.get(entry.public_id.split("-", 1)[0])
            record = (
                model.objects.select_for_update().filter(public_id=entry.public_id).first()
                if model
                else None
            )
            if record is not None and not entry.import_key_fingerprint:
                # A withdrawal older than fingerprints, and a backup that still
                # holds the import key: the ledger learns it before it is erased.
                entry = replace(entry, import_key_fingerprint=_import_key_fingerprint(record))
            withdrawal, _ = Withdrawal.objects.get_or_create(
                public_id=entry.public_id,
                defaults={
                    "withdrawn_at": entry.withdrawn_at,
                    "import_key_fingerprint": entry.import_key_fingerprint,
                },
            )
            if entry.import_key_fingerprint and not withdrawal.import_key_fingerprint:
                withdrawal.import_key_fingerprint = entry.import_key_fingerprint
                withdrawal.save(update_fields=["import_key_fingerprint"])
            if entry.public_id not in in_file or (
                entry.import_key_fingerprint and not in_file[entry.public_id]
            ):
                # Appended, never rewritten: a second line for the id, now with
                # the fingerprint; reading the file merges the two.
                ledger.append_to_file(entry)
            if record is None:
                report.not_here.append(entry.public_id)
            else:
                if record.status != Status.WITHDRAWN:
                    report.applied.append(entry.public_id)
                _erase(record, withdrawn_at=entry.withdrawn_at)
        if progress:
            progress(done, len(entries))
    if report.applied:
        indexing.purge_deleted_documents()
        dbfiles.flush_write_ahead_log()
    # Release folders are not in the database backup: each is checked against the
    # whole ledger, and its checksums read again from the files.
    releases.reconcile_all()
    return report
