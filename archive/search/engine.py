"""The seam between the archive and the database's full-text engine.

One interface, one module per database vendor. The vendor module is imported
only when it is used, so a SQLite installation never imports PostgreSQL code.
The engine answers two questions about the indexed (published) testimonies:
which ones match, and in what order of relevance.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence

from django.db import connection

from archive.search.query import ParsedQuery, Phrase


class SearchEngine(ABC):
    def match_ids(self, parsed: ParsedQuery) -> list[int]:
        """Ids of every indexed testimony that matches; any order.

        An empty query matches nothing, and the database is not asked.
        """
        if parsed.is_empty:
            return []
        return self._match(parsed)

    def ranked_ids(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]:
        """One page of matching ids, most relevant first.

        ``among`` restricts the ranking to these ids (the matches that also
        pass the facet filters); None means every match. A query with nothing
        to look for (only exclusions) has no relevance order: it gives [].
        """
        if not parsed.has_positive or (among is not None and not among):
            return []
        return self._rank(parsed, among=among, limit=limit, offset=offset)

    @abstractmethod
    def _match(self, parsed: ParsedQuery) -> list[int]: ...

    @abstractmethod
    def _rank(
        self, parsed: ParsedQuery, *, among: Sequence[int] | None, limit: int, offset: int
    ) -> list[int]: ...


def exclusions_as_query(parsed: ParsedQuery) -> ParsedQuery:
    """The excluded phrases as a query of their own (any of them), to subtract."""
    return ParsedQuery(groups=(tuple(parsed.excluded),), excluded=())


def get_engine() -> SearchEngine:
    if connection.vendor == "postgresql":
        from archive.search.postgres import PostgresEngine

        return PostgresEngine()
    from archive.search.sqlite import SqliteEngine

    return SqliteEngine()


__all__ = ["Phrase", "SearchEngine", "exclusions_as_query", "get_engine"]
