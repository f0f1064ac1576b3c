import pytest

from tests.support import factories
from tests.support.sample_archive import make_incident_in_state, make_testimonies_in_states


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.ARCHIVE_SITE_URL = "https://archive.test"


@pytest.fixture
def sample(db, reviewer):
    """A testimony in each state, each with a clause link, a violation and a raid, its
    every text marked with a word of its own, so a leak can be searched for in bytes."""
    law = factories.make_law()
    clause = factories.make_clause(law)
    incident = make_incident_in_state("published", by=reviewer, clause=clause)
    violation_type = factories.make_violation_type()
    records = make_testimonies_in_states(
        ["draft", "review", "published", "withdrawn"],
        mark=lambda state: f"Zq{state}mark",
        by=reviewer,
        clause=clause,
        incident=incident,
        violation_type=violation_type,
    )
    return {"records": records, "incident": incident, "clause": clause, "law": law}
