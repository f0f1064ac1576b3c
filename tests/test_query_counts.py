"""How many queries the busiest pages make, pinned.

A lost ``select_related`` or a query in a loop shows here as loudly as in
the benchmarks, and long before them. Each page is asked once first so the
worker's facet columns are built: the pinned request is the steady state a
reader meets, and the counts do not grow with the number of records.
"""

import pytest
from django.db import connection
from django.urls import reverse

from tests.support import factories

pytestmark = pytest.mark.django_db

# Per request, with the facet columns built and the page cache off. On
# PostgreSQL a full-text match is one statement wrapped in a savepoint that
# sets its plan settings (``archive/search/postgres.py::PLAN_SETTINGS``).
# Reading links in time costs the testimony page one query (the clauses'
# versions) and the clause page three with one version (its versions, then per
# version the accounts whose years fall in it and their public raids).
QUERIES = {
    "sqlite": {"search": 3, "testimony": 8, "clause": 12, "api_search": 3},
    "postgresql": {"search": 8, "testimony": 8, "clause": 12, "api_search": 8},
}[connection.vendor]


@pytest.fixture
def archive(db):
    clause = factories.make_clause()
    testimonies = []
    for n in range(3):
        testimony = factories.make_testimony(title=f"Kept in a shelter {n}")
        testimony.clause_links.create(clause=clause, relation="violated", note_source="Held.")
        testimony.violations.create(
            violation_type=factories.make_violation_type(),
            perpetrator="police",
            note_source="Seen.",
        )
        testimonies.append(factories.publish_testimony(testimony))
    incident = factories.make_incident()
    incident.testimonies.add(*testimonies)
    incident.clauses_invoked.add(clause)
    factories.publish_incident(incident)
    return testimonies[0], clause


def _pinned(client, django_assert_num_queries, url: str, queries: int) -> None:
    assert client.get(url).status_code == 200  # builds the facet columns
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    # The page cache would answer the second request without any query at all.
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0


def test_search_page(client, django_assert_num_queries, archive):
    url = reverse("testimonies:testimony_list") + "?q=shelter"
    _pinned(client, django_assert_num_queries, url, QUERIES["search"])


def test_testimony_page(client, django_assert_num_queries, archive):
    testimony, _clause = archive
    _pinned(client, django_assert_num_queries, testimony.get_absolute_url(), QUERIES["testimony"])


def test_clause_page(client, django_assert_num_queries, archive):
    _testimony, clause = archive
    _pinned(client, django_assert_num_queries, clause.get_absolute_url(), QUERIES["clause"])


def test_api_search(client, django_assert_num_queries, archive):
    url = reverse("api:testimony-list") + "?q=shelter"
    _pinned(client, django_assert_num_queries, url, QUERIES["api_search"])
