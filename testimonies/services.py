"""Writes: the publication workflow for testimonies and raid incidents.

Every change of status goes through these functions, so the rules (who may
publish, when a public id is given, what withdrawal erases) live in one place.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from archive import dbfiles
from laws.models import Law
from testimonies import ledger, redaction
from testimonies.models import (
    Consent,
    ConsentBasis,
    ConsentScope,
    PublicIdCounter,
    RaidIncident,
    RendersMarkedText,
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

User = AbstractBaseUser | AnonymousUser

PUBLIC_ID_PREFIX = {Testimony: "T", RaidIncident: "R"}
MODEL_OF_PREFIX = {prefix: model for model, prefix in PUBLIC_ID_PREFIX.items()}
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


class WorkflowError(Exception):
    """A status change that is not allowed; the message is fit to show an editor."""


def _require(user: User, codename: str, refusal: str) -> None:
    if not user.has_perm(f"testimonies.{codename}"):
        raise WorkflowError(refusal)


def allocate_public_ids(model: type[models.Model], count: int = 1) -> list[str]:
    """Hand out the next ``count`` public ids for a model; must run inside a transaction.

    The counter row is locked, so two reviewers publishing at once get two
    numbers, and a number once handed out is never handed out again.
    """
    prefix = PUBLIC_ID_PREFIX[model]
    counter, _ = PublicIdCounter.objects.select_for_update().get_or_create(prefix=prefix)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{prefix}-{number:04d}" for number in range(first, counter.last_number + 1)]


def allocate_public_id(model: type[models.Model]) -> str:
    return allocate_public_ids(model, 1)[0]


def sync_public_id_counters() -> None:
    """Move each counter past the highest id present, after records were loaded raw.

    Fixtures and bulk loads write public ids without the counter; run this after
    them so the next publication cannot collide (the unique constraint would
    refuse it, but the reviewer would see an error).
    """
    with transaction.atomic():
        for model, prefix in PUBLIC_ID_PREFIX.items():
            highest = 0
            for public_id in model.objects.filter(public_id__startswith=f"{prefix}-").values_list(
                "public_id", flat=True
            ):
                number = public_id.split("-", 1)[1]
                if number.isdigit():
                    highest = max(highest, int(number))
            counter, _ = PublicIdCounter.objects.select_for_update().get_or_create(prefix=prefix)
            if highest > counter.last_number:
                counter.last_number = highest
                counter.save(update_fields=["last_number"])


def _locked(instance: models.Model) -> models.Model:
    return type(instance).objects.select_for_update().get(pk=instance.pk)


def send_to_review(*, record: Testimony | RaidIncident, by: User) -> Testimony | RaidIncident:
    model_name = record._meta.model_name
    _require(
        by,
        f"send_{model_name}_to_review",
        _("You do not have permission to send records to review."),
    )
    with transaction.atomic():
        record = _locked(record)
        if record.status != Status.DRAFT:
            raise WorkflowError(
                _("%(record)s is %(status)s; only drafts go to review.")
                % {"record": record, "status": record.get_status_display().lower()}
            )
        record.status = Status.IN_REVIEW
        record.save()
    return record


def published_with(record: Testimony | RaidIncident) -> list[RendersMarkedText]:
    """The record and the linked rows whose text its public pages show.

    A testimony's clause-link notes and violation notes, an incident's
    violation notes: checked with the record, so publishing it never
    publishes a linked note nobody looked at.
    """
    if isinstance(record, Testimony):
        links = record.clause_links.select_related("clause__law")
        violations = record.violations.select_related("violation_type")
        return [record, *links, *violations]
    return [record, *record.violations.select_related("violation_type")]


def _field_label(row: RendersMarkedText, source: str, record: models.Model) -> str:
    label = capfirst(row._meta.get_field(source).verbose_name)
    if row is record:
        return label
    return _("%(field)s of %(row)s") % {
        "field": label,
        "row": f"{row._meta.verbose_name} {row}",
    }


def markup_errors(record: Testimony | RaidIncident) -> list[str]:
    """Broken redaction markers in the editors' text, each with the field it is in."""
    return [
        _("%(field)s: %(problem)s")
        % {"field": _field_label(row, source, record), "problem": problem}
        for row in published_with(record)
        for source, problems in row.markup_errors().items()
        for problem in problems
    ]


def identifying_text(record: Testimony | RaidIncident) -> list[redaction.Finding]:
    """What a reviewer is warned about before publishing: names, dates, venues left unmarked.

    Every field the public reads is checked, and the whole body, excerpt or
    not, so the warning does not depend on the consent record (which editors
    may not see).
    """
    text = "\n\n".join(
        rendered
        for row in published_with(record)
        for rendered in row.rendered_text(excerpts_only=False).values()
    )
    # The laws the archive holds are named in accounts ("the Palermo Protocol").
    law_names = [
        name for pair in Law.objects.values_list("short_name", "title_en") for name in pair
    ]
    pseudonym = getattr(record, "narrator_pseudonym", "")
    return redaction.find_identifying(text, allowed=(pseudonym, *law_names))


def check_markup(record: Testimony | RaidIncident) -> None:
    """Refuse a record whose redaction markers are broken: its text could leak a name."""
    problems = markup_errors(record)
    if problems:
        raise WorkflowError(
            _("%(record)s cannot be published: its redaction markers are broken (%(problems)s).")
            % {"record": record, "problems": "; ".join(problems)}
        )


def check_publishable(testimony: Testimony | RaidIncident) -> None:
    """Refuse, with a message for the reviewer, a record whose consent or text forbids it.

    Records published before consent was recorded keep their public page;
    a new publication of them (a correction) needs the consent first.
    """
    if isinstance(testimony, RaidIncident):
        # An incident has no narrator and so no consent: only its text can forbid it.
        check_markup(testimony)
        return
    consent = Consent.objects.filter(testimony_id=testimony.pk).first()
    if consent is None:
        raise WorkflowError(
            _(
                "%(record)s has no consent recorded; record the narrator's consent "
                "before publishing."
            )
            % {"record": testimony}
        )
    if not consent.allows_publication:
        raise WorkflowError(
            _("%(record)s cannot be published: the narrator's consent is for research only.")
            % {"record": testimony}
        )
    check_markup(testimony)
    if consent.scope == ConsentScope.EXCERPTS and not redaction.excerpt_count(
        testimony.body_source
    ):
        raise WorkflowError(
            _(
                "%(record)s cannot be published: consent covers excerpts only and no "
                "paragraph of the body begins with [[excerpt]]."
            )
            % {"record": testimony}
        )


def publish(
    *, record: Testimony | RaidIncident, by: User, correction_note: str = ""
) -> Testimony | RaidIncident:
    """Publish a record in review, or publish a correction of a published one.

    The first publication gives the permanent public id. For testimonies each
    publication whose public text differs from the last one becomes a new
    numbered version, so earlier citations keep pointing at what they quoted.
    """
    model_name = record._meta.model_name
    _require(by, f"publish_{model_name}", _("You do not have permission to publish."))
    with transaction.atomic():
        record = _locked(record)
        if record.status not in (Status.IN_REVIEW, Status.PUBLISHED):
            raise WorkflowError(
                _("%(record)s is %(status)s; only records in review can be published.")
                % {"record": record, "status": record.get_status_display().lower()}
            )
        check_publishable(record)
        now = timezone.now()
        if not record.public_id:
            record.public_id = allocate_public_id(type(record))
            record.first_published_at = now
        record.status = Status.PUBLISHED
        record.published_at = now
        if isinstance(record, Testimony) and correction_note:
            record.correction_note_source = correction_note
        record.save()
        if isinstance(record, Testimony):
            record_version(testimony=record)
            indexing.sync_testimony(record)
            # The note belongs to the version just made, not to the next one.
            Testimony.objects.filter(pk=record.pk).update(
                correction_note="", correction_note_source=""
            )
            record.correction_note = record.correction_note_source = ""
    return record


def links_snapshot(testimony: Testimony) -> dict[str, list[list]]:
    """What a testimony's page shows of its clause links and violations, in a fixed order.

    Kept with each version (privately: by primary keys, which never change)
    so that a change to them is a new version, as a change of text is.
    """
    return {
        "clauses": [
            list(row)
            for row in TestimonyClause.objects.filter(testimony=testimony)
            .order_by("clause_id", "relation", "id")
            .values_list("clause_id", "relation", "note", "paragraph")
        ],
        "violations": [
            list(row)
            for row in RightsViolation.objects.filter(testimony=testimony)
            .with_public_incident_or_none()
            .order_by("id")
            .values_list("id", "violation_type_id", "perpetrator", "note", "incident_id")
        ],
    }


def record_version(
    *, testimony: Testimony, correction_note: str | None = None
) -> TestimonyVersion | None:
    """Snapshot the public text and links as a new version unless they equal the latest one."""
    latest = testimony.versions.order_by("-number").first()
    snapshot = {
        "title": testimony.title,
        "narrator_pseudonym": testimony.narrator_pseudonym,
        "summary": testimony.summary,
        "body": testimony.body,
        "links": links_snapshot(testimony),
    }
    if latest and all(getattr(latest, key) == value for key, value in snapshot.items()):
        return None
    if correction_note is None:
        correction_note = testimony.correction_note if latest else ""
    return TestimonyVersion.objects.create(
        testimony=testimony,
        number=(latest.number + 1) if latest else 1,
        correction_note=correction_note,
        published_at=testimony.published_at or timezone.now(),
        body_source=testimony.body_source,
        **snapshot,
    )


# --- Clause links and violations: what published pages show -------------------------


def published_records_showing(
    link: TestimonyClause | RightsViolation,
) -> list[Testimony | RaidIncident]:
    """The published testimonies and raids whose pages show this link as saved."""
    records = [getattr(link, name, None) for name in ("testimony", "incident")]
    return [
        record for record in records if record is not None and record.status == Status.PUBLISHED
    ]


def require_publish_permission(records: list[Testimony | RaidIncident], *, by: User) -> None:
    """Refuse a change to what published records show to a user who may not publish them."""
    for record in records:
        if record.status == Status.PUBLISHED and not by.has_perm(
            f"testimonies.publish_{record._meta.model_name}"
        ):
            raise WorkflowError(
                _(
                    "%(record)s is published: a change to what it shows is a correction, "
                    "which a reviewer publishes."
                )
                % {"record": record}
            )


def republish(records: list[Testimony | RaidIncident], *, by: User) -> None:
    """Publish each record again after what its page shows changed (once each)."""
    seen = set()
    for record in records:
        key = (type(record), record.pk)
        if key not in seen:
            seen.add(key)
            publish(record=record, by=by)


# --- Consent, and what it does to text already published ------------------------------


def consent_record(
    *,
    testimony: Testimony,
    scope: str,
    basis: str,
    given_on: date,
    note: str = "",
    by: User,
) -> Consent:
    """Record the narrator's consent, or change it; every public text obeys it at once.

    Narrowing a published testimony to excerpts takes the other paragraphs
    out of everything the public reads, in this one transaction: the current
    text (a new version), every earlier version (each keeps its number and
    says text was withheld at the narrator's request), the search index and
    the page cache, so no citation, feed, export, API answer or harvest can
    serve them afterwards.
    """
    testimony_id = testimony.pk
    codename = (
        "change_consent"
        if Consent.objects.filter(testimony_id=testimony_id).exists()
        else "add_consent"
    )
    _require(by, codename, _("You do not have permission to record consent."))
    if scope not in ConsentScope.values or basis not in ConsentBasis.values:
        raise WorkflowError(_("Unknown consent scope or basis."))
    with transaction.atomic():
        testimony = _locked(testimony)
        if testimony.status == Status.PUBLISHED and scope == ConsentScope.RESEARCH:
            raise WorkflowError(
                _(
                    "%(record)s is published. If the narrator no longer agrees to publication, "
                    "withdraw it rather than changing the scope."
                )
                % {"record": testimony}
            )
        consent, _created = Consent.objects.update_or_create(
            testimony=testimony,
            defaults={"scope": scope, "basis": basis, "given_on": given_on, "note": note},
        )
        before = (testimony.title, testimony.summary, testimony.body)
        testimony.render_public_text(scope=scope)
        if (testimony.title, testimony.summary, testimony.body) != before:
            testimony.save()
        if testimony.status == Status.PUBLISHED and scope == ConsentScope.EXCERPTS:
            # The new version first: once the earlier ones are withheld, the
            # latest of them may read the same as the narrowed text.
            made = record_version(
                testimony=testimony,
                correction_note=_("Text withheld at the narrator's request."),
            )
            withheld = _withhold_from_versions(testimony, at=timezone.now())
            if withheld or made:
                indexing.sync_testimony(testimony)
                transaction.on_commit(pagecache.purge)
    return consent


def _withhold_from_versions(testimony: Testimony, *, at: datetime) -> list[int]:
    """Take every paragraph but the excerpts out of each published version; their numbers.

    A version is rendered again from the body it was published from, so an
    excerpt keeps the words it had then. A version made before bodies were
    kept with it keeps only the paragraphs that are excerpts of the body now:
    what cannot be shown to be an excerpt is withheld.
    """
    current_excerpts = set(
        redaction.paragraphs(redaction.render_body(testimony.body_source, excerpts_only=True))
    )
    marked = _marked_now(testimony)
    changed = []
    for version in testimony.versions.order_by("number"):
        if version.body_source:
            body = redaction.render_body(version.body_source, excerpts_only=True)
            if version.redacted_at:
                body = redaction.apply_marked(body, marked)
        else:
            kept = [p for p in redaction.paragraphs(version.body) if p in current_excerpts]
            body = "\n\n".join(kept)
        if body != version.body:
            version.body = body
            version.withheld_at = at
            version.save(update_fields=["body", "withheld_at"])
            changed.append(version.number)
    return changed


# --- Redactions made later, applied to earlier versions -------------------------------

# The public text of a version that a marker written later can reach.
VERSION_TEXT_FIELDS = ("title", "summary", "body", "correction_note")


def _marked_now(testimony: Testimony) -> dict[str, str]:
    """What the editors mark now anywhere in the testimony: its fields and its links' notes."""
    return redaction.marked_texts(
        *(getattr(testimony, source) for source in testimony.source_fields.values()),
        *TestimonyClause.objects.filter(testimony=testimony).values_list("note_source", flat=True),
        *RightsViolation.objects.filter(testimony=testimony).values_list("note_source", flat=True),
    )


def versions_apply_redactions(*, testimony: Testimony, by: User) -> list[int]:
    """Withhold, in every earlier version, what the editors' text marks now; the numbers changed.

    A name published unmarked and marked in a later correction is otherwise
    readable at /v1/ for good. Each version keeps its number and date and
    says it was redacted later; the change goes into the admin's history.
    """
    _require(by, "publish_testimony", _("You do not have permission to publish."))
    with transaction.atomic():
        testimony = _locked(testimony)
        if testimony.status != Status.PUBLISHED:
            raise WorkflowError(
                _("%(record)s is not published; it has no public versions to redact.")
                % {"record": testimony}
            )
        marked = _marked_now(testimony)
        now = timezone.now()
        changed = []
        for version in testimony.versions.order_by("number"):
            fields = []
            for name in VERSION_TEXT_FIELDS:
                text = redaction.apply_marked(getattr(version, name), marked)
                if text != getattr(version, name):
                    setattr(version, name, text)
                    fields.append(name)
            if fields:
                version.redacted_at = now
                version.save(update_fields=[*fields, "redacted_at"])
                changed.append(version.number)
        if changed:
            LogEntry.objects.log_actions(
                user_id=by.pk,
                queryset=[testimony],
                action_flag=CHANGE,
                change_message=_("Applied later redactions to versions %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in changed)},
            )
            transaction.on_commit(pagecache.purge)
    return changed


def withdraw(*, record: Testimony | RaidIncident, by: User) -> Testimony | RaidIncident:
    """Withdraw a published record for good (consent withdrawn).

    In one transaction: the text is erased from the record, its published
    versions, its history rows, the notes on its clause links and violations,
    the admin's change log, the search index and the page cache; the withdrawal goes into the
    ledger (table and file). The public id stays, so the permalink can answer
    410 Gone. On SQLite the freed bytes are overwritten (``secure_delete``)
    and the write-ahead log is emptied once the transaction commits.
    """
    model_name = record._meta.model_name
    _require(by, f"withdraw_{model_name}", _("You do not have permission to withdraw records."))
    with transaction.atomic():
        record = _locked(record)
        if record.status == Status.WITHDRAWN:
            raise WorkflowError(
                _("%(public_id)s is already withdrawn.") % {"public_id": record.public_id}
            )
        if record.status != Status.PUBLISHED:
            raise WorkflowError(
                _(
                    "%(record)s was never published, so there is nothing to withdraw: "
                    "delete it instead."
                )
                % {"record": record}
            )
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
    return record


def _import_key_fingerprint(record: Testimony | RaidIncident) -> str:
    """The fingerprint the importer refuses; taken before the key itself is erased."""
    key = getattr(record, "external_ref", None)
    return ledger.import_key_fingerprint(key) if key else ""


def _erase(record: Testimony | RaidIncident, *, withdrawn_at: datetime) -> None:
    """Set the record withdrawn and erase its text everywhere; safe to run again."""
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
    if isinstance(record, Testimony):
        TestimonyVersion.objects.filter(testimony=record).delete()
        link_blank = erased_text(TestimonyClause)
        TestimonyClause.objects.filter(testimony=record).update(**link_blank)
        TestimonyClause.history.filter(testimony_id=record.pk).update(**link_blank)
        linked = models.Q(testimony_id=record.pk)
    else:
        linked = models.Q(incident_id=record.pk)
    violation_ids = list(RightsViolation.objects.filter(linked).values_list("pk", flat=True))
    violation_blank = erased_text(RightsViolation)
    RightsViolation.objects.filter(pk__in=violation_ids).update(**violation_blank)
    RightsViolation.history.filter(linked | models.Q(id__in=violation_ids)).update(
        **violation_blank
    )
    if isinstance(record, Testimony):
        # The consent's basis, scope and date stay as the record of what was
        # agreed; its free text (the private note) may name people and goes.
        consent_blank = erased_text(Consent)
        Consent.objects.filter(testimony=record).update(**consent_blank)
        Consent.history.filter(testimony_id=record.pk).update(**consent_blank)
    # The change log keeps who did what and when, but not the old title.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(record.pk)
    ).update(object_repr=f"{record.public_id} (withdrawn)", change_message="")
    if isinstance(record, Testimony) and (
        newly_withdrawn or SearchDocument.objects.filter(testimony=record).exists()
    ):
        indexing.sync_testimony(record)


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
    return report
