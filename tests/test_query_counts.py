"""How many queries the busiest pages make, pinned.

A lost ``select_related`` or a query in a loop shows here as loudly as in
the benchmarks, and long before them. Each page is asked once first so the
worker's facet columns are built: the pinned request is the steady state a
reader meets, and the counts do not grow with the number of records.
"""

import pytest
from django.db import connection
from django.urls import reverse

from testimonies import services
from testimonies.models import TestimonyClause
from tests.support import factories

pytestmark = pytest.mark.django_db

# Per request, with the facet columns built and the page cache off. On
# PostgreSQL a full-text match is one statement wrapped in a savepoint that
# sets its plan settings (``archive/search/postgres.py::PLAN_SETTINGS``).
# Reading links in time costs the testimony page one query (the clauses'
# versions) and the clause page three with one version (its versions, then per
# version the accounts whose years fall in it and their public raids).
# A testimony page: its row (with whether a translation is published), then
# its clause links, raids, violations and versions, one statement each; the
# translation, when there is one, is one more.
# The law and clause pages and the law index each draw the law in practice
# from the facet columns: one read of the generation token (its filters are
# checked against the columns of the current generation), no counting query.
# The law page reads its amendments in one more.
QUERIES = {
    "sqlite": {
        "search": 3,
        "testimony": 6,
        "clause": 13,
        "law": 10,
        "law_list": 4,
        "api_search": 3,
    },
    "postgresql": {
        "search": 8,
        "testimony": 6,
        "clause": 13,
        "law": 10,
        "law_list": 4,
        "api_search": 8,
    },
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


@pytest.fixture
def full_record(db):
    """A testimony with everything its page lists: clause links in two laws, rights
    violations, a published raid, and a correction (versions 1 and 2)."""
    reviewer = factories.make_user("Reviewer")
    testimony = factories.make_testimony(
        title="Taken in a raid", body="One.\n\nTwo.\n\nThree.\n\nFour."
    )
    for law in (factories.make_law(), factories.make_law()):
        for relation in ("violated", "invoked"):
            TestimonyClause.objects.create(
                testimony=testimony,
                clause=factories.make_clause(law),
                relation=relation,
                note_source="Bears on the account.",
                paragraph=2,
            )
    for perpetrator in ("police", "shelter-staff"):
        testimony.violations.create(
            violation_type=factories.make_violation_type(),
            perpetrator=perpetrator,
            note_source="Described.",
        )
    testimony = factories.publish_testimony(testimony)
    incident = factories.make_incident()
    incident.testimonies.add(testimony)
    factories.publish_incident(incident)
    testimony.body_source = "One.\n\nTwo, corrected.\n\nThree.\n\nFour."
    testimony.save()
    return services.publish(record=testimony, by=reviewer, correction_note="Paragraph 2 corrected")


def _page_shows_everything(content: bytes) -> None:
    # The pinned count is only worth something if the page lists what was fetched.
    for shown in (b"Bears on the account.", b"Described.", b"R-", b"Paragraph 2 corrected"):
        assert shown in content, shown


def test_full_testimony_page(client, django_assert_num_queries, full_record):
    url = full_record.get_absolute_url()
    _pinned(client, django_assert_num_queries, url, QUERIES["testimony"])
    _page_shows_everything(client.get(url).content)


def test_earlier_version_of_a_testimony(client, django_assert_num_queries, full_record):
    url = reverse(
        "testimonies:testimony_version", kwargs={"public_id": full_record.public_id, "number": 1}
    )
    _pinned(client, django_assert_num_queries, url, QUERIES["testimony"])
    assert b"version 1" in client.get(url).content


def test_translated_testimony_page(client, django_assert_num_queries, full_record):
    translation = factories.publish_testimony(
        factories.make_testimony(title="Thai side", language="th", translation_of=full_record)
    )
    # Each side costs one query more for its translation; the Thai side links no
    # clause, so it reads no clause versions and comes back to the plain count.
    _pinned(
        client, django_assert_num_queries, full_record.get_absolute_url(), QUERIES["testimony"] + 1
    )
    _pinned(client, django_assert_num_queries, translation.get_absolute_url(), QUERIES["testimony"])
    assert b"parallel-translation" in client.get(full_record.get_absolute_url()).content


def test_more_links_cost_no_more_queries(client, django_assert_num_queries, full_record):
    clause = factories.make_clause()
    TestimonyClause.objects.create(testimony=full_record, clause=clause, relation="violated")
    _pinned(client, django_assert_num_queries, full_record.get_absolute_url(), QUERIES["testimony"])


def test_withdrawn_and_unknown_testimonies_cost_one_query(
    client, django_assert_num_queries, full_record, reviewer, withdrawal_ledger
):
    services.withdraw(record=full_record, by=reviewer)
    with django_assert_num_queries(1):
        response = client.get(full_record.get_absolute_url())
    assert response.status_code == 410
    assert b"Two, corrected." not in response.content
    with django_assert_num_queries(1):
        assert client.get("/testimonies/T-9999/").status_code == 404


def test_clause_page(client, django_assert_num_queries, archive):
    _testimony, clause = archive
    _pinned(client, django_assert_num_queries, clause.get_absolute_url(), QUERIES["clause"])


def test_law_page(client, django_assert_num_queries, archive):
    _testimony, clause = archive
    _pinned(client, django_assert_num_queries, clause.law.get_absolute_url(), QUERIES["law"])


def test_law_list(client, django_assert_num_queries, archive):
    # The law in practice follows the search's filters over the facet columns: no query for them.
    url = reverse("laws:law_list") + "?nationality=burmese"
    _pinned(client, django_assert_num_queries, url, QUERIES["law_list"])


def test_api_search(client, django_assert_num_queries, archive):
    url = reverse("api:testimony-list") + "?q=shelter"
    _pinned(client, django_assert_num_queries, url, QUERIES["api_search"])
