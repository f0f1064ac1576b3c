"""PostgreSQL engine: a GIN index over the stems' tsvector, and the text to check phrases.

Every document stores its tokens (``text``) and their Snowball stems
(``stems``); the generated ``tsv`` is the tsvector of the stems, with a GIN
index (testimonies migration 0020), and ``head_tsv`` that of the head's stems
alone (title, pseudonym, summary: the start of the stems), with its own
(migration 0024), to weigh them more. A word is one lookup of that index. A
phrase, or a quoted term, is looked up as all its stems and the documents found
are then checked on the stems or the text, as written, with ``strpos``: unlike
tsvector positions (none past the 16,383rd word), this holds for a document of
any length.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from archive.search.engine import WORD_COUNT_CAP, SearchEngine, any_positive, ids_from_csv
from archive.search.forms import stem
from archive.search.postgres.syntax import (
    MAX_TERM_BYTES,
    needs_text_check,
    to_index_tsquery,
    to_tsquery,
    ts_lexeme,
)
from archive.search.query import ParsedQuery, Phrase

DOCS = "testimonies_searchdocument"


# For a common word the planner prefers reading the whole table and testing
# every document (about a second at 100,000 testimonies) over the GIN index
# (milliseconds). These apply to the search statement's own transaction only.
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


# A word in the title or the summary counts this many times a word of the body
# (ts_rank of the head's tsvector, added to that of the whole document's).
HEAD_WEIGHT = 4.0


class PostgresEngine(SearchEngine):
    # ts_rank reads every matching document's tsvector, out of line (TOAST) for
    # most: ~5 µs each (docs/benchmarks.md, "Relevance at every size").
    rank_limit = 1000

    def purge_deleted(self) -> None:
        # The tsvector is a column of the deleted row, and the GIN index's
        # entries pointing at dead rows are never returned. Their bytes go when
        # VACUUM reclaims the row (see the README on withdrawal); nothing can
        # be done inside the withdrawal's transaction.
        return None

    def _word_counts(self, words: list[str]) -> dict[str, int]:
        # The index holds stems; a suggestion must be a word as written, so the
        # documents holding its stem are checked on their text. Counting stops
        # at the cap: a common word is in ~100,000 rows.
        sql = (
            "SELECT word, (SELECT count(*) FROM ("
            f"  SELECT 1 FROM {DOCS} WHERE tsv @@ lexeme::tsquery"
            "   AND strpos(' ' || text || ' ', ' ' || word || ' ') > 0 LIMIT %s"
            ") AS held) FROM unnest(%s::text[], %s::text[]) AS w(word, lexeme)"
        )
        # A word longer than a lexeme may be is in no document, and cannot be asked for.
        words = [word for word in words if len(word.encode()) <= MAX_TERM_BYTES]
        lexemes = [ts_lexeme(stem(word)) for word in words]
        with _planned_cursor() as cursor:
            cursor.execute(sql, [WORD_COUNT_CAP, words, lexemes])
            return {word: count for word, count in cursor.fetchall() if count}

    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        matching, params = _matching(parsed)
        with _planned_cursor() as cursor:
            cursor.execute(
                f"SELECT string_agg(testimony_id::text, ',') FROM ({matching}) AS m", params
            )
            return ids_from_csv(cursor.fetchone()[0])

    def _rank_head(
        self, parsed: ParsedQuery, *, among: Sequence[int], limit: int, offset: int
    ) -> list[int]:
        # The head's small tsvector only: the document's would be read from TOAST.
        sql = (
            f"SELECT testimony_id FROM {DOCS}, CAST(%s AS tsquery) AS q "
            "WHERE testimony_id = ANY(%s) AND head_tsv @@ %s::tsquery "
            "ORDER BY ts_rank(head_tsv, q) DESC, testimony_id DESC LIMIT %s OFFSET %s"
        )
        params: list[str | int | list[int]] = [
            to_tsquery(parsed),
            list(among),
            to_index_tsquery(parsed),
            limit,
            offset,
        ]
        with _planned_cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _head_match(self, parsed: ParsedQuery) -> np.ndarray:
        # Any phrase's stems, without positions: the head's own GIN index answers.
        query = to_index_tsquery(any_positive(parsed))
        with _planned_cursor() as cursor:
            cursor.execute(
                f"SELECT string_agg(testimony_id::text, ',') FROM {DOCS} "
                "WHERE head_tsv @@ %s::tsquery",
                [query],
            )
            return ids_from_csv(cursor.fetchone()[0])

    def _all_ids(self) -> np.ndarray:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT string_agg(testimony_id::text, ',') FROM {DOCS}")
            return ids_from_csv(cursor.fetchone()[0])

    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        sql = f"SELECT testimony_id FROM {DOCS}, CAST(%s AS tsquery) AS q WHERE "
        params: list[str | int | list[int]] = [to_tsquery(parsed)]
        if among is None:
            matching, matching_params = _matching(parsed)
            sql += f"testimony_id IN ({matching})"
            params += matching_params
        else:
            # The caller's ids already match: checking phrases on the text again
            # (hundreds of ms for a common phrase) would only find them again.
            # The words must still be indexed there, so only indexed documents rank.
            sql += "testimony_id = ANY(%s) AND tsv @@ %s::tsquery"
            params += [list(among), to_index_tsquery(parsed)]
        sql += (
            f" ORDER BY ts_rank(tsv, q) + {HEAD_WEIGHT} * ts_rank(head_tsv, q) DESC,"
            " testimony_id DESC LIMIT %s OFFSET %s"
        )
        params += [limit, offset]
        with _planned_cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def _matching(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """SQL selecting the ids of the matching documents, and its parameters.

    The index finds the documents holding every stem wanted; a phrase or a
    quoted term among them is then checked on the document's stems or text.
    """
    sql = f"SELECT testimony_id FROM {DOCS} WHERE tsv @@ %s::tsquery"
    params = [to_index_tsquery(parsed)]
    if any(needs_text_check(phrase) for phrase in parsed.phrases):
        checked, checked_params = _text_match(parsed)
        sql += f" AND {checked}"
        params += checked_params
    return sql, params


def _text_match(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """An SQL condition true where the document holds the query, and its parameters.

    ``stems`` and ``text`` are tokens separated by single spaces, so a phrase is
    in one exactly when its tokens, space-separated, are found between two spaces.
    """
    params: list[str] = []

    def found(phrase: Phrase) -> str:
        column, words = ("text", phrase.tokens) if phrase.exact else ("stems", phrase.stems)
        params.append(f" {' '.join(words)} ")
        return f"strpos(' ' || {column} || ' ', %s) > 0"

    conditions = [
        "(" + " OR ".join(found(phrase) for phrase in group) + ")" for group in parsed.groups
    ]
    conditions += [f"NOT {found(phrase)}" for phrase in parsed.excluded]
    return "(" + " AND ".join(conditions) + ")", params
