"""SQLite FTS5 engine: one positional table, of the tokens as written and of their stems.

The external-content table (testimonies migrations 0020 and 0024) has three
columns: the document's tokens (``text``), which quoted terms are matched
against, their Snowball stems (``stems``), which every other term is, and the
stems of the head alone (``head``: title, pseudonym, summary), which bm25
weighs more; a second, small table indexes the head's stems alone, to find
and rank the documents with a common word in their head without reading
every document that holds it. The stems are computed from the text by the
tables' triggers and content view, never stored. A phrase is found from word positions, FTS5's own
phrase query.
"""

import json
from collections.abc import Sequence

import numpy as np
from django.db import connection

from archive.search.engine import SearchEngine, ids_from_csv
from archive.search.query import ParsedQuery
from archive.search.sqlite.syntax import EXACT_COLUMN, to_fts5, to_fts5_head

FTS = "testimonies_searchdocument_fts"
# The head's stems alone (migration 0024): where a common word is in a few
# documents, not in ~90,000 as in the table above.
HEAD_FTS = "testimonies_searchdocument_head_fts"
DOCS = "testimonies_searchdocument"
# FTS5's own view of the table's vocabulary: one row per word and column, with
# the number of documents holding it. A temporary table, made on each connection
# that asks, so no schema and nothing stored: it reads the index itself.
VOCABULARY = "temp.testimonies_searchdocument_vocab"
# bm25's weight for each column (text, stems, head): a word in the title or the
# summary counts this many times a word of the body. The head's words are also
# in the stems column, so their hits count there too.
HEAD_WEIGHT = 4.0
BM25 = f"bm25({FTS}, 1.0, 1.0, {HEAD_WEIGHT})"


class SqliteEngine(SearchEngine):
    # The FTS5 table computes them (archive.search.sqlite.functions): no copy stored.
    stores_stems = False
    # Every match read and scored: 1.5-6 µs a row with the machine's load; 7,400
    # matches took 13 ms at p95 in one run and 48 ms in another, too near the
    # request's 50 ms (docs/benchmarks.md, "Relevance at every size").
    rank_limit = 5000

    def purge_deleted(self) -> None:
        # Deleting from FTS5 only adds a "deleted" marker; the words and their
        # positions (enough to rebuild the text) stay in older index segments
        # until a merge. 'optimize' merges everything into one segment now, and
        # secure_delete zeroes the pages it frees. It rewrites the whole index
        # (seconds at 100,000 testimonies), which is fine for a rare withdrawal.
        with connection.cursor() as cursor:
            for table in (FTS, HEAD_FTS):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")

    def _word_counts(self, words: list[str]) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab(main, {FTS}, col)"
            )
            # One lookup of the index per word: fts5vocab answers term = ?. The
            # words as written, not their stems: a suggestion must be a real word.
            cursor.execute(
                f"SELECT term, doc FROM {VOCABULARY} "
                "WHERE term IN (SELECT value FROM json_each(%s)) AND col = %s AND doc > 0",
                [json.dumps(words), EXACT_COLUMN],
            )
            return {term: count for term, count in cursor.fetchall()}

    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        sql = f"SELECT group_concat(rowid) FROM {FTS} WHERE {FTS} MATCH %s"
        return _ids(sql, [to_fts5(parsed)])

    def _rank_head(
        self, parsed: ParsedQuery, *, among: Sequence[int], limit: int, offset: int
    ) -> list[int]:
        # The head's own table: only the documents with the words in their head
        # are read, not every one holding a common word.
        sql = (
            f"SELECT rowid FROM {HEAD_FTS} WHERE {HEAD_FTS} MATCH %s "
            "AND +rowid IN (SELECT value FROM json_each(%s)) "
            f"ORDER BY bm25({HEAD_FTS}), rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [to_fts5_head(parsed), json.dumps(list(among)), limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _head_match(self, parsed: ParsedQuery) -> np.ndarray:
        sql = f"SELECT group_concat(rowid) FROM {HEAD_FTS} WHERE {HEAD_FTS} MATCH %s"
        return _ids(sql, [to_fts5_head(parsed)])

    def _all_ids(self) -> np.ndarray:
        return _ids(f"SELECT group_concat(testimony_id) FROM {DOCS}", [])

    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        sql = f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s"
        params: list[str | int] = [to_fts5(parsed, ranked=True)]
        if among is not None:
            # The unary plus keeps FTS5 from seeking its index once per id.
            sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
            params.append(json.dumps(list(among)))
        sql += f" ORDER BY {BM25}, rowid DESC LIMIT %s OFFSET %s"
        params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def _ids(sql: str, params: list[str]) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return ids_from_csv(cursor.fetchone()[0])
