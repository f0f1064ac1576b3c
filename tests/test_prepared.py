"""Statements compiled once, run with each call's values (archive/prepared.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.prepared import FetchedRows, Prepared
from testimonies.models import Testimony, TestimonyClause
from tests.support import factories

pytestmark = pytest.mark.django_db


def by_public_id(public_id: str):
    return Testimony.objects.public().filter(public_id=public_id).order_by("id")


def test_each_call_reads_the_rows_of_its_own_values():
    statement = Prepared(Testimony, by_public_id, public_id=str)
    first = factories.publish_testimony(title="First account")
    second = factories.publish_testimony(title="Second account")
    draft = factories.make_testimony(title="Not public")
    assert [t.title for t in statement.rows(public_id=first.public_id)] == ["First account"]
    assert [t.title for t in statement.rows(public_id=second.public_id)] == ["Second account"]
    # The queryset's own filters are kept: a draft is never read.
    assert statement.rows(public_id=str(draft.public_id)) == []
    assert statement.rows(public_id="T-9999") == []


def test_the_sql_is_compiled_once_and_rows_are_read_every_time():
    calls = []

    def build(public_id: str):
        calls.append(public_id)
        return by_public_id(public_id)

    statement = Prepared(Testimony, build, public_id=str)
    record = factories.publish_testimony(title="Before")
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            assert len(statement.rows(public_id=record.public_id)) == 1
        assert len(queries) == 1
    assert len(calls) == 1
    Testimony.objects.filter(pk=record.pk).update(title="After")
    assert statement.rows(public_id=record.public_id)[0].title == "After"


def test_related_rows_are_read_with_the_join_selected():
    def links(testimony_id: int):
        return TestimonyClause.objects.filter(testimony_id=testimony_id).select_related(
            "clause__law"
        )

    statement = Prepared(TestimonyClause, links, testimony_id=int)
    record = factories.publish_testimony()
    clause = factories.make_clause()
    record.clause_links.create(clause=clause, relation="violated")
    with CaptureQueriesContext(connection) as queries:
        (link,) = statement.rows(testimony_id=record.pk)
        assert link.clause.law.slug == clause.law.slug
    assert len(queries) == 1


def test_a_value_must_appear_once_and_have_its_type():
    twice = Prepared(
        Testimony,
        lambda public_id: Testimony.objects.filter(public_id=public_id, title=public_id),
        public_id=str,
    )
    with pytest.raises(ValueError, match="appears 2 times"):
        twice.rows(public_id="T-0001")
    unused = Prepared(Testimony, lambda public_id: Testimony.objects.all(), public_id=str)
    with pytest.raises(ValueError, match="appears 0 times"):
        unused.rows(public_id="T-0001")
    statement = Prepared(Testimony, by_public_id, public_id=str)
    with pytest.raises(TypeError):
        statement.rows(public_id=1)
    with pytest.raises(TypeError):
        statement.rows(title="T-0001")


def test_fetched_rows_are_not_a_query_to_refine():
    record = factories.publish_testimony()
    rows = FetchedRows.of(Testimony, [record])
    assert list(rows) == [record] and len(rows) == 1 and rows
    with pytest.raises(TypeError):
        rows.filter(pk=record.pk)
