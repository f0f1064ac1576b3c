"""A clause's page at scale: the links it lists are bounded, the counts exact."""

import pytest

from testimonies import selectors
from testimonies.models import TestimonyClause
from tests import factories

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
