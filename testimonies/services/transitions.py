"""Changes of status: send to review, publish, withdraw; one function per record type.

Each verb goes through ``_transition``, the shared core: the permission, the
row lock and the statuses the change may start from are checked there, in
that order, so no verb can forget one.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from testimonies.models import RaidIncident, Status, Testimony
from testimonies.search import index as indexing
from testimonies.services.common import User, WorkflowError, _locked, _require
from testimonies.services.public_ids import allocate_public_id
from testimonies.services.review import incident_check_publishable, testimony_check_publishable
from testimonies.services.versions import record_version
from testimonies.services.withdrawal import _withdraw_locked


@contextmanager
def _transition[Record: (Testimony, RaidIncident)](
    record: Record,
    *,
    by: User,
    permission: str,
    refusal: str,
    allowed_from: tuple[str, ...],
    wrong_status: Callable[[Record], str],
) -> Iterator[Record]:
    """Check ``by`` has ``permission`` (else ``refusal``), then lock the record for
    the duration of the block and refuse it unless its status is in ``allowed_from``.

    Yields the locked record, read again from the database; the block sets the
    new status and saves it, inside the same transaction.
    """
    _require(by, permission, refusal)
    with transaction.atomic():
        record = _locked(record)
        if record.status not in allowed_from:
            raise WorkflowError(wrong_status(record))
        yield record


# --- Send to review ---------------------------------------------------------------------


def _not_a_draft[Record: (Testimony, RaidIncident)](record: Record) -> str:
    return _("%(record)s is %(status)s; only drafts go to review.") % {
        "record": record,
        "status": record.get_status_display().lower(),
    }


def _send_to_review[Record: (Testimony, RaidIncident)](
    record: Record, *, by: User, permission: str
) -> Record:
    with _transition(
        record,
        by=by,
        permission=permission,
        refusal=_("You do not have permission to send records to review."),
        allowed_from=(Status.DRAFT,),
        wrong_status=_not_a_draft,
    ) as record:
        record.status = Status.IN_REVIEW
        record.save()
    return record


def testimony_send_to_review(*, testimony: Testimony, by: User) -> Testimony:
    return _send_to_review(testimony, by=by, permission="send_testimony_to_review")


def incident_send_to_review(*, incident: RaidIncident, by: User) -> RaidIncident:
    return _send_to_review(incident, by=by, permission="send_raidincident_to_review")


# --- Publish ----------------------------------------------------------------------------


def _not_in_review[Record: (Testimony, RaidIncident)](record: Record) -> str:
    return _("%(record)s is %(status)s; only records in review can be published.") % {
        "record": record,
        "status": record.get_status_display().lower(),
    }


def _publishing[Record: (Testimony, RaidIncident)](
    record: Record, *, by: User, permission: str
) -> AbstractContextManager[Record]:
    return _transition(
        record,
        by=by,
        permission=permission,
        refusal=_("You do not have permission to publish."),
        allowed_from=(Status.IN_REVIEW, Status.PUBLISHED),
        wrong_status=_not_in_review,
    )


def _mark_published[Record: (Testimony, RaidIncident)](record: Record) -> None:
    """The first publication gives the permanent public id; every one is dated."""
    now = timezone.now()
    if not record.public_id:
        record.public_id = allocate_public_id(type(record))
        record.first_published_at = now
    record.status = Status.PUBLISHED
    record.published_at = now


def testimony_publish(*, testimony: Testimony, by: User, correction_note: str = "") -> Testimony:
    """Publish a testimony in review, or publish a correction of a published one.

    Each publication whose public text differs from the last one becomes a new
    numbered version, so earlier citations keep pointing at what they quoted.
    """
    with _publishing(testimony, by=by, permission="publish_testimony") as testimony:
        testimony_check_publishable(testimony)
        _mark_published(testimony)
        if correction_note:
            testimony.correction_note_source = correction_note
        testimony.save()
        record_version(testimony=testimony)
        indexing.sync_testimony(testimony)
        # The note belongs to the version just made, not to the next one.
        Testimony.objects.filter(pk=testimony.pk).update(
            correction_note="", correction_note_source=""
        )
        testimony.correction_note = testimony.correction_note_source = ""
    return testimony


def incident_publish(*, incident: RaidIncident, by: User) -> RaidIncident:
    """Publish a raid incident in review, or publish a correction of a published one."""
    with _publishing(incident, by=by, permission="publish_raidincident") as incident:
        incident_check_publishable(incident)
        _mark_published(incident)
        incident.save()
    return incident


# --- Withdraw ---------------------------------------------------------------------------


def _not_withdrawable[Record: (Testimony, RaidIncident)](record: Record) -> str:
    if record.status == Status.WITHDRAWN:
        return _("%(public_id)s is already withdrawn.") % {"public_id": record.public_id}
    return _(
        "%(record)s was never published, so there is nothing to withdraw: delete it instead."
    ) % {"record": record}


def _withdraw[Record: (Testimony, RaidIncident)](
    record: Record, *, by: User, permission: str
) -> Record:
    with _transition(
        record,
        by=by,
        permission=permission,
        refusal=_("You do not have permission to withdraw records."),
        allowed_from=(Status.PUBLISHED,),
        wrong_status=_not_withdrawable,
    ) as record:
        _withdraw_locked(record)
    return record


def testimony_withdraw(*, testimony: Testimony, by: User) -> Testimony:
    """Withdraw a published testimony for good (consent withdrawn); see ``withdrawal``."""
    return _withdraw(testimony, by=by, permission="withdraw_testimony")


def incident_withdraw(*, incident: RaidIncident, by: User) -> RaidIncident:
    """Withdraw a published raid incident for good; see ``withdrawal``."""
    return _withdraw(incident, by=by, permission="withdraw_raidincident")
