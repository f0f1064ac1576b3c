"""SQLite FTS5 engine: a terms table for matching, a positional table for the rest.

Matching goes through the terms table (testimonies migration 0015): every
word and every run of up to TERM_MAX_WORDS adjacent words is one token, so a
phrase is found without reading word positions. A longer phrase, and ranking,
use the positional external-content table (migration 0004).
"""

import json
from collections.abc import Sequence

import numpy as np
from django.db import connection

from archive.search.engine import SearchEngine, ids_from_csv
from archive.search.query import ParsedQuery
from archive.search.sqlite.syntax import to_fts5, to_fts5_terms

FTS = "testimonies_searchdocument_fts"
TERMS = "testimonies_searchdocument_terms"
DOCS = "testimonies_searchdocument"
# FTS5's own view of the words table's vocabulary: one row per word, with the
# number of documents holding it. A temporary table, made on each connection
# that asks, so no schema and nothing stored: it reads the index itself.
VOCABULARY = "temp.testimonies_searchdocument_vocab"


class SqliteEngine(SearchEngine):
    def purge_deleted(self) -> None:
        # Deleting from FTS5 only adds a "deleted" marker; the words and their
        # positions (enough to rebuild the text) stay in older index segments
        # until a merge. 'optimize' merges everything into one segment now, and
        # secure_delete zeroes the pages it frees. It rewrites the whole index
        # (seconds at 100,000 testimonies), which is fine for a rare withdrawal.
        with connection.cursor() as cursor:
            for table in (FTS, TERMS):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def _word_counts(self, words: list[str]) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab(main, {FTS}, row)"
            )
            # One lookup of the index per word: fts5vocab answers term = ?.
            cursor.execute(
                f"SELECT term, doc FROM {VOCABULARY} "
                "WHERE term IN (SELECT value FROM json_each(%s)) AND doc > 0",
                [json.dumps(words)],
            )
            return {term: count for term, count in cursor.fetchall()}

    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        terms = to_fts5_terms(parsed)
        if terms is None:
            sql = f"SELECT group_concat(rowid) FROM {FTS} WHERE {FTS} MATCH %s"
            return _ids(sql, [to_fts5(parsed)])
        return _ids(f"SELECT group_concat(rowid) FROM {TERMS} WHERE {TERMS} MATCH %s", [terms])

    def _all_ids(self) -> np.ndarray:
        return _ids(f"SELECT group_concat(testimony_id) FROM {DOCS}", [])

    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
        params: list[str | int] = [to_fts5(parsed)]
        if among is not None:
            # The unary plus keeps FTS5 from seeking its index once per id.
            sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(among)))
        sql += " ORDER BY rank, rowid DESC LIMIT %s OFFSET %s"
        params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def _ids(sql: str, params: list[str]) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return ids_from_csv(cursor.fetchone()[0])
