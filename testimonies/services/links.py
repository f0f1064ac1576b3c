"""Clause links and violations: what published pages show, and who may change it."""

from django.utils.translation import gettext as _

from testimonies.models import (
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
)
from testimonies.services.common import User, WorkflowError
from testimonies.services.transitions import incident_publish, testimony_publish


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
            if isinstance(record, Testimony):
                testimony_publish(testimony=record, by=by)
            else:
                incident_publish(incident=record, by=by)
