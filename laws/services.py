"""Writes to laws and their versions: filling versions in, and publishing editors' proposals.

An editor's save of reference data in the admin is not written to the record:
it becomes a proposal here, which a reviewer publishes or rejects.
"""

from datetime import date

from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from laws import proposals
from laws.models import Amendment, ClauseVersion, InForcePrecision, Law, ReferenceChange

# Whoever acts: an account with permissions (every staff user), or nobody.
User = PermissionsMixin | AnonymousUser

AS_ENACTED = "as-enacted"


@transaction.atomic
def clause_versions_fill() -> int:
    """Give every clause without versions one from its own text, as enacted; how many were made.

    The law's "as enacted" instrument is used when there is one (the fixtures
    give the day each law came into force); otherwise one is made from the
    law's year, with the precision "year" for an editor to correct. Run after
    loading laws, so that every clause reads against a stored version.
    """
    made = 0
    for law in Law.objects.filter(clauses__versions__isnull=True).distinct():
        enacted, _ = Amendment.objects.get_or_create(
            law=law,
            slug=AS_ENACTED,
            defaults={
                "kind": Amendment.Kind.ENACTMENT,
                "name": law.title_en,
                "name_th": law.title_th,
                "in_force_from": date(law.year, 1, 1),
                "in_force_precision": InForcePrecision.YEAR,
            },
        )
        rows = ClauseVersion.objects.bulk_create(
            ClauseVersion(
                clause=clause,
                amendment=enacted,
                valid_from=enacted.in_force_from,
                summary=clause.summary,
                summary_th=clause.summary_th,
                official_text=clause.official_text,
                official_text_source=clause.official_text_source,
            )
            for clause in law.clauses.filter(versions__isnull=True)
        )
        made += len(rows)
    return made


# --- Proposed changes to reference data -------------------------------------------------
# An editor's admin save of a law, clause, amendment, clause version or violation
# type becomes a proposal (laws/proposal_models.py); a reviewer publishes or rejects it.


class ReferenceChangeRefused(Exception):
    """A proposal that cannot be published or rejected; the message is fit to show an editor."""


def _require_reviewer(user: User) -> None:
    if not user.has_perm(proposals.PUBLISH_PERMISSION):
        raise ReferenceChangeRefused(
            gettext("You do not have permission to publish or reject changes to reference data.")
        )


def reference_change_propose(
    *, record: models.Model, fields: list[str], m2m: proposals.Values, by: User
) -> ReferenceChange:
    """Store ``record``'s unsaved values of ``fields`` (and the many-to-many choices ``m2m``)
    as a change in review, based on the live record as it is now; the record is not written."""
    model = type(record)
    fields = proposals.editable_fields(model, fields)
    based_on: proposals.Values = {}
    if record.pk is not None:
        live = model._default_manager.get(pk=record.pk)
        based_on = proposals.record_values(live, fields)
    change = ReferenceChange(
        target_type=ContentType.objects.get_for_model(model),
        target_id=record.pk,
        target_label=proposals.record_label(record)[:300],
        proposed=proposals.record_values(record, fields, m2m),
        based_on=based_on,
        status=ReferenceChange.Status.IN_REVIEW,
        author=by,  # type: ignore[misc]
    )
    vars(change)["_history_user"] = by
    change.save()
    return change


def _locked_open_change(change: ReferenceChange) -> ReferenceChange:
    change = ReferenceChange.objects.select_for_update().get(pk=change.pk)
    if change.status not in (ReferenceChange.Status.DRAFT, ReferenceChange.Status.IN_REVIEW):
        raise ReferenceChangeRefused(
            gettext("The change to %(record)s is already %(status)s.")
            % {"record": change.target_label, "status": change.get_status_display().lower()}
        )
    return change


def _decided(change: ReferenceChange, *, status: str, by: User) -> None:
    change.status = status
    change.reviewer = by  # type: ignore[assignment]
    change.decided_at = timezone.now()
    vars(change)["_history_user"] = by
    change.save()


@transaction.atomic
def reference_change_publish(*, change: ReferenceChange, by: User) -> models.Model:
    """Write a proposal to the live record (or create it), in one transaction; the record.

    Refused if the record has changed since the proposal was based on it, if it has
    been deleted, or if the proposed values no longer pass the model's own checks.
    The public pages follow as for any save: the tables' triggers renew the page
    cache's generation token.
    """
    _require_reviewer(by)
    change = _locked_open_change(change)
    model = change.target_model()
    if change.target_id is None:
        record = model()
    else:
        found = model._default_manager.select_for_update().filter(pk=change.target_id).first()
        if found is None:
            raise ReferenceChangeRefused(
                gettext("%(record)s no longer exists, so the change cannot be published.")
                % {"record": change.target_label}
            )
        record = found
        if proposals.is_stale(change, record):
            raise ReferenceChangeRefused(
                gettext(
                    "%(record)s has changed since this change was proposed; publishing it would "
                    "undo the newer change. Reject it and propose the change again."
                )
                % {"record": change.target_label}
            )
    later = proposals.assign_values(record, change.proposed)
    try:
        record.full_clean()
        for name, pks in later.items():
            field = type(record)._meta.get_field(name)
            related = field.related_model
            assert isinstance(related, type)
            if related._default_manager.filter(pk__in=pks).count() != len(set(pks)):
                raise ValidationError(
                    gettext("A record chosen for %(field)s no longer exists.")
                    % {"field": getattr(field, "verbose_name", name)}
                )
    except ValidationError as error:
        raise ReferenceChangeRefused(
            gettext("The change to %(record)s cannot be published: %(problems)s")
            % {"record": change.target_label, "problems": " ".join(error.messages)}
        ) from error
    vars(record)["_history_user"] = by
    vars(record)["_change_reason"] = f"Proposed change {change.pk} by {change.author}"[:100]
    record.save()
    for name, pks in later.items():
        getattr(record, name).set(pks)
    change.target_id = record.pk
    _decided(change, status=ReferenceChange.Status.PUBLISHED, by=by)
    return record


@transaction.atomic
def reference_change_reject(*, change: ReferenceChange, by: User, note: str) -> ReferenceChange:
    """Close a proposal without applying it; ``note`` tells its author why."""
    _require_reviewer(by)
    change = _locked_open_change(change)
    change.note = note
    _decided(change, status=ReferenceChange.Status.REJECTED, by=by)
    return change
