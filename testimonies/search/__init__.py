"""The search of published testimonies: one subsystem, and this module is its door.

Other apps (laws, api, opendata) import only the names below, never the
modules of this package. What each name is for:

- ``search_from_query(query, *, fixed=None, per_page=None)``: a query string
  validated and run, one page of a ``SearchResult``; ``BadQuery`` (a 400)
  says what was wrong. The search page, the law and clause pages and the
  JSON API all search through it.
- ``matching_ids_from_query(query, *, fixed=None, sort=None)``: every
  matching testimony's id, in order, for the CSV and feed twins of a search.
- ``practice_counts_from_query(query, *, by, only=None)``: published
  testimonies per law (or clause), relation and year of events among those a
  query string leaves, counted over the facet columns (the law in practice).
- ``totals(facet)``: published testimonies per value of one facet, over the
  whole archive (counts on law, clause and vocabulary pages).
- ``overview()``: testimonies and raids per year and testimonies per
  province, for the front page.
- ``search_page_context(request, *, fixed=None, charts=False)``: the search
  block of a page, with a law's or clause's facet pinned in ``fixed``.
- ``FACETS``, ``SINGLE_VALUED_FIELDS``, ``clause_code``: the facets, the
  choices of the single-valued ones, and the code of a clause's facet value
  (defined in ``laws.identifiers``, re-exported for the search's callers).
- ``Sort``, ``MAX_QUERY_LENGTH``, ``YEAR_MIN``, ``YEAR_MAX``, ``MAX_PAGE``:
  what the query string may say, for the API's schema and the feeds.
- ``SearchResult``: what ``search_from_query`` answers.

Inside the package: ``facets`` defines the facets; ``columns`` reads every
published testimony's facet values into numpy arrays (the read model);
``params`` validates a query string; ``faceted`` runs a search over the
columns and the engine; ``results`` holds what it answers; ``page`` puts a
search on a page, with its charts and the ``hints`` (a spelling, facet values
and laws its words name); ``index`` keeps the search documents in
step with publication and reads the generation token, which the database's
own triggers renew on any change to what search reads (migration 0018);
``pagecache`` remembers whole public pages per generation. The full-text
engine is ``archive.search``; docs/architecture.md draws the map.
"""

from archive.search.query import MAX_QUERY_LENGTH
from laws.identifiers import clause_code
from testimonies.search.columns import totals
from testimonies.search.faceted import (
    matching_ids_from_query,
    overview,
    practice_counts_from_query,
    search_from_query,
)
from testimonies.search.facets import FACETS, SINGLE_VALUED_FIELDS
from testimonies.search.page import search_page_context
from testimonies.search.params import MAX_PAGE, YEAR_MAX, YEAR_MIN, Sort
from testimonies.search.results import SearchResult

__all__ = [
    "FACETS",
    "MAX_PAGE",
    "MAX_QUERY_LENGTH",
    "SINGLE_VALUED_FIELDS",
    "YEAR_MAX",
    "YEAR_MIN",
    "SearchResult",
    "Sort",
    "clause_code",
    "matching_ids_from_query",
    "overview",
    "practice_counts_from_query",
    "search_from_query",
    "search_page_context",
    "totals",
]
