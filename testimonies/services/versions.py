"""Published versions of a testimony: made at each publication, redacted or withheld later."""

from datetime import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from testimonies import redaction
from testimonies.models import (
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    TestimonyVersion,
)
from testimonies.search import pagecache
from testimonies.services.common import User, WorkflowError, _locked, _require


def links_snapshot(testimony: Testimony) -> dict[str, list[list]]:
    """What a testimony's page shows of its clause links and violations, in a fixed order.

    Kept with each version (privately: by primary keys, which never change)
    so that a change to them is a new version, as a change of text is.
    """
    return {
        # The Thai note joins a row only when there is one, so versions kept
        # before links had Thai notes still equal an unchanged testimony.
        "clauses": [
            [*row, note_th] if note_th else list(row)
            for *row, note_th in TestimonyClause.objects.filter(testimony=testimony)
            .order_by("clause_id", "relation", "id")
            .values_list("clause_id", "relation", "note", "paragraph", "note_th")
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
        *(
            text
            for pair in TestimonyClause.objects.filter(testimony=testimony).values_list(
                "note_source", "note_th_source"
            )
            for text in pair
        ),
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
            assert by.pk is not None  # only an account with the permission gets here
            LogEntry.objects.log_actions(
                user_id=by.pk,
                queryset=[testimony],
                action_flag=CHANGE,
                change_message=_("Applied later redactions to versions %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in changed)},
            )
            transaction.on_commit(pagecache.purge)
    return changed
