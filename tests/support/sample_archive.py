"""Records in every publication state, each carrying its own sentinel in every text.

The privacy tests of the public pages, the open-data surfaces and the API
all build such records and then look for the sentinel where it must not be;
one builder keeps them hiding the same things in the same places.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from laws.models import Clause
from testimonies import services
from testimonies.models import (
    RaidIncident,
    RightsViolation,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from tests.support import factories

HIDDEN_STATES = ["draft", "review", "withdrawn"]


def sentinel_text(mark: str) -> dict[str, str]:
    """Every text field of a testimony, each with ``mark`` in it; the body has two paragraphs."""
    return {
        "title": f"{mark} title",
        "narrator_pseudonym": f"{mark}name",
        "summary": f"{mark} summary",
        "body": f"{mark} body one.\n\n{mark} body two.",
        "content_note": f"{mark} content note",
        "correction_note": f"{mark} correction",
        "source": f"{mark} source",
    }


def make_testimony_in_state(
    state: str,
    *,
    mark: str,
    by: AbstractBaseUser,
    clause: Clause,
    incident: RaidIncident,
    violation_type: ViolationType,
    **fields: object,
) -> Testimony:
    """A testimony taken to ``state`` (draft, review, published or withdrawn) by ``by``.

    ``mark`` is in its every text, its consent's note, and the notes of its link
    to ``clause`` and of its violation in ``incident``: the links and notes of a
    hidden record outlive its text and are where a leak would hide.
    """
    testimony = factories.make_testimony(**{**sentinel_text(mark), **fields})
    TestimonyClause.objects.create(
        testimony=testimony, clause=clause, relation="violated", note_source=f"{mark} note"
    )
    RightsViolation.objects.create(
        violation_type=violation_type,
        testimony=testimony,
        incident=incident,
        perpetrator="police",
        note_source=f"{mark} violation",
    )
    incident.testimonies.add(testimony)
    factories.make_consent(testimony, note=f"{mark} consent note")
    return _taken_to(state, testimony, by=by)


def make_incident_in_state(
    state: str, *, by: AbstractBaseUser, clause: Clause, **fields: object
) -> RaidIncident:
    """A raid incident invoking ``clause``, taken to ``state`` (as for testimonies) by ``by``."""
    incident = factories.make_incident(**fields)
    incident.clauses_invoked.add(clause)
    return _taken_to(state, incident, by=by)


def _taken_to[R: (Testimony, RaidIncident)](state: str, record: R, *, by: AbstractBaseUser) -> R:
    """A draft record taken through the workflow to ``state``, as editors would."""
    if state != "draft":
        services.send_to_review(record=record, by=by)
    if state in ("published", "withdrawn"):
        services.publish(record=record, by=by)
    if state == "withdrawn":
        services.withdraw(record=record, by=by)
    record.refresh_from_db()
    return record


def make_testimonies_in_states(
    states: Iterable[str], *, mark: Callable[[str], str], **arguments: Any
) -> dict[str, Testimony]:
    """``make_testimony_in_state`` for each of ``states`` with ``mark(state)``, keyed by state.

    ``arguments`` (the user, the ties, any field) are the same for every state.
    """
    return {
        state: make_testimony_in_state(state, mark=mark(state), **arguments) for state in states
    }
