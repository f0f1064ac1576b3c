"""PostgreSQL engine: a stored tsvector column with a GIN index, built by migration."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from archive.search.engine import SearchEngine, ids_from_csv
from archive.search.query import ParsedQuery, to_tsquery

DOCS = "testimonies_searchdocument"


# For a common word the planner prefers reading the whole table and testing
# every tsvector (about a second at 100,000 testimonies) over the GIN index
# (about 60 ms). These apply to the search statement's own transaction only.
PLAN_SETTINGS = [
    "SET LOCAL enable_seqscan = off",
    "SET LOCAL jit = off",
    # Enough for an exact (not lossy) bitmap of every matching row.
    "SET LOCAL work_mem = '64MB'",
]


@contextmanager
def _planned_cursor() -> Iterator[CursorWrapper]:
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in PLAN_SETTINGS:
            cursor.execute(statement)
        yield cursor


class PostgresEngine(SearchEngine):
    def purge_deleted(self) -> None:
        # The tsvector is a column of the deleted row, and GIN entries pointing
        # at dead rows are never returned. Their bytes go when VACUUM reclaims
        # the row (see the README on withdrawal); nothing can be done inside
        # the withdrawal's transaction.
        return None

    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        with _planned_cursor() as cursor:
            cursor.execute(
                f"SELECT string_agg(testimony_id::text, ',') FROM {DOCS} "
                "WHERE tsv @@ to_tsquery('simple', %s)",
                [to_tsquery(parsed)],
            )
            return ids_from_csv(cursor.fetchone()[0])

    def _all_ids(self) -> np.ndarray:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT string_agg(testimony_id::text, ',') FROM {DOCS}")
            return ids_from_csv(cursor.fetchone()[0])

    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        sql = f"SELECT testimony_id FROM {DOCS}, to_tsquery('simple', %s) AS q WHERE tsv @@ q"
        params: list = [to_tsquery(parsed)]
        if among is not None:
            sql += " AND testimony_id = ANY(%s)"
            params.append(list(among))
        sql += " ORDER BY ts_rank(tsv, q) DESC, testimony_id DESC LIMIT %s OFFSET %s"
        params += [limit, offset]
        with _planned_cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
