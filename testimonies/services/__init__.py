"""Writes: the publication workflow for testimonies and raid incidents.

Every change of status goes through these functions, so the rules (who may
publish, when a public id is given, what withdrawal erases) live in one place.
One module per concern; everything callers use is re-exported here, so they
keep writing ``services.publish(...)``.

``send_to_review``, ``publish`` and ``withdraw`` take either record type, for
callers that handle both alike (the admin's workflow actions, commands); they
only pick the function for the record's type in ``transitions``.
"""

from testimonies.models import RaidIncident, Testimony
from testimonies.services.clause_checks import (
    LinkInFull,
    law_in_full,
    links_in_full,
    unlikely_links,
)
from testimonies.services.common import ConsentNeeded, User, WorkflowError
from testimonies.services.consent import consent_record
from testimonies.services.links import (
    published_records_showing,
    republish,
    require_publish_permission,
)
from testimonies.services.public_ids import (
    MODEL_OF_PREFIX,
    PUBLIC_ID_PREFIX,
    allocate_public_id,
    allocate_public_ids,
    sync_public_id_counters,
)
from testimonies.services.review import (
    check_markup,
    check_publishable,
    identifying_text,
    incident_check_publishable,
    markup_errors,
    published_with,
    testimony_check_publishable,
)
from testimonies.services.transitions import (
    incident_publish,
    incident_send_to_review,
    incident_withdraw,
    testimony_publish,
    testimony_send_to_review,
    testimony_withdraw,
)
from testimonies.services.versions import (
    VERSION_TEXT_FIELDS,
    links_snapshot,
    record_version,
    versions_apply_redactions,
)
from testimonies.services.withdrawal import (
    KEPT_TEXT_FIELDS,
    ReapplyReport,
    erased_text,
    reapply_withdrawals,
    withdrawn_text_fields,
)


def send_to_review(*, record: Testimony | RaidIncident, by: User) -> Testimony | RaidIncident:
    if isinstance(record, Testimony):
        return testimony_send_to_review(testimony=record, by=by)
    return incident_send_to_review(incident=record, by=by)


def publish(
    *, record: Testimony | RaidIncident, by: User, correction_note: str = ""
) -> Testimony | RaidIncident:
    """Publish either record type; a correction note is kept only by testimonies."""
    if isinstance(record, Testimony):
        return testimony_publish(testimony=record, by=by, correction_note=correction_note)
    return incident_publish(incident=record, by=by)


def withdraw(*, record: Testimony | RaidIncident, by: User) -> Testimony | RaidIncident:
    if isinstance(record, Testimony):
        return testimony_withdraw(testimony=record, by=by)
    return incident_withdraw(incident=record, by=by)


__all__ = [
    "KEPT_TEXT_FIELDS",
    "MODEL_OF_PREFIX",
    "PUBLIC_ID_PREFIX",
    "VERSION_TEXT_FIELDS",
    "ConsentNeeded",
    "LinkInFull",
    "ReapplyReport",
    "User",
    "WorkflowError",
    "allocate_public_id",
    "allocate_public_ids",
    "check_markup",
    "check_publishable",
    "consent_record",
    "erased_text",
    "identifying_text",
    "incident_check_publishable",
    "incident_publish",
    "incident_send_to_review",
    "incident_withdraw",
    "law_in_full",
    "links_in_full",
    "links_snapshot",
    "markup_errors",
    "publish",
    "published_records_showing",
    "published_with",
    "reapply_withdrawals",
    "record_version",
    "republish",
    "require_publish_permission",
    "send_to_review",
    "sync_public_id_counters",
    "testimony_check_publishable",
    "testimony_publish",
    "testimony_send_to_review",
    "testimony_withdraw",
    "unlikely_links",
    "versions_apply_redactions",
    "withdraw",
    "withdrawn_text_fields",
]
