"""A clause's page at scale: the links and raids it lists are bounded, the counts exact."""

import pytest

from testimonies import selectors
from testimonies.models import TestimonyClause
from tests.support import factories
from tests.support.sample_archive import HIDDEN_STATES, make_incident_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_clause(monkeypatch):
    """A clause concerned by five published testimonies and one draft."""
    monkeypatch.setattr(selectors, "CLAUSE_LINKS_SHOWN", 3)
    clause = factories.make_clause(number="s. 26", heading="Human dignity")
    for n in range(5):
        testimony = factories.make_testimony(title=f"Published account {n}")
        TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="violated")
        factories.publish_testimony(testimony)
    draft = factories.make_testimony(title="Draft account")
    TestimonyClause.objects.create(testimony=draft, clause=clause, relation="violated")
    return clause


def test_a_busy_clause_lists_the_first_links_and_says_how_many_there_are(client, busy_clause):
    page = client.get(busy_clause.get_absolute_url()).content.decode()
    listed = page.split('<ul class="links">')[1].split("</ul>")[0]
    assert listed.count("<li>") == 3
    assert "The first 3 links are listed here. 5 testimonies concern this clause" in page
    assert "Draft account" not in page


def test_the_law_pages_count_only_published_testimonies(client, busy_clause):
    law_page = client.get(busy_clause.law.get_absolute_url()).content.decode()
    row = law_page.split(busy_clause.get_absolute_url())[1].split("</tr>")[0]
    assert row.rstrip().endswith("<td>5</td>")
    laws = client.get("/laws/").content.decode()
    law_row = laws.split(busy_clause.law.get_absolute_url())[1].split("</tr>")[0]
    assert "<td>1</td><td>5</td>" in law_row.replace("\n", "").replace(" ", "")


def test_a_clause_with_few_links_lists_them_all(client, busy_clause, monkeypatch):
    monkeypatch.setattr(selectors, "CLAUSE_LINKS_SHOWN", 50)
    page = client.get(busy_clause.get_absolute_url()).content.decode()
    listed = page.split('<ul class="links">')[1].split("</ul>")[0]
    assert listed.count("<li>") == 5
    assert "links are listed here" not in page


@pytest.fixture
def raided_clause(monkeypatch):
    """A clause invoked in five published raids, and in a draft, an in-review and a
    withdrawn one, each more recent than every published raid."""
    monkeypatch.setattr(selectors, "CLAUSE_INCIDENTS_SHOWN", 3)
    clause = factories.make_clause(number="s. 9", heading="Raids")
    reviewer = factories.make_user("Reviewer")
    for n in range(5):
        make_incident_in_state(
            "published", by=reviewer, clause=clause, date=f"200{n}-01-01", title=f"Raid {n}"
        )
    for state in HIDDEN_STATES:
        make_incident_in_state(
            state, by=reviewer, clause=clause, date="2012-01-01", title=f"Hidden {state} raid"
        )
    return clause


def listed_raids(page: str) -> str:
    return page.split('<ul class="incidents">')[1].split("</ul>")[0]


def test_a_clause_invoked_in_many_raids_lists_the_most_recent_and_says_how_many(
    client, raided_clause
):
    page = client.get(raided_clause.get_absolute_url()).content.decode()
    listed = listed_raids(page)
    assert listed.count("<li>") == 3
    assert "Raid 4" in listed and "Raid 2" in listed and "Raid 1" not in listed
    assert "The 3 most recent raids are listed here. This clause was invoked in 5 raids." in page
    assert "Hidden" not in page


@pytest.mark.parametrize("shown", [5, 50])
def test_a_clause_invoked_in_few_published_raids_lists_them_all(
    client, raided_clause, monkeypatch, shown
):
    # At 5, exactly the published ones: a hidden raid would make it look like more.
    monkeypatch.setattr(selectors, "CLAUSE_INCIDENTS_SHOWN", shown)
    page = client.get(raided_clause.get_absolute_url()).content.decode()
    assert listed_raids(page).count("<li>") == 5
    assert "most recent raids are listed here" not in page
    assert "Hidden" not in page
