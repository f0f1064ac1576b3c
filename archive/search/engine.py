"""The seam between the archive and the database's full-text engine.

One interface, one package per database vendor. The vendor package is imported
only when it is used, so a SQLite installation never imports PostgreSQL code.
The engine answers two questions about the indexed (published) testimonies:
which ones match, and in what order of relevance.
"""

from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence

import numpy as np
from django.db import connection

from archive.search.query import ParsedQuery, Phrase


class SearchEngine(ABC):
    # Whether a search document must store its stems (PostgreSQL indexes the
    # stored column), or the index computes them from the text (SQLite).
    stores_stems: bool = True
    # How many matches the engine ranks, all of them, within the search's time
    # budget (docs/benchmarks.md, "Relevance at every size"). Above it the
    # search ranks only those with the words in their head (see head_match_ids).
    rank_limit: int = 5000

    def match_ids(self, parsed: ParsedQuery) -> np.ndarray:
        """Ids of every indexed testimony that matches, as an int64 array; any order.

        An empty query matches nothing, and the database is not asked.
        """
        if parsed.is_empty:
            return np.zeros(0, dtype=np.int64)
        if parsed.has_positive:
            return self._match(parsed)
        # Neither index can answer a lone NOT; testing every document for the
        # word instead read every tsvector on PostgreSQL (~400 ms at 100,000).
        # Everything indexed minus what the excluded words match uses the index.
        excluded = self._match(exclusions_as_query(parsed))
        return np.setdiff1d(self._all_ids(), excluded, assume_unique=True)

    def ranked_ids(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        """One page of matching ids, most relevant first.

        ``among`` restricts the ranking to these ids, which the caller knows
        to match (the matches that also pass the facet filters, say): an
        engine may rank them without checking phrases again, but ranks only
        indexed documents holding the words. None means every match. A query
        with nothing to look for (only exclusions) has no relevance order: it
        gives [].
        """
        if not parsed.has_positive or (among is not None and not among):
            return []
        return self._rank(parsed, among=among, limit=limit, offset=offset)

    def ranked_head_ids(
        self, parsed: ParsedQuery, *, among: Sequence[int], limit: int, offset: int
    ) -> list[int]:
        """One page of ``among``, most relevant first by their head alone.

        ``among`` are matches with a phrase of the query in their head (from
        ``head_match_ids``). Only the head's index is read, so the cost is
        that of the few heads, not of every document holding a common word.
        """
        if not parsed.has_positive or not among:
            return []
        return self._rank_head(any_positive(parsed), among=among, limit=limit, offset=offset)

    def head_match_ids(self, parsed: ParsedQuery) -> np.ndarray:
        """Ids of the indexed testimonies with any of the query's phrases in their head.

        The head is the title, pseudonym and summary. Not every such testimony
        matches the query (only one of its phrases is asked for, as stems): the
        caller keeps those among its matches.
        """
        if not parsed.has_positive:
            return np.zeros(0, dtype=np.int64)
        return self._head_match(parsed)

    def word_counts(self, words: Collection[str]) -> dict[str, int]:
        """Which of these words the index holds, and in how many documents each.

        Words in no indexed (published) document are left out, so nothing
        only a draft or a withdrawn testimony says can come back from here.
        Counts above ``WORD_COUNT_CAP`` may be given as the cap.
        """
        if not words:
            return {}
        return self._word_counts(sorted(set(words)))

    @abstractmethod
    def _word_counts(self, words: list[str]) -> dict[str, int]: ...

    @abstractmethod
    def purge_deleted(self) -> None:
        """Remove what the index still holds of deleted documents (after a withdrawal)."""

    @abstractmethod
    def _match(self, parsed: ParsedQuery) -> np.ndarray:
        """Ids matching a query that has something to look for."""

    @abstractmethod
    def _rank_head(
        self, parsed: ParsedQuery, *, among: Sequence[int], limit: int, offset: int
    ) -> list[int]:
        """Rank by the head alone; ``parsed`` is one group, any of its phrases."""

    @abstractmethod
    def _head_match(self, parsed: ParsedQuery) -> np.ndarray:
        """Ids with any positive phrase of a query in their head."""

    @abstractmethod
    def _all_ids(self) -> np.ndarray:
        """Ids of every indexed testimony."""

    @abstractmethod
    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]: ...


# Enough to rank spelling candidates by how common they are; counting every
# document holding a common word would read ~100,000 rows on PostgreSQL.
WORD_COUNT_CAP = 1000


def ids_from_csv(joined: str | None) -> np.ndarray:
    """Ids the database joined into one comma-separated string.

    A word found in nearly every testimony matches ~100,000 rows; one string
    parsed by numpy costs a few milliseconds where 100,000 Python tuples cost
    tens of them.
    """
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")


def exclusions_as_query(parsed: ParsedQuery) -> ParsedQuery:
    """The excluded phrases as a query of their own (any of them), to subtract."""
    return ParsedQuery(groups=(tuple(parsed.excluded),), excluded=())


def any_positive(parsed: ParsedQuery) -> ParsedQuery:
    """Any of the phrases looked for, as a query of its own (no exclusions)."""
    return ParsedQuery(groups=(tuple(p for group in parsed.groups for p in group),), excluded=())


def get_engine() -> SearchEngine:
    if connection.vendor == "postgresql":
        from archive.search.postgres.engine import PostgresEngine

        return PostgresEngine()
    from archive.search.sqlite.engine import SqliteEngine

    return SqliteEngine()


__all__ = [
    "WORD_COUNT_CAP",
    "Phrase",
    "SearchEngine",
    "any_positive",
    "exclusions_as_query",
    "get_engine",
    "ids_from_csv",
]
