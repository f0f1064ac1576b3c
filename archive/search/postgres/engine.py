"""PostgreSQL engine: a GIN index of words and runs of words, and a stored tsvector.

Matching goes through the terms index (testimonies migration 0014): every
word and every run of up to TERM_MAX_WORDS adjacent words of a document is a
term, so words and phrases are found in the index alone. A phrase longer
than that is checked on the text; the tsvector column ranks the page shown.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from archive.search.engine import WORD_COUNT_CAP, SearchEngine, ids_from_csv
from archive.search.postgres.syntax import (
    MAX_TERM_BYTES,
    to_terms_tsquery,
    to_tsquery,
    ts_lexeme,
)
from archive.search.query import ParsedQuery, Phrase

DOCS = "testimonies_searchdocument"
# The terms index's expression, spelt as in its migration so the planner uses it.
TERMS = "testimonies_search_terms(text)"
# The term standing in for runs of words a document has too many of to index.
UNINDEXED_RUNS = "' *'"


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


class PostgresEngine(SearchEngine):
    def purge_deleted(self) -> None:
        # The tsvector is a column of the deleted row, and the terms index's
        # entries pointing at dead rows are never returned. Their bytes go when
        # VACUUM reclaims the row (see the README on withdrawal); nothing can
        # be done inside the withdrawal's transaction.
        return None

    def _word_counts(self, words: list[str]) -> dict[str, int]:
        # Each word is a term of the terms index, looked up there; a document
        # too long to have its runs indexed still has its words (migration 0014).
        # Counting stops at the cap: a common word is in ~100,000 rows.
        sql = (
            "SELECT word, (SELECT count(*) FROM ("
            f"  SELECT 1 FROM {DOCS} WHERE {TERMS} @@ lexeme::tsquery LIMIT %s"
            ") AS held) FROM unnest(%s::text[], %s::text[]) AS w(word, lexeme)"
        )
        # A word longer than a lexeme may be is in no document, and cannot be asked for.
        words = [word for word in words if len(word.encode()) <= MAX_TERM_BYTES]
        lexemes = [ts_lexeme(word) for word in words]
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

    def _all_ids(self) -> np.ndarray:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT string_agg(testimony_id::text, ',') FROM {DOCS}")
            return ids_from_csv(cursor.fetchone()[0])

    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        matching, matching_params = _matching(parsed)
        sql = (
            f"SELECT testimony_id FROM {DOCS}, to_tsquery('simple', %s) AS q "
            f"WHERE testimony_id IN ({matching})"
        )
        params: list[str | int | list[int]] = [to_tsquery(parsed), *matching_params]
        if among is not None:
            sql += " AND testimony_id = ANY(%s)"
            params.append(list(among))
        sql += " ORDER BY ts_rank(tsv, q) DESC, testimony_id DESC LIMIT %s OFFSET %s"
        params += [limit, offset]
        with _planned_cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def _matching(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """SQL selecting the ids of the matching documents, and its parameters.

    Documents with every run of words indexed are matched in the index (their
    text checked only for a phrase longer than the runs); the few marked as
    too long to have their runs indexed are checked on their text.
    """
    terms, check_text = to_terms_tsquery(parsed)
    in_text, text_params = _text_match(parsed)
    indexed = f"SELECT testimony_id FROM {DOCS} WHERE {TERMS} @@ %s::tsquery"
    params = [f"({terms}) & !{UNINDEXED_RUNS}"]
    if check_text:
        indexed += f" AND {in_text}"
        params += text_params
    unindexed = f"SELECT testimony_id FROM {DOCS} WHERE {TERMS} @@ %s::tsquery AND {in_text}"
    params += [UNINDEXED_RUNS, *text_params]
    return f"{indexed} UNION ALL {unindexed}", params


def _text_match(parsed: ParsedQuery) -> tuple[str, list[str]]:
    """An SQL condition true where ``text`` holds the query, and its parameters.

    ``text`` is the document's tokens separated by single spaces, so a phrase
    is in it exactly when its tokens, space-separated, are found between two
    spaces. Unlike tsvector positions (none past the 16,383rd word), this holds
    for a document of any length.
    """
    params: list[str] = []

    def found(phrase: Phrase) -> str:
        params.append(f" {' '.join(phrase.tokens)} ")
        return "strpos(' ' || text || ' ', %s) > 0"

    conditions = [
        "(" + " OR ".join(found(phrase) for phrase in group) + ")" for group in parsed.groups
    ]
    conditions += [f"NOT {found(phrase)}" for phrase in parsed.excluded]
    return "(" + " AND ".join(conditions) + ")", params
