"""The sample archive as an API client sees it, plus hidden records that must never show.

Every text field of every draft, in-review and withdrawn record carries
``SENTINEL``; the privacy tests crawl the API and look for it in every body.
"""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from laws.models import Clause
from testimonies import services
from testimonies.models import (
    RaidIncident,
    RightsViolation,
    Testimony,
    ViolationType,
)
from tests.support import factories
from tests.support.sample_archive import HIDDEN_STATES, make_testimonies_in_states

SENTINEL = "zqxhiddenxqz"
# DRF's throttle counts in the default cache; each test starts with no requests counted.
UNLIMITED = "1000000/minute"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unthrottled(settings):
    """For tests that send more requests than the default rate allows."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": UNLIMITED},
    }


def _hidden_incident(*, clause, testimony, violation_type) -> RaidIncident:
    incident = factories.make_incident(
        title=f"{SENTINEL} raid title", description=f"{SENTINEL} raid description"
    )
    incident.clauses_invoked.add(clause)
    incident.testimonies.add(testimony)
    RightsViolation.objects.create(
        violation_type=violation_type,
        incident=incident,
        perpetrator="police",
        note_source=f"{SENTINEL} raid violation note",
    )
    return incident


def make_hidden_records() -> dict[str, object]:
    """A draft, an in-review and a withdrawn testimony and incident, tied to public records."""
    reviewer = factories.make_user("Reviewer")
    clause = Clause.objects.filter(testimony_links__isnull=False).order_by("id").first()
    public_incident = RaidIncident.objects.public().order_by("id").first()
    public_testimony = Testimony.objects.public().order_by("id").first()
    violation_type = ViolationType.objects.order_by("id").first()
    ties = {"clause": clause, "incident": public_incident, "violation_type": violation_type}

    hidden_testimonies = make_testimonies_in_states(
        HIDDEN_STATES, mark=lambda _state: SENTINEL, by=reviewer, **ties
    )

    hidden: dict[str, object] = {"clause": clause, "public_testimony": public_testimony}
    incident_ties = {
        "clause": clause,
        "testimony": public_testimony,
        "violation_type": violation_type,
    }
    hidden["draft_incident"] = _hidden_incident(**incident_ties)
    review_incident = _hidden_incident(**incident_ties)
    hidden["review_incident"] = services.send_to_review(record=review_incident, by=reviewer)
    withdrawn_incident = factories.publish_incident(_hidden_incident(**incident_ties))
    hidden["withdrawn_incident"] = services.withdraw(record=withdrawn_incident, by=reviewer)
    hidden.update(
        draft=hidden_testimonies["draft"],
        in_review=hidden_testimonies["review"],
        withdrawn=hidden_testimonies["withdrawn"],
    )
    return hidden


@pytest.fixture(scope="package")
def sample_archive(django_db_setup, django_db_blocker):
    """The shipped fixtures (laws, vocabulary, sample records) and the hidden records.

    Loaded once for the API tests inside a transaction rolled back after the
    last of them; each test still runs in its own savepoint, so nothing a
    test writes leaks out, and tests outside this package never see it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_archive", stdout=StringIO())
        yield make_hidden_records()
        transaction.set_rollback(True)


@pytest.fixture
def archive(sample_archive, db):
    return sample_archive
