"""The faceted search: from validated parameters to a page of results.

The engine finds which published testimonies match the text; the facet
columns filter them and count every facet value with the other facets
applied (values within a facet are OR-ed, facets are AND-ed); the engine
returns only the page shown, in order of relevance; snippets are made for
those twenty hits.

Ranking costs time for every document it scores. When the matches are more
than the engine ranks within the search's time budget (its ``rank_limit``),
those with the words in their head (title, pseudonym, summary: the small part
of the index where a word is rarer) are ranked, and come first; the others
follow newest first, and the page says so. Every match is in the result
either way, once: only their order changes.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext

from archive.errors import BadQuery
from archive.search.engine import get_engine
from archive.search.query import ParsedQuery
from archive.search.snippets import best_snippet, highlight
from testimonies.models import Testimony
from testimonies.search.columns import FacetData, PracticeCount, facet_data
from testimonies.search.facets import FACETS
from testimonies.search.params import SearchParams, Sort, pinned, search_params
from testimonies.search.results import FacetCount, FacetResult, Hit, Overview, SearchResult

_match_cache: OrderedDict[tuple[str, ParsedQuery], np.ndarray] = OrderedDict()
_match_cache_lock = threading.Lock()


def _matching_positions(parsed: ParsedQuery, data: FacetData) -> np.ndarray:
    """Document positions matching the text, remembered per index generation.

    A word in nearly every testimony makes the engine hand over ~100,000 ids,
    the largest cost of such a search; the same words are searched again and
    again. Keyed by the generation token, an entry can never outlive the data
    it was computed on. ARCHIVE_MATCH_CACHE_SIZE = 0 turns this off.
    """
    size = settings.ARCHIVE_MATCH_CACHE_SIZE
    key = (data.generation, parsed)
    if size and data.generation:
        with _match_cache_lock:
            cached = _match_cache.get(key)
            if cached is not None:
                _match_cache.move_to_end(key)
                return cached
    positions = data.positions(get_engine().match_ids(parsed))
    if size and data.generation:
        with _match_cache_lock:
            _match_cache[key] = positions
            while len(_match_cache) > size:
                _match_cache.popitem(last=False)
    return positions


def _match_mask(params: SearchParams, data: FacetData) -> np.ndarray:
    if params.parsed.is_empty:
        return np.ones(data.size, dtype=bool)
    mask = np.zeros(data.size, dtype=bool)
    mask[_matching_positions(params.parsed, data)] = True
    return mask


def _selection_masks(params: SearchParams, data: FacetData) -> dict[str, np.ndarray]:
    masks = {
        name: data.columns[name].mask(codes, data.size)
        for name, codes in params.selected.items()
        if codes
    }
    if params.year_from is not None or params.year_to is not None:
        low = params.year_from if params.year_from is not None else -1
        high = params.year_to if params.year_to is not None else 1 << 30
        masks["year"] = (data.years >= low) & (data.years <= high)
    return masks


def _all_but(matched: np.ndarray, masks: dict[str, np.ndarray], skip: str) -> np.ndarray:
    result = matched.copy()
    for name, mask in masks.items():
        if name != skip:
            result &= mask
    return result


def _rank_limit() -> int:
    """How many matches are ranked, all of them: the setting, or what the engine can do."""
    return settings.ARCHIVE_RANK_LIMIT or get_engine().rank_limit


@dataclass(frozen=True)
class _Ordering:
    """The order a search's results are listed in, and the notice that says why, if any."""

    params: SearchParams  # with the sort actually used
    notice: str = ""
    # Head first: these (a mask over the documents) are ranked and listed
    # first, the rest of the matches newest first after them.
    head: np.ndarray | None = None


def _ordering(
    params: SearchParams, data: FacetData, matched: np.ndarray, final: np.ndarray
) -> _Ordering:
    """Relevance for every match when the engine can rank them all, else head matches first."""
    if params.sort != Sort.RELEVANCE or not params.parsed.has_positive:
        return _Ordering(params)
    limit = _rank_limit()
    # Judged on the words alone: the engine reads every document holding them
    # even when filters keep only a few (~0.7 µs each on SQLite, docs/benchmarks.md).
    if int(matched.sum()) <= limit:
        return _Ordering(params)
    head = np.zeros(data.size, dtype=bool)
    head[data.positions(get_engine().head_match_ids(params.parsed))] = True
    head &= final
    if int(head.sum()) <= limit:
        notice = gettext(
            "These words are in more than %(limit)s testimonies. Those with them in the "
            "title or summary come first, the most relevant first; the others follow, "
            "newest first."
        ) % {"limit": f"{limit:,}"}
        return _Ordering(params, notice, head)
    notice = gettext(
        "These words are in more than %(limit)s testimonies, so the results are "
        "listed newest first. Add a rarer word to order them by relevance."
    ) % {"limit": f"{limit:,}"}
    return _Ordering(replace(params, sort=Sort.NEWEST), notice)


def _newest(data: FacetData, positions: np.ndarray, offset: int, limit: int) -> list[int]:
    """Ids of one page of these documents, newest first."""
    # The publication rank is unique, so the page is the top k of one key:
    # a partial sort of the ~100,000 matches of a common word, not a full one.
    keys = -data.published_order[positions]
    wanted = offset + limit
    if wanted < len(positions):
        top = np.argpartition(keys, wanted - 1)[:wanted]
        top = top[np.argsort(keys[top])]
    else:
        top = np.argsort(keys)
    return data.ids[positions[top[offset : offset + limit]]].tolist()


def _order(
    ordering: _Ordering, data: FacetData, final: np.ndarray, offset: int, limit: int
) -> list[int]:
    """Testimony ids of one page, in the order decided."""
    params = ordering.params
    if ordering.head is not None:
        # The ranked head matches, then the others newest first: one order for
        # every page, so that the pages together hold each match once.
        head = np.flatnonzero(ordering.head)
        page: list[int] = []
        if offset < len(head):
            page = get_engine().ranked_head_ids(
                params.parsed, among=data.ids[head].tolist(), limit=limit, offset=offset
            )
        if len(page) < limit:
            rest = np.flatnonzero(final & ~ordering.head)
            page += _newest(data, rest, max(0, offset - len(head)), limit - len(page))
        return page
    positions = np.flatnonzero(final)
    if params.sort == Sort.RELEVANCE and params.parsed.has_positive:
        # Restrict ranking to the filtered matches only when filters removed some.
        among = data.ids[positions].tolist() if params.has_filters else None
        return get_engine().ranked_ids(params.parsed, among=among, limit=limit, offset=offset)
    if params.sort in (Sort.NEWEST, Sort.RELEVANCE):
        return _newest(data, positions, offset, limit)
    sort_keys = {
        Sort.RECORDED: (-data.recorded_order, -data.published_order),
        Sort.YEAR_DESC: (-data.years, -data.published_order),
        Sort.YEAR_ASC: (data.years, -data.published_order),
    }[params.sort]
    # lexsort sorts by the last key first; ids break ties so the order is stable.
    order = np.lexsort((-data.ids[positions], *(key[positions] for key in reversed(sort_keys))))
    return data.ids[positions[order[offset : offset + limit]]].tolist()


def matching_ids(params: SearchParams, *, data: FacetData | None = None) -> list[int]:
    """Every matching testimony's primary key, in the order the search page lists them.

    The page number is ignored: exports and feeds want the whole result, and
    share ``_order`` with the page so that both agree on the order.
    """
    data = data or facet_data()
    matched = _match_mask(params, data)
    final = _all_but(matched, _selection_masks(params, data), skip="")
    total = int(final.sum())
    if not total:
        return []
    return _order(_ordering(params, data, matched, final), data, final, 0, total)


def search(
    params: SearchParams,
    *,
    per_page: int = 20,
    data: FacetData | None = None,
    last_page_if_past: bool = False,
) -> SearchResult:
    """One page of results; a page past the last is ``BadQuery``, or the last page if asked."""
    data = data or facet_data()
    matched = _match_mask(params, data)
    masks = _selection_masks(params, data)
    final = _all_but(matched, masks, skip="")
    total = int(final.sum())
    num_pages = max(1, -(-total // per_page))
    page_notice = ""
    if params.page > num_pages:
        if not last_page_if_past:
            raise BadQuery(
                gettext("There is no page %(page)s: this search has %(pages)s page(s).")
                % {"page": params.page, "pages": num_pages}
            )
        # A shared link to page 3 outlives a withdrawal that leaves two pages:
        # the reader gets the last page and is told why, not an error.
        page_notice = gettext(
            "There is no page %(page)s any more: this search has %(pages)s page(s). "
            "Here is the last one."
        ) % {"page": f"{params.page:,}", "pages": num_pages}
        params = replace(params, page=num_pages)

    facets = []
    for facet in FACETS:
        column = data.columns[facet.name]
        counts = column.counts(_all_but(matched, masks, skip=facet.name))
        selected = set(params.selected.get(facet.name, ()))
        facets.append(
            FacetResult(
                facet=facet,
                counts=[
                    FacetCount(value=value, count=int(count), selected=value.code in selected)
                    for value, count in zip(column.values, counts, strict=True)
                    if count or value.code in selected
                ],
                expanded=facet.name in params.expanded,
            )
        )
    year_pool = _all_but(matched, masks, skip="year")
    years = sorted(zip(*np.unique(data.years[year_pool], return_counts=True), strict=True))

    ordering = _ordering(params, data, matched, final)
    params, notice = ordering.params, ordering.notice
    offset = (params.page - 1) * per_page
    page_ids = _order(ordering, data, final, offset, per_page)
    by_id = Testimony.objects.public().in_bulk(page_ids)
    hits = []
    for testimony_id in page_ids:
        testimony = by_id.get(testimony_id)
        if testimony is None:  # withdrawn between the two reads
            continue
        if not params.parsed.has_positive:
            hits.append(Hit(testimony=testimony, snippet=None))
            continue
        words, stems = params.parsed.highlight_tokens, params.parsed.highlight_stems
        hits.append(
            Hit(
                testimony=testimony,
                snippet=best_snippet(testimony.paragraphs, words, stems=stems),
                title_html=highlight(testimony.title, words, stems=stems),
                summary_html=highlight(testimony.summary, words, stems=stems),
            )
        )
    return SearchResult(
        params=params,
        hits=hits,
        total=total,
        page=params.page,
        num_pages=num_pages,
        per_page=per_page,
        facets=facets,
        years=[(int(year), int(count)) for year, count in years],
        raid_years=data.raids.years_among(year_pool),
        sort=params.sort,
        notice=notice,
        page_notice=page_notice,
    )


def search_from_query(
    query: QueryDict,
    *,
    fixed: dict[str, list[str]] | None = None,
    per_page: int | None = None,
    last_page_if_past: bool = False,
) -> SearchResult:
    """Validate a search query string and run it; ``BadQuery`` says what was wrong.

    The one path from a URL's parameters to results, shared by the search
    page, the law and clause pages (with their facet pinned in ``fixed``) and
    the JSON API, so the same parameters always give the same answer. A page
    past the last is refused, unless ``last_page_if_past`` (a page a person
    reads) asks for the last page with a notice instead.
    """
    data = facet_data()
    params = search_params(pinned(query, fixed), facet_data=data)
    return search(
        params,
        per_page=per_page or settings.ARCHIVE_PAGE_SIZE,
        data=data,
        last_page_if_past=last_page_if_past,
    )


def matching_ids_from_query(
    query: QueryDict, *, fixed: dict[str, list[str]] | None = None, sort: str | None = None
) -> list[int]:
    """Every testimony a search query string matches, in order; ``BadQuery`` if it is invalid.

    The whole result of the search ``search_from_query`` pages through, for
    the CSV and feed twins of a search page. ``sort``, if given, replaces the
    order the query asks for once the query is validated: a feed lists what
    is new whatever order its page was in.
    """
    data = facet_data()
    params = search_params(pinned(query, fixed), facet_data=data)
    if sort is not None:
        params = replace(params, sort=sort)
    return matching_ids(params, data=data)


def _narrowed_mask(query: QueryDict, data: FacetData) -> np.ndarray | None:
    """The documents the query's words and filters leave, or ``None`` for all of them."""
    params = search_params(query, facet_data=data)
    if params.parsed.is_empty and not params.has_filters:
        return None
    return _all_but(_match_mask(params, data), _selection_masks(params, data), skip="")


def practice_counts_from_query(
    query: QueryDict, *, by: Literal["law", "clause"], only: str | None = None
) -> list[PracticeCount]:
    """(law or clause code, relation, year of events, testimonies) among those a query leaves.

    Counted over the facet columns: published testimonies only, a testimony
    once per law (or clause), relation and year. ``only`` keeps one law's or
    clause's code; ``BadQuery`` if the query is invalid, as for the search.
    """
    data = facet_data()
    among = _narrowed_mask(query, data)
    return data.practice.counts(among, data.years, by_law=by == "law", only=only)


def overview(data: FacetData | None = None) -> Overview:
    """Testimonies and raids per year and testimonies per province, from the facet arrays."""
    data = data or facet_data()
    everything = np.ones(data.size, dtype=bool)
    years = np.unique(data.years, return_counts=True)
    column = data.columns["province"]
    return Overview(
        years=[(int(year), int(count)) for year, count in zip(*years, strict=True)],
        raid_years=data.raids.years_among(everything),
        provinces=[
            (value, int(count))
            for value, count in zip(column.values, column.counts(everything), strict=True)
            if count
        ],
    )
