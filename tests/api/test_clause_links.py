"""A clause's API record at scale: the links and incidents it lists are bounded, the counts
and search whole."""

from dataclasses import dataclass

import pytest

from laws.models import Clause
from testimonies import selectors
from testimonies.models import RaidIncident, Testimony, TestimonyClause
from tests.api.conftest import SENTINEL
from tests.support import factories
from tests.support.sample_archive import (
    HIDDEN_STATES,
    make_incident_in_state,
    make_testimony_in_state,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class BusyClause:
    clause: Clause
    published: list[Testimony]
    hidden: list[Testimony]


@pytest.fixture
def busy(monkeypatch) -> BusyClause:
    """A clause five published testimonies concern (one of them twice: six links), and
    a draft, an in-review and a withdrawn testimony linked to it too."""
    monkeypatch.setattr(selectors, "CLAUSE_LINKS_SHOWN", 3)
    clause = factories.make_clause(number="s. 26", heading="Human dignity")
    published = []
    for n in range(5):
        testimony = factories.make_testimony(title=f"Published account {n}")
        TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="violated")
        published.append(factories.publish_testimony(testimony))
    TestimonyClause.objects.create(testimony=published[0], clause=clause, relation="invoked")
    reviewer = factories.make_user("Reviewer")
    ties = {
        "clause": clause,
        "incident": factories.make_incident(),
        "violation_type": factories.make_violation_type(),
    }
    hidden = [
        make_testimony_in_state(state, mark=SENTINEL, by=reviewer, **ties)
        for state in HIDDEN_STATES
    ]
    return BusyClause(clause=clause, published=published, hidden=hidden)


def clause_record(client, clause) -> dict:
    response = client.get(f"/api/clauses/{clause.law.slug}/{clause.slug}/")
    assert response.status_code == 200
    assert SENTINEL.encode() not in response.content
    return response.json()


def every_page(client, url: str) -> list[dict]:
    """The results of a paged search, following ``next`` to the last page."""
    results = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert SENTINEL.encode() not in response.content
        data = response.json()
        results.extend(data["results"])
        url = data["next"]
    return results


def test_a_busy_clause_lists_its_first_links_and_counts_every_testimony(client, busy):
    data = clause_record(client, busy.clause)
    listed = [link["testimony"]["public_id"] for link in data["testimonies"]]
    first, second = sorted(t.public_id for t in busy.published)[:2]
    # By public id; the first testimony's two links both come first.
    assert listed == [first, first, second]
    assert data["more_testimonies"] is True
    assert data["testimony_count"] == 5


def test_the_search_it_links_to_finds_every_published_testimony(client, busy):
    data = clause_record(client, busy.clause)
    found = every_page(client, data["testimonies_api_url"])
    assert sorted(hit["public_id"] for hit in found) == sorted(t.public_id for t in busy.published)
    assert len(found) == data["testimony_count"]


def test_hidden_testimonies_are_neither_counted_nor_linked(client, busy, monkeypatch):
    monkeypatch.setattr(selectors, "CLAUSE_LINKS_SHOWN", 50)  # every link listed
    data = clause_record(client, busy.clause)
    listed = {link["testimony"]["public_id"] for link in data["testimonies"]}
    assert listed == {t.public_id for t in busy.published}
    assert data["testimony_count"] == 5
    found = {hit["public_id"] for hit in every_page(client, data["testimonies_api_url"])}
    assert found == listed
    # Each hidden state really is linked to the clause (the test would be empty otherwise);
    # only the withdrawn testimony has a public id that could leak.
    assert all(t.clause_links.filter(clause=busy.clause).exists() for t in busy.hidden)
    withdrawn_ids = {t.public_id for t in busy.hidden if t.public_id}
    assert withdrawn_ids and not withdrawn_ids & (listed | found)


def test_a_clause_with_few_links_lists_them_all(client, busy, monkeypatch):
    monkeypatch.setattr(selectors, "CLAUSE_LINKS_SHOWN", 6)  # exactly its links
    data = clause_record(client, busy.clause)
    assert len(data["testimonies"]) == 6
    assert data["more_testimonies"] is False


@dataclass(frozen=True)
class RaidedClause:
    clause: Clause
    published: list[RaidIncident]  # the most recent first
    hidden: list[RaidIncident]


@pytest.fixture
def raided(monkeypatch) -> RaidedClause:
    """A clause invoked in five published raids, and in a draft, an in-review and a
    withdrawn one, each more recent than every published raid."""
    monkeypatch.setattr(selectors, "CLAUSE_INCIDENTS_SHOWN", 3)
    clause = factories.make_clause(number="s. 9", heading="Raids")
    reviewer = factories.make_user("Reviewer")
    published = [
        make_incident_in_state("published", by=reviewer, clause=clause, date=f"200{n}-01-01")
        for n in range(5)
    ]
    hidden = [
        make_incident_in_state(
            state, by=reviewer, clause=clause, date="2012-01-01", title=f"{SENTINEL} raid"
        )
        for state in HIDDEN_STATES
    ]
    return RaidedClause(clause=clause, published=published[::-1], hidden=hidden)


def listed_incidents(data: dict) -> list[str]:
    return [incident["public_id"] for incident in data["incidents"]]


def test_a_clause_invoked_in_many_raids_lists_the_most_recent_and_counts_them_all(client, raided):
    data = clause_record(client, raided.clause)
    assert listed_incidents(data) == [i.public_id for i in raided.published[:3]]
    assert data["more_incidents"] is True
    assert data["incident_count"] == 5


@pytest.mark.parametrize("shown", [5, 50])
def test_hidden_incidents_are_neither_listed_nor_counted(client, raided, monkeypatch, shown):
    # At 5, exactly the published ones: a hidden incident would make it look like more.
    monkeypatch.setattr(selectors, "CLAUSE_INCIDENTS_SHOWN", shown)
    data = clause_record(client, raided.clause)
    assert listed_incidents(data) == [i.public_id for i in raided.published]
    assert data["more_incidents"] is False
    assert data["incident_count"] == 5
    # The hidden ones really invoke the clause; only the withdrawn one has a public id.
    assert all(i.clauses_invoked.filter(pk=raided.clause.pk).exists() for i in raided.hidden)
    withdrawn_ids = {i.public_id for i in raided.hidden if i.public_id}
    assert withdrawn_ids and not withdrawn_ids & set(listed_incidents(data))


def test_a_clause_no_raid_invoked_says_so(client, busy):
    data = clause_record(client, busy.clause)
    assert data["incidents"] == []
    assert data["more_incidents"] is False
    assert data["incident_count"] == 0
