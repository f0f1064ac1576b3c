"""Facets: definitions, the per-document facet columns, and disjunctive counts.

Counting facets with one GROUP BY each over a large match set is what makes
faceted search slow. Instead every worker keeps, for each published
testimony, one small integer per single-valued facet and (testimony, value)
pairs for the many-valued ones, as numpy arrays. The engine only says which
testimonies match; filtering and every count are then array operations.

The arrays are rebuilt when the index generation token in the database
changes (checked once per request), so counts stay exact when another
process publishes or withdraws a record.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from django.db.models import QuerySet

from laws.models import Clause, Law
from testimonies import indexing
from testimonies.models import (
    Authority,
    RaidIncident,
    RightsViolation,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from testimonies.vocabulary import AgeGroup, Language, Nationality, Province, WorkSetting


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    group: str = ""


@dataclass(frozen=True)
class FacetDefinition:
    name: str  # the URL parameter
    label: str
    many: bool  # a testimony can have several values (violations, clauses, ...)


FACETS: tuple[FacetDefinition, ...] = (
    FacetDefinition("nationality", "Nationality", many=False),
    FacetDefinition("age_group", "Age group", many=False),
    FacetDefinition("work_setting", "Work setting", many=False),
    FacetDefinition("province", "Province", many=False),
    FacetDefinition("language", "Language", many=False),
    FacetDefinition("violation", "Violation", many=True),
    FacetDefinition("law", "Law", many=True),
    FacetDefinition("clause", "Clause", many=True),
    FacetDefinition("authority", "Present at the raid", many=True),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
SINGLE_VALUED_FIELDS = {
    "nationality": Nationality,
    "age_group": AgeGroup,
    "work_setting": WorkSetting,
    "province": Province,
    "language": Language,
}


def clause_code(law_slug: str, clause_slug: str) -> str:
    return f"{law_slug}:{clause_slug}"


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
        result = np.zeros(size, dtype=bool)
        result[self.doc_index[np.isin(self.value_index, wanted)]] = True
        return result

    def counts(self, among: np.ndarray) -> np.ndarray:
        """How many of the documents in ``among`` (a boolean mask) have each value."""
        if self.codes is not None:
            return np.bincount(self.codes[among], minlength=len(self.values))
        return np.bincount(self.value_index[among[self.doc_index]], minlength=len(self.values))


@dataclass
class FacetData:
    generation: str
    ids: np.ndarray  # testimony ids, ascending; position = document index
    years: np.ndarray
    published_order: np.ndarray  # first publication, as a sortable integer
    recorded_order: np.ndarray  # date recorded, as a sortable integer (0 if unknown)
    columns: dict[str, FacetColumn]

    @property
    def size(self) -> int:
        return len(self.ids)

    def positions(self, testimony_ids: Iterable[int]) -> np.ndarray:
        """Document indexes of the given ids; ids not (or no longer) published are dropped."""
        wanted = np.fromiter(testimony_ids, dtype=np.int64)
        if not len(wanted) or not self.size:
            return np.zeros(0, dtype=np.int64)
        found = np.searchsorted(self.ids, wanted)
        found = np.clip(found, 0, self.size - 1)
        return found[self.ids[found] == wanted]


def _timestamp(value: datetime | None) -> int:
    return int(value.timestamp()) if value else 0


def _ordinal(value: date | None) -> int:
    return value.toordinal() if value else 0


def _pairs_column(
    values: list[FacetValue], pairs: Iterable[tuple[int, str]], ids: np.ndarray
) -> FacetColumn:
    column = FacetColumn(values=values)
    docs: list[int] = []
    value_indexes: list[int] = []
    for testimony_id, code in set(pairs):
        if code in column.index_of:
            docs.append(testimony_id)
            value_indexes.append(column.index_of[code])
    doc_ids = np.array(docs, dtype=np.int64)
    column.doc_index = np.searchsorted(ids, doc_ids).astype(np.int64)
    column.value_index = np.array(value_indexes, dtype=np.int64)
    return column


def build_facet_data(generation: str) -> FacetData:
    """Read the facet columns of every published testimony from the database."""
    public: QuerySet[Testimony] = Testimony.objects.public()
    rows = list(
        public.order_by("id").values_list(
            "id",
            *SINGLE_VALUED_FIELDS,
            "year_of_events",
            "first_published_at",
            "date_recorded",
        )
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    columns: dict[str, FacetColumn] = {}
    for position, (name, choices) in enumerate(SINGLE_VALUED_FIELDS.items(), start=1):
        column = FacetColumn(
            values=[FacetValue(code, str(label)) for code, label in choices.choices]
        )
        column.codes = np.array([column.index_of[row[position]] for row in rows], dtype=np.int64)
        columns[name] = column
    after_single = len(SINGLE_VALUED_FIELDS) + 1

    public_ids = public.values("id")
    columns["violation"] = _pairs_column(
        [
            FacetValue(slug, label)
            for slug, label in ViolationType.objects.values_list("slug", "label")
        ],
        RightsViolation.objects.filter(testimony__in=public_ids).values_list(
            "testimony_id", "violation_type__slug"
        ),
        ids,
    )
    links = TestimonyClause.objects.filter(testimony__in=public_ids)
    columns["law"] = _pairs_column(
        [FacetValue(slug, name) for slug, name in Law.objects.values_list("slug", "short_name")],
        links.values_list("testimony_id", "clause__law__slug"),
        ids,
    )
    columns["clause"] = _pairs_column(
        [
            FacetValue(clause_code(law_slug, slug), f"{number}: {heading}", group=law_name)
            for law_slug, slug, number, heading, law_name in Clause.objects.order_by(
                "law__order", "order", "id"
            ).values_list("law__slug", "slug", "number", "heading", "law__short_name")
        ],
        (
            (testimony_id, clause_code(law_slug, slug))
            for testimony_id, law_slug, slug in links.values_list(
                "testimony_id", "clause__law__slug", "clause__slug"
            )
        ),
        ids,
    )
    columns["authority"] = _pairs_column(
        [FacetValue(slug, name) for slug, name in Authority.objects.values_list("slug", "name")],
        RaidIncident.objects.public()
        .filter(testimonies__in=public_ids, authorities__isnull=False)
        .values_list("testimonies__id", "authorities__slug"),
        ids,
    )
    return FacetData(
        generation=generation,
        ids=ids,
        years=np.array([row[after_single] for row in rows], dtype=np.int64),
        published_order=np.array(
            [_timestamp(row[after_single + 1]) for row in rows], dtype=np.int64
        ),
        recorded_order=np.array([_ordinal(row[after_single + 2]) for row in rows], dtype=np.int64),
        columns=columns,
    )


_lock = threading.Lock()
_cached: FacetData | None = None


def facet_data() -> FacetData:
    """This process's facet data, rebuilt if anything public changed since it was read."""
    global _cached
    generation = indexing.current_generation()
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
