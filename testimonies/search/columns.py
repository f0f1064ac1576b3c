"""The read model of the search: every published testimony's facet values, as arrays.

Every worker keeps, for each published testimony, one small integer per
single-valued facet and (testimony, value) pairs for the many-valued ones, as
numpy arrays. The engine only says which testimonies match; filtering and
every count are then array operations. Why arrays rather than a GROUP BY per
facet, with the numbers: docs/architecture.md.

The arrays are rebuilt when the index generation token in the database
changes, so counts stay exact when another process publishes or withdraws a
record.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import F, QuerySet

from archive.bilingual import BilingualLabel
from archive.search.engine import ids_from_csv
from laws.identifiers import clause_code
from laws.models import Clause, Law
from testimonies.models import (
    Authority,
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from testimonies.search import index
from testimonies.search.facets import SINGLE_VALUED_FIELDS, FacetValue


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


@dataclass
class FacetData:
    generation: str
    ids: np.ndarray  # testimony ids, ascending; position = document index
    years: np.ndarray
    published_order: np.ndarray  # first publication, as a sortable integer
    recorded_order: np.ndarray  # date recorded, as a sortable integer (0 if unknown)
    columns: dict[str, FacetColumn]
    raids: RaidColumn

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


def _int_pairs(queryset: QuerySet) -> np.ndarray:
    """The rows of a two-column values_list of integers, as an (n, 2) array.

    A rebuild reads several hundred thousand such pairs; fetched as Python
    tuples they cost most of its time. The database joins them into one
    string that numpy parses, as the engines hand over matching ids.
    """
    first, second = queryset.query.values_select
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        joined = f"string_agg(pairs.{first}::text || ',' || pairs.{second}::text, ',')"
    else:
        joined = f"group_concat(pairs.{first} || ',' || pairs.{second})"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {joined} FROM ({sql}) AS pairs", params)
        return ids_from_csv(cursor.fetchone()[0]).reshape(-1, 2)


def _lookup(index_of: dict[int, int]) -> np.ndarray:
    """An array mapping a primary key to its index (-1 for keys not in ``index_of``)."""
    table = np.full(max(index_of, default=0) + 1, -1, dtype=np.int64)
    table[list(index_of)] = list(index_of.values())
    return table


def _map(keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``table[keys]``, with -1 for keys beyond the table (rows added since it was read)."""
    inside = keys < len(table)
    result = np.full(len(keys), -1, dtype=np.int64)
    result[inside] = table[keys[inside]]
    return result


def _positions_of(ids: np.ndarray, doc_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Document positions of ``doc_ids``, and which of them are published (in ``ids``)."""
    if not len(ids):
        return np.zeros(len(doc_ids), dtype=np.int64), np.zeros(len(doc_ids), dtype=bool)
    positions = np.clip(np.searchsorted(ids, doc_ids), 0, len(ids) - 1)
    return positions, ids[positions] == doc_ids


def _raid_column(ids: np.ndarray, raid_links: np.ndarray) -> RaidColumn:
    published = RaidIncident.objects.public().order_by("id").values_list("id", "date")
    raid_ids, years = [], []
    for raid_id, date in published:  # a few hundred rows: the ORM's dates are fine
        raid_ids.append(raid_id)
        years.append(date.year)
    raid_index = _map(raid_links[:, 1], _lookup({rid: i for i, rid in enumerate(raid_ids)}))
    positions, published_doc = _positions_of(ids, raid_links[:, 0])
    keep = published_doc & (raid_index >= 0)
    return RaidColumn(
        years=np.array(years, dtype=np.int64),
        doc_index=positions[keep],
        raid_index=raid_index[keep],
    )


def _raw_rows(queryset: QuerySet) -> list[tuple]:
    """Rows of a values_list queryset as the database returns them.

    Building the columns reads several hundred thousand values; Django's
    per-value converters (datetimes above all) would cost seconds at 100,000
    testimonies, and these queries only need plain integers and codes.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _rank_of(ids: np.ndarray, ordered_ids: list[tuple[int]]) -> np.ndarray:
    """For each id (ascending), its position in ``ordered_ids``: a sort key without dates."""
    ordered = np.array([row[0] for row in ordered_ids], dtype=np.int64)
    rank = np.zeros(len(ids), dtype=np.int64)
    rank[np.searchsorted(ids, ordered)] = np.arange(len(ordered), dtype=np.int64)
    return rank


def _pairs_column(
    values: list[FacetValue], doc_ids: np.ndarray, value_indexes: np.ndarray, ids: np.ndarray
) -> FacetColumn:
    """A many-valued column from (testimony id, value index) pairs.

    Pairs of testimonies that are not published (not in ``ids``) are dropped
    here rather than in SQL: a join on the set of published ids made SQLite
    probe that set once per row, and the arrays do it in one step.
    """
    column = FacetColumn(values=values)
    # One testimony can name the same value twice (two violations of one kind):
    # count it once, by deduplicating the pairs encoded as single integers.
    width = max(len(values), 1)
    known = value_indexes >= 0
    keys = np.unique(doc_ids[known] * width + value_indexes[known])
    doc_ids, value_indexes = keys // width, keys % width
    positions, published = _positions_of(ids, doc_ids)
    column.doc_index = positions[published]
    column.value_index = value_indexes[published]
    return column


def _authority_pairs(
    index_of_authority: dict[int, int], raid_links: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(testimony ids, authority indexes) for every published raid a testimony recounts."""
    present = _int_pairs(
        RaidIncident.authorities.through.objects.filter(
            raidincident__status=Status.PUBLISHED
        ).values_list("raidincident_id", "authority_id")
    )
    authority = _map(present[:, 1], _lookup(index_of_authority))
    # Join the links (testimony, raid) to (raid, authority): sort the latter by
    # raid, then give every link as many rows as its raid has authorities.
    order = np.argsort(present[:, 0], kind="stable")
    raids, authority = present[order, 0], authority[order]
    links = raid_links[np.isin(raid_links[:, 1], raids)]
    first = np.searchsorted(raids, links[:, 1], side="left")
    count = np.searchsorted(raids, links[:, 1], side="right") - first
    testimony_ids = np.repeat(links[:, 0], count)
    # For each output row, its offset within its raid's run of authorities.
    starts = np.repeat(first, count)
    offsets = np.arange(len(testimony_ids)) - np.repeat(np.cumsum(count) - count, count)
    return testimony_ids, authority[starts + offsets]


def _vocabulary(rows: Iterable[tuple]) -> tuple[list[FacetValue], dict[int, int]]:
    """Facet values from (pk, code, label[, group]) rows, and pk -> value index."""
    values, index_of_pk = [], {}
    for position, (pk, *value) in enumerate(rows):
        values.append(FacetValue(*value))
        index_of_pk[pk] = position
    return values, index_of_pk


def build_facet_data(generation: str) -> FacetData:
    """Read the facet columns of every published testimony from the database."""
    public: QuerySet[Testimony] = Testimony.objects.public()
    rows = _raw_rows(
        public.order_by("id").values_list("id", *SINGLE_VALUED_FIELDS, "year_of_events")
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    columns: dict[str, FacetColumn] = {}
    for position, (name, choices) in enumerate(SINGLE_VALUED_FIELDS.items(), start=1):
        column = FacetColumn(
            # Labels stay lazy: the arrays are shared by readers of both languages.
            values=[FacetValue(code, label) for code, label in choices.choices]
        )
        index_of = column.index_of
        column.codes = np.array([index_of[row[position]] for row in rows], dtype=np.int64)
        columns[name] = column
    years = np.array([row[-1] for row in rows], dtype=np.int64)

    # Labels from the tables are BilingualLabels: like the lazy choices above,
    # each reader sees them in their own language from the one shared array.
    types, type_index = _vocabulary(
        (pk, slug, BilingualLabel(label, label_th))
        for pk, slug, label, label_th in ViolationType.objects.values_list(
            "pk", "slug", "label", "label_th"
        )
    )
    violations = _int_pairs(
        RightsViolation.objects.filter(testimony__isnull=False)
        .with_public_incident_or_none()
        .values_list("testimony_id", "violation_type_id")
    )
    columns["violation"] = _pairs_column(
        types, violations[:, 0], _map(violations[:, 1], _lookup(type_index)), ids
    )
    laws, law_index = _vocabulary(
        (pk, slug, BilingualLabel(name, name_th))
        for pk, slug, name, name_th in Law.objects.values_list(
            "pk", "slug", "short_name", "short_name_th"
        )
    )
    clause_rows = list(
        Clause.objects.order_by("law__order", "order", "id").values_list(
            "pk",
            "law_id",
            "law__slug",
            "slug",
            "number",
            "heading",
            "heading_th",
            "law__short_name",
            "law__short_name_th",
        )
    )
    clauses, clause_index = _vocabulary(
        (
            pk,
            clause_code(law_slug, slug),
            BilingualLabel(f"{number}: {heading}", f"{number}: {heading_th}" if heading_th else ""),
            BilingualLabel(law_name, law_name_th),
        )
        for pk, _law, law_slug, slug, number, heading, heading_th, law_name, law_name_th in (
            clause_rows
        )
    )
    law_of_clause = {pk: law_index[law_id] for pk, law_id, *_rest in clause_rows}
    links = _int_pairs(TestimonyClause.objects.values_list("testimony_id", "clause_id"))
    columns["law"] = _pairs_column(
        laws, links[:, 0], _map(links[:, 1], _lookup(law_of_clause)), ids
    )
    columns["clause"] = _pairs_column(
        clauses, links[:, 0], _map(links[:, 1], _lookup(clause_index)), ids
    )
    raid_links = _int_pairs(
        RaidIncident.testimonies.through.objects.values_list("testimony_id", "raidincident_id")
    )
    authorities, authority_index = _vocabulary(
        (pk, slug, BilingualLabel(name, name_th))
        for pk, slug, name, name_th in Authority.objects.values_list(
            "pk", "slug", "name", "name_th"
        )
    )
    columns["authority"] = _pairs_column(
        authorities, *_authority_pairs(authority_index, raid_links), ids
    )

    by_publication = _raw_rows(public.order_by("first_published_at", "id").values_list("id"))
    by_recording = _raw_rows(
        public.order_by(F("date_recorded").asc(nulls_first=True), "id").values_list("id")
    )
    return FacetData(
        generation=generation,
        ids=ids,
        years=years,
        published_order=_rank_of(ids, by_publication),
        recorded_order=_rank_of(ids, by_recording),
        columns=columns,
        raids=_raid_column(ids, raid_links),
    )


_lock = threading.Lock()
_cached: FacetData | None = None


def facet_data() -> FacetData:
    """This process's facet data, rebuilt if anything public changed since it was read."""
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
            _cached = build_facet_data(generation)
        return _cached


def totals(facet: str) -> dict[str, int]:
    """Published testimonies having each value of ``facet``, over the whole archive."""
    return facet_data().totals(facet)
