"""SQLite FTS5 engine over the external-content table built by migration."""

import json
from collections.abc import Sequence

import numpy as np
from django.db import connection

from archive.search.engine import SearchEngine, exclusions_as_query, ids_from_csv
from archive.search.query import ParsedQuery, to_fts5

FTS = "testimonies_searchdocument_fts"
DOCS = "testimonies_searchdocument"


class SqliteEngine(SearchEngine):
    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        with connection.cursor() as cursor:
            if parsed.has_positive:
                cursor.execute(
                    f"SELECT group_concat(rowid) FROM {FTS} WHERE {FTS} MATCH %s",
                    [to_fts5(parsed)],
                )
            else:
                # FTS5 has no unary NOT: subtract the excluded matches from all rows.
                cursor.execute(
                    f"SELECT group_concat(testimony_id) FROM {DOCS} WHERE testimony_id NOT IN "
                    f"(SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)",
                    [to_fts5(exclusions_as_query(parsed))],
                )
            return ids_from_csv(cursor.fetchone()[0])

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
