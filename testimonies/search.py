"""The faceted search: one function from validated parameters to a page of results.

The engine finds which published testimonies match the text; the facet
columns filter them and count every facet value with the other facets
applied (values within a facet are OR-ed, facets are AND-ed); the engine
ranks only the page shown; snippets are made for those twenty hits.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext

from archive.errors import BadQuery
from archive.search.engine import get_engine
from archive.search.query import ParsedQuery
from archive.search.snippets import Snippet, best_snippet
from testimonies.facets import FACETS, FacetData, FacetDefinition, FacetValue, facet_data
from testimonies.filters import SearchParams, Sort, search_params
from testimonies.models import Testimony
from testimonies.vocabulary import Nationality, Province, WorkSetting

# A facet lists its largest values first; more than this and the reader asks for all.
FACET_SHOWN = 12
# Ranking costs time for every document containing the words. When the words
# are in more than this many, the order by relevance says little (the words are
# everywhere), so the results are listed newest first and the page says so.
RANK_LIMIT = 5000


# Labels looked up once: Django's get_FOO_display rebuilds a dict of every
# choice (77 provinces) on each call, sixty times a page.
_LABELS = {
    "nationality": dict(Nationality.choices),
    "work_setting": dict(WorkSetting.choices),
    "province": dict(Province.choices),
}


@dataclass(frozen=True)
class Hit:
    testimony: Testimony
    snippet: Snippet | None

    @property
    def facts(self) -> str:
        """Pseudonym, nationality, work setting, province and year, for the result list."""
        t = self.testimony
        return (
            f"{t.narrator_pseudonym} · {_LABELS['nationality'][t.nationality]} · "
            f"{_LABELS['work_setting'][t.work_setting]} · "
            f"{_LABELS['province'][t.province]}, {t.year_of_events}"
        )


@dataclass(frozen=True)
class FacetCount:
    value: FacetValue
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetResult:
    facet: FacetDefinition
    counts: list[FacetCount]  # zero counts left out unless selected
    expanded: bool = False

    @property
    def shown(self) -> list[FacetCount]:
        """What the page lists: the largest values (and every selected one) unless expanded."""
        if self.expanded or len(self.counts) <= FACET_SHOWN:
            return self.counts
        largest = sorted(self.counts, key=lambda c: -c.count)[:FACET_SHOWN]
        keep = {id(c) for c in largest} | {id(c) for c in self.counts if c.selected}
        return [c for c in self.counts if id(c) in keep]

    @property
    def hidden(self) -> int:
        return len(self.counts) - len(self.shown)

    @property
    def grouped(self) -> list[tuple[str, list[FacetCount]]]:
        groups: dict[str, list[FacetCount]] = {}
        for count in self.shown:
            groups.setdefault(count.value.group, []).append(count)
        return list(groups.items())


@dataclass(frozen=True)
class SearchResult:
    params: SearchParams
    hits: list[Hit]
    total: int
    page: int
    num_pages: int
    per_page: int
    facets: list[FacetResult]
    years: list[tuple[int, int]]  # (year, count) with every filter but the year range
    raid_years: list[tuple[int, int]]  # raids those testimonies recount, per year of the raid
    sort: str
    notice: str = ""

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)


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


def _order(params: SearchParams, data: FacetData, final: np.ndarray, offset: int, limit: int):
    """Testimony ids of one page, in the requested order."""
    positions = np.flatnonzero(final)
    if params.sort == Sort.RELEVANCE and params.parsed.has_positive:
        # Restrict ranking to the filtered matches only when filters removed some.
        among = data.ids[positions].tolist() if params.has_filters else None
        return get_engine().ranked_ids(params.parsed, among=among, limit=limit, offset=offset)
    if params.sort in (Sort.NEWEST, Sort.RELEVANCE):
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
    keys = {
        Sort.RECORDED: (-data.recorded_order, -data.published_order),
        Sort.YEAR_DESC: (-data.years, -data.published_order),
        Sort.YEAR_ASC: (data.years, -data.published_order),
    }[params.sort]
    # lexsort sorts by the last key first; ids break ties so the order is stable.
    order = np.lexsort((-data.ids[positions], *(key[positions] for key in reversed(keys))))
    return data.ids[positions[order[offset : offset + limit]]].tolist()


def _effective_sort(params: SearchParams, matched: np.ndarray) -> tuple[SearchParams, str]:
    """The order actually used, and the notice explaining a change from the one asked for."""
    # Judged on the words alone: the engine scores every document containing
    # them even when filters keep only a few, and words that common say little
    # about relevance anyway.
    if (
        params.sort == Sort.RELEVANCE
        and params.parsed.has_positive
        and int(matched.sum()) > RANK_LIMIT
    ):
        notice = gettext(
            "These words are in more than %(limit)s testimonies, so the results are "
            "listed newest first. Add a rarer word to order them by relevance."
        ) % {"limit": f"{RANK_LIMIT:,}"}
        return replace(params, sort=Sort.NEWEST), notice
    return params, ""


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
    params, _notice = _effective_sort(params, matched)
    return _order(params, data, final, 0, total)


def search(
    params: SearchParams, *, per_page: int = 20, data: FacetData | None = None
) -> SearchResult:
    data = data or facet_data()
    matched = _match_mask(params, data)
    masks = _selection_masks(params, data)
    final = _all_but(matched, masks, skip="")
    total = int(final.sum())
    num_pages = max(1, -(-total // per_page))
    if params.page > num_pages:
        raise BadQuery(
            gettext("There is no page %(page)s: this search has %(pages)s page(s).")
            % {"page": params.page, "pages": num_pages}
        )

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

    params, notice = _effective_sort(params, matched)
    offset = (params.page - 1) * per_page
    page_ids = _order(params, data, final, offset, per_page)
    by_id = Testimony.objects.public().in_bulk(page_ids)
    hits = []
    for testimony_id in page_ids:
        testimony = by_id.get(testimony_id)
        if testimony is None:  # withdrawn between the two reads
            continue
        snippet = (
            best_snippet(testimony.paragraphs, params.parsed.highlight_tokens)
            if params.parsed.has_positive
            else None
        )
        hits.append(Hit(testimony=testimony, snippet=snippet))
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
    )


def pinned(query: QueryDict, fixed: dict[str, list[str]] | None) -> QueryDict:
    """A copy of the query string with the facets a page pins set to their values."""
    query = query.copy()
    for name, values in (fixed or {}).items():
        query.setlist(name, values)
    return query


def search_from_query(
    query: QueryDict, *, fixed: dict[str, list[str]] | None = None, per_page: int | None = None
) -> SearchResult:
    """Validate a search query string and run it; ``BadQuery`` says what was wrong.

    The one path from a URL's parameters to results, shared by the search
    page, the law and clause pages (with their facet pinned in ``fixed``) and
    the JSON API, so the same parameters always give the same answer.
    """
    data = facet_data()
    params = search_params(pinned(query, fixed), facet_data=data)
    return search(params, per_page=per_page or settings.ARCHIVE_PAGE_SIZE, data=data)


@dataclass(frozen=True)
class Overview:
    """The whole public archive counted, for the front page's pictures."""

    years: list[tuple[int, int]]
    raid_years: list[tuple[int, int]]
    provinces: list[tuple[FacetValue, int]]


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
