"""The read model of the search: every published testimony's facet values, as arrays.

Every worker keeps, for each published testimony, one small integer per
single-valued facet and (testimony, value) pairs for the many-valued ones, as
numpy arrays. The engine only says which testimonies match; filtering and
every count are then array operations. Why arrays rather than a GROUP BY per
facet, with the numbers: docs/architecture.md.

When the index generation token in the database changes, a worker applies
only the testimonies the change log names since the change it holds (see
``FacetChange``): a publication costs a few milliseconds rather than the
~1 s of reading every testimony again at 100,000. Everything is read again
on start-up and when the log cannot say (a pruned or restored log, a renamed
vocabulary, more changes than a rebuild costs).
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from testimonies.search import index
from testimonies.search.documents import (
    LINK_RELATIONS,
    MANY_VALUED,
    Documents,
    Vocabulary,
    practice_link_width,
    read_documents,
    read_vocabulary,
)
from testimonies.search.facets import FacetValue


@dataclass
class FacetColumn:
    """One facet's values and, per document, which of them it has."""

    values: list[FacetValue]
    codes: np.ndarray | None = None  # single-valued: value index per document
    doc_index: np.ndarray | None = None  # many-valued: pairs (document, value index)
    value_index: np.ndarray | None = None
    index_of: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index_of = {value.code: i for i, value in enumerate(self.values)}

    def mask(self, selected: Iterable[str], size: int) -> np.ndarray:
        """Documents having any of the selected values (values of a facet are OR-ed)."""
        wanted = np.array([self.index_of[code] for code in selected], dtype=np.int32)
        if self.codes is not None:
            return np.isin(self.codes, wanted)
        doc_index, value_index = self._pairs()
        result = np.zeros(size, dtype=bool)
        result[doc_index[np.isin(value_index, wanted)]] = True
        return result

    def counts(self, among: np.ndarray) -> np.ndarray:
        """How many of the documents in ``among`` (a boolean mask) have each value."""
        if self.codes is not None:
            return np.bincount(self.codes[among], minlength=len(self.values))
        doc_index, value_index = self._pairs()
        return np.bincount(value_index[among[doc_index]], minlength=len(self.values))

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """A many-valued facet's pairs: its documents, and the value index of each."""
        assert self.doc_index is not None and self.value_index is not None
        return self.doc_index, self.value_index


@dataclass
class RaidColumn:
    """Which published raids each testimony recounts, and the year of each raid.

    Kept as (document, raid) pairs so raids per year for any set of matching
    testimonies is an array operation, each raid counted once however many
    of the matching testimonies recount it.
    """

    years: np.ndarray  # year of each raid, by raid index
    doc_index: np.ndarray  # pairs: document position ...
    raid_index: np.ndarray  # ... and the raid it recounts

    def years_among(self, among: np.ndarray) -> list[tuple[int, int]]:
        """(year, raids) for the raids recounted by any document in ``among``."""
        # A flag per raid rather than np.unique over the pairs: no sort of ~100,000 values.
        recounted = np.zeros(len(self.years), dtype=bool)
        recounted[self.raid_index[among[self.doc_index]]] = True
        if not recounted.any():
            return []
        years, counts = np.unique(self.years[recounted], return_counts=True)
        return [(int(year), int(count)) for year, count in zip(years, counts, strict=True)]


# (law or clause code, relation, year of events, testimonies)
PracticeCount = tuple[str, str, int, int]


@dataclass
class PracticeColumn:
    """Each published testimony's clause links with their relation, for the law in practice.

    Pairs (document, clause index * len(LINK_RELATIONS) + relation index),
    sorted and unique, so the counts by law or clause, relation and year of
    any set of matching testimonies are array operations, not a grouped
    query per picture (0.2-0.9 s at 100,000 testimonies on SQLite).
    """

    laws: list[FacetValue]
    clauses: list[FacetValue]
    law_of_clause: np.ndarray  # clause index -> law index
    doc_index: np.ndarray
    link_index: np.ndarray

    def counts(
        self, among: np.ndarray | None, years: np.ndarray, *, by_law: bool, only: str | None
    ) -> list[PracticeCount]:
        """Testimonies among ``among`` (a mask; ``None``: all) per law or clause, relation, year.

        A testimony counts once per law, relation and year however many of the
        law's clauses it links so; ``only`` keeps one law's or clause's code.
        """
        doc, link = self.doc_index, self.link_index
        if among is not None:
            kept = among[doc]
            doc, link = doc[kept], link[kept]
        relations = len(LINK_RELATIONS)
        target, relation = link // relations, link % relations
        values = self.clauses
        if by_law:
            target, values = self.law_of_clause[target], self.laws
        if only is not None:
            wanted = next((i for i, value in enumerate(values) if value.code == only), -1)
            kept = target == wanted
            doc, target, relation = doc[kept], target[kept], relation[kept]
        kind = target * relations + relation  # (law or clause, relation) in one integer
        if by_law:
            # Several clauses of one law in one testimony: the law counts it once.
            width = max(len(values), 1) * relations
            keys = np.unique(doc * width + kind)
            doc, kind = keys // width, keys % width
        # (A clause's pairs are unique already: the columns keep them so.)
        if not len(doc):
            return []
        year = years[doc]
        first, span = int(year.min()), int(year.max() - year.min()) + 1
        # A count per (kind, year) slot rather than a sort of every link.
        counts = np.bincount(kind * span + (year - first))
        groups = np.flatnonzero(counts)
        return [
            (
                values[int(group // span) // relations].code,
                LINK_RELATIONS[int(group // span) % relations],
                first + int(group % span),
                int(counts[group]),
            )
            for group in groups
        ]


@dataclass
class FacetData:
    generation: str
    ids: np.ndarray  # testimony ids, ascending; position = document index
    years: np.ndarray
    published_order: np.ndarray  # rank by first publication (then id): unique
    recorded_order: np.ndarray  # rank by date recorded, unknown first (then id): unique
    columns: dict[str, FacetColumn]
    raids: RaidColumn
    practice: PracticeColumn
    # What the ranks are computed from, kept to rank again after a change.
    published_key: np.ndarray
    recorded_key: np.ndarray
    vocabulary: Vocabulary
    change: index.ChangePosition | None = None  # the last logged change applied

    @property
    def size(self) -> int:
        return len(self.ids)

    def totals(self, name: str) -> dict[str, int]:
        """Published testimonies having each value of one facet, over the whole archive."""
        column = self.columns[name]
        counts = column.counts(np.ones(self.size, dtype=bool))
        return {value.code: int(count) for value, count in zip(column.values, counts, strict=True)}

    def positions(self, testimony_ids: Iterable[int]) -> np.ndarray:
        """Document indexes of the given ids; ids not (or no longer) published are dropped."""
        if isinstance(testimony_ids, np.ndarray):
            wanted = testimony_ids.astype(np.int64, copy=False)
        else:
            wanted = np.fromiter(testimony_ids, dtype=np.int64)
        if not len(wanted) or not self.size:
            return np.zeros(0, dtype=np.int64)
        found = np.searchsorted(self.ids, wanted)
        found = np.clip(found, 0, self.size - 1)
        return found[self.ids[found] == wanted]


def _rank(keys: np.ndarray) -> np.ndarray:
    """Each document's rank by ``keys``, ties broken by position (that is, by id)."""
    rank = np.empty(len(keys), dtype=np.int64)
    rank[np.argsort(keys, kind="stable")] = np.arange(len(keys), dtype=np.int64)
    return rank


def _followed_rank(
    rank: np.ndarray,
    kept: np.ndarray,
    keys: np.ndarray,
    ids: np.ndarray,
    fresh_keys: np.ndarray,
    fresh_ids: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``_rank`` after dropping the documents not ``kept`` and adding the fresh ones.

    The kept documents' ranks, and the fresh ones'. Without a sort
    of every key (two of them cost ~40 ms at 100,000 on a busy machine): the
    kept documents keep their order, and each fresh one goes after the kept
    documents that come before it.
    """
    removed = np.sort(rank[~kept])
    kept_rank = rank[kept] - np.searchsorted(removed, rank[kept])  # 0..n-1 among the kept
    kept_keys, kept_ids = keys[kept], ids[kept]
    fresh_order = np.lexsort((fresh_ids, fresh_keys))
    before = np.array(
        [
            np.count_nonzero((kept_keys < key) | ((kept_keys == key) & (kept_ids < id_)))
            for key, id_ in zip(fresh_keys[fresh_order], fresh_ids[fresh_order], strict=True)
        ],
        dtype=np.int64,
    )
    fresh_rank = np.empty(len(fresh_ids), dtype=np.int64)
    fresh_rank[fresh_order] = before + np.arange(len(fresh_ids), dtype=np.int64)
    kept_rank += np.searchsorted(before, kept_rank, side="right")
    return kept_rank, fresh_rank


Pairs = tuple[np.ndarray, np.ndarray]  # (document positions, value indexes), sorted


def _pairs_at(keys: np.ndarray, width: int, ids: np.ndarray) -> Pairs:
    """Sorted (testimony id, value) keys as pairs; every id must be in ``ids``."""
    width = max(width, 1)
    return np.searchsorted(ids, keys // width), keys % width


def _assemble(
    generation: str,
    vocabulary: Vocabulary,
    documents: Documents,
    pairs: dict[str, Pairs],
    change: index.ChangePosition | None,
    ranks: tuple[np.ndarray, np.ndarray] | None = None,
) -> FacetData:
    """Facet data from documents and their pairs per many-valued facet (and raids)."""
    columns: dict[str, FacetColumn] = {}
    for name, codes in documents.codes.items():
        columns[name] = FacetColumn(values=vocabulary.values[name], codes=codes)
    for name in MANY_VALUED:
        doc_index, value_index = pairs[name]
        columns[name] = FacetColumn(
            values=vocabulary.values[name], doc_index=doc_index, value_index=value_index
        )
    return FacetData(
        generation=generation,
        ids=documents.ids,
        years=documents.years,
        published_order=ranks[0] if ranks else _rank(documents.published_key),
        recorded_order=ranks[1] if ranks else _rank(documents.recorded_key),
        columns=columns,
        raids=RaidColumn(
            years=vocabulary.raid_years, doc_index=pairs["raid"][0], raid_index=pairs["raid"][1]
        ),
        practice=PracticeColumn(
            laws=vocabulary.values["law"],
            clauses=vocabulary.values["clause"],
            law_of_clause=vocabulary.law_of_clause_index,
            doc_index=pairs["practice"][0],
            link_index=pairs["practice"][1],
        ),
        published_key=documents.published_key,
        recorded_key=documents.recorded_key,
        vocabulary=vocabulary,
        change=change,
    )


def _widths(vocabulary: Vocabulary) -> dict[str, int]:
    widths = {name: len(vocabulary.values[name]) for name in MANY_VALUED}
    widths["raid"] = len(vocabulary.raid_years)
    widths["practice"] = practice_link_width(vocabulary)
    return widths


def build_facet_data(generation: str, change: index.ChangePosition | None = None) -> FacetData:
    """Read the facet columns of every published testimony from the database.

    ``change`` is the last logged change before the reading began: changes
    after it may or may not be seen, and are applied again later.
    """
    vocabulary = read_vocabulary()
    documents = read_documents(vocabulary)
    widths = _widths(vocabulary)
    pairs = {
        name: _pairs_at(keys, widths[name], documents.ids) for name, keys in documents.pairs.items()
    }
    return _assemble(generation, vocabulary, documents, pairs, change)


def _pairs_of(data: FacetData, name: str) -> Pairs:
    if name == "raid":
        return data.raids.doc_index, data.raids.raid_index
    if name == "practice":
        return data.practice.doc_index, data.practice.link_index
    return data.columns[name]._pairs()


# Up to this many testimonies read again, ranks are placed one by one; beyond, sorted.
FEW = 32


def _insert(array: np.ndarray, at: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.insert(array, at, values)`` for a few ascending positions, by copying slices.

    ``np.insert`` with several positions scatters through an index array:
    several times slower over the 100,000s of entries of a column.
    """
    pieces, start = [], 0
    for i, position in enumerate(at.tolist()):
        pieces += [array[start:position], values[i : i + 1]]
        start = position
    pieces.append(array[start:])
    return np.concatenate(pieces).astype(array.dtype, copy=False)


def apply_changes(
    data: FacetData, testimony_ids: Iterable[int], *, generation: str, change: index.ChangePosition
) -> FacetData:
    """``data`` with the given testimonies read again (or dropped, if no longer published).

    A new FacetData: requests still counting with the old one keep it whole.
    Equal, column for column, to a full build of the same database state as
    long as the vocabulary is unchanged (a change to it is logged as "read
    everything", and never reaches here). Every step of the merge is a copy
    or a gather over the arrays, or a search among the few changed
    testimonies: no sort of all of them.
    """
    changed = np.unique(np.fromiter(testimony_ids, dtype=np.int64))
    fresh = read_documents(data.vocabulary, only=changed.tolist())
    return merge_documents(data, changed, fresh, generation=generation, change=change)


def merge_documents(
    data: FacetData,
    changed: np.ndarray,
    fresh: Documents,
    *,
    generation: str,
    change: index.ChangePosition | None,
) -> FacetData:
    """``data`` without the ``changed`` testimonies, plus those of them in ``fresh``."""
    kept = ~np.isin(data.ids, changed)
    everything_kept = bool(kept.all())
    kept_ids = data.ids if everything_kept else data.ids[kept]
    # Where the fresh documents go among the kept ones (few: positions, not masks).
    fresh_at = np.searchsorted(kept_ids, fresh.ids)
    # The usual publication keeps every document in place and adds one after them.
    in_place = everything_kept and bool((fresh_at == len(kept_ids)).all())

    def placed(kept_values: np.ndarray, fresh_values: np.ndarray) -> np.ndarray:
        return _insert(kept_values, fresh_at, fresh_values)

    def merged(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        return placed(old if everything_kept else old[kept], new)

    ids = merged(data.ids, fresh.ids)
    documents = Documents(
        ids=ids,
        codes={name: merged(codes, fresh.codes[name]) for name, codes in _codes(data)},
        years=merged(data.years, fresh.years),
        published_key=merged(data.published_key, fresh.published_key),
        recorded_key=merged(data.recorded_key, fresh.recorded_key),
        pairs={},
    )
    moved_to = None
    if not in_place:
        # A kept document moves down by the fresh ones before it; -1: dropped.
        moved_to = np.full(data.size, -1, dtype=np.int64)
        moved_to[kept] = np.arange(len(kept_ids), dtype=np.int64) + np.searchsorted(
            fresh.ids, kept_ids
        )
    pairs = {}
    for name, width in _widths(data.vocabulary).items():
        doc, value = _pairs_of(data, name)
        if moved_to is not None:
            doc = moved_to[doc]
            still = doc >= 0
            doc, value = doc[still], value[still]  # still sorted: positions keep their order
        new_doc, new_value = _pairs_at(fresh.pairs[name], width, ids)
        at = np.searchsorted(doc, new_doc)  # a fresh document's pairs all go in one place
        pairs[name] = (_insert(doc, at, new_doc), _insert(value, at, new_value))
    ranks = None
    if len(fresh.ids) <= FEW:
        ranks = (
            placed(
                *_followed_rank(
                    data.published_order,
                    kept,
                    data.published_key,
                    data.ids,
                    fresh.published_key,
                    fresh.ids,
                )
            ),
            placed(
                *_followed_rank(
                    data.recorded_order,
                    kept,
                    data.recorded_key,
                    data.ids,
                    fresh.recorded_key,
                    fresh.ids,
                )
            ),
        )
    return _assemble(generation, data.vocabulary, documents, pairs, change, ranks)


def _codes(data: FacetData) -> list[tuple[str, np.ndarray]]:
    """The single-valued columns' codes, by facet name."""
    return [
        (name, column.codes) for name, column in data.columns.items() if column.codes is not None
    ]


_lock = threading.Lock()
_cached: FacetData | None = None


def follow_changes(cached: FacetData | None, generation: str) -> FacetData:
    """The facet data as of ``generation`` (or newer), from ``cached`` and the change log.

    ``generation`` must have been read before this is called: whatever the
    log says after that moment includes every change up to that token.
    """
    if cached is not None and cached.change is not None:
        since = index.changes_since(cached.change, limit=max(1000, cached.size // 20))
        if since is not None:
            if not since.testimony_ids:  # only the search text changed, or nothing
                return replace(cached, generation=generation, change=since.last)
            return apply_changes(
                cached, since.testimony_ids, generation=generation, change=since.last
            )
    return build_facet_data(generation, index.last_change())


def facet_data() -> FacetData:
    """This process's facet data, brought up to date if anything public changed since."""
    global _cached
    generation = index.current_generation()
    if not generation:
        # Nothing was ever published through the workflow: nothing safe to cache.
        return build_facet_data(generation)
    cached = _cached
    if cached is not None and cached.generation == generation:
        return cached
    with _lock:
        if _cached is None or _cached.generation != generation:
            _cached = follow_changes(_cached, generation)
        return _cached


def totals(facet: str) -> dict[str, int]:
    """Published testimonies having each value of ``facet``, over the whole archive."""
    return facet_data().totals(facet)
