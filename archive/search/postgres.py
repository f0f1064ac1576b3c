"""PostgreSQL engine: a stored tsvector column with a GIN index, built by migration."""

from collections.abc import Sequence

import numpy as np
from django.db import connection

from archive.search.engine import SearchEngine, exclusions_as_query, ids_from_csv
from archive.search.query import ParsedQuery, to_tsquery

DOCS = "testimonies_searchdocument"


class PostgresEngine(SearchEngine):
    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        with connection.cursor() as cursor:
            if parsed.has_positive:
                cursor.execute(
                    f"SELECT string_agg(testimony_id::text, ',') FROM {DOCS} "
                    "WHERE tsv @@ to_tsquery('simple', %s)",
                    [to_tsquery(parsed)],
                )
            else:
                cursor.execute(
                    f"SELECT string_agg(testimony_id::text, ',') FROM {DOCS} "
                    "WHERE NOT (tsv @@ to_tsquery('simple', %s))",
                    [to_tsquery(exclusions_as_query(parsed))],
                )
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
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
