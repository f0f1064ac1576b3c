"""SQLite FTS5 engine over the external-content table built by migration."""

import json
from collections.abc import Sequence

import numpy as np
from django.db import connection

from archive.search.engine import SearchEngine, ids_from_csv
from archive.search.query import ParsedQuery, to_fts5

FTS = "testimonies_searchdocument_fts"
DOCS = "testimonies_searchdocument"


class SqliteEngine(SearchEngine):
    def purge_deleted(self) -> None:
        # Deleting from FTS5 only adds a "deleted" marker; the words and their
        # positions (enough to rebuild the text) stay in older index segments
        # until a merge. 'optimize' merges everything into one segment now, and
        # secure_delete zeroes the pages it frees. It rewrites the whole index
        # (seconds at 100,000 testimonies), which is fine for a rare withdrawal.
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")

    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        sql = f"SELECT group_concat(rowid) FROM {FTS} WHERE {FTS} MATCH %s"
        return _ids(sql, [to_fts5(parsed)])

    def _all_ids(self) -> np.ndarray:
        return _ids(f"SELECT group_concat(testimony_id) FROM {DOCS}", [])

    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
        params: list = [to_fts5(parsed)]
        if among is not None:
            # The unary plus keeps FTS5 from seeking its index once per id.
            sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(among)))
        sql += " ORDER BY rank, rowid DESC LIMIT %s OFFSET %s"
        params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def _ids(sql: str, params: list) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return ids_from_csv(cursor.fetchone()[0])
