"""PostgreSQL engine: a GIN index over the stems' tsvector, and the text to check phrases.

Every document stores its tokens (``text``) and their Snowball stems
(``stems``); the generated ``tsv`` is the tsvector of the stems, with a GIN
index (testimonies migration 0020), and ``head_tsv`` that of the head's stems
alone (title, pseudonym, summary: the start of the stems), with its own
(migration 0024), to weigh them more. A word is one lookup of that index. A
phrase, or a quoted term, is looked up as all its stems (and its pairs of
adjacent stems that start with a common word: ``commongrams``, migration
0025) and the documents found are then checked on the stems or the text, as
written, with ``strpos``: unlike tsvector positions (none past the 16,383rd
word), this holds for a document of any length.

The words as written, with how many documents hold each, are kept in a table
beside them (``testimonies_searchword``, migration 0025) for the spelling hint.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from archive.search.engine import SearchEngine, any_positive, ids_from_csv
from archive.search.postgres.commongrams import bigrams
from archive.search.postgres.syntax import (
    needs_text_check,
    to_index_tsquery,
    to_tsquery,
)
from archive.search.query import ParsedQuery, Phrase

DOCS = "testimonies_searchdocument"
# Each word as written in the documents, and how many hold it.
WORDS = "testimonies_searchword"
# The pairs of adjacent stems of a document that start with a common word.
BIGRAMS = "testimonies_search_bigrams"


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
        # The vocabulary of the words as written, kept in step with the
        # documents by triggers (testimonies migration 0025): one lookup of its
        # primary key for every candidate, where the GIN index holds only stems.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, documents FROM {WORDS} WHERE word = ANY(%s::text[])", [words]
            )
            return dict(cursor.fetchall())

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

    The index finds the documents holding every stem wanted, and those holding
    the pairs of adjacent stems that start with a common word (see
    ``commongrams``); a phrase or a quoted term among them is then checked on
    the document's stems or text.
    """
    sql = f"SELECT testimony_id FROM {DOCS} WHERE tsv @@ %s::tsquery"
    params = [to_index_tsquery(parsed)]
    for group in parsed.groups:
        pairs = [bigrams(phrase.stems) if needs_text_check(phrase) else [] for phrase in group]
        # One phrase of the group without pairs may match anywhere: the group narrows nothing.
        if all(pairs):
            sql += " AND (" + " OR ".join([f"{BIGRAMS}(stems) @> %s::text[]"] * len(pairs)) + ")"
            # An array literal: tokens are word characters only (``Phrase``),
            # so no quote, comma or brace needs escaping.
            params += ["{" + ",".join(f'"{pair}"' for pair in found) + "}" for found in pairs]
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
        wanted = f" {' '.join(words)} "
        params.extend([wanted, wanted])
        # The first test is the second without copying the document to pad it,
        # and holds wherever the phrase is not the first or last words: most
        # documents read are matches (the pairs narrowed them), and stop there.
        return f"(position(%s in {column}) > 0 OR strpos(' ' || {column} || ' ', %s) > 0)"

    conditions = [
        "(" + " OR ".join(found(phrase) for phrase in group) + ")" for group in parsed.groups
    ]
    conditions += [f"NOT {found(phrase)}" for phrase in parsed.excluded]
    return "(" + " AND ".join(conditions) + ")", params
