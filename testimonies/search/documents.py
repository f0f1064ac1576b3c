"""Reading facet values from the database, for every published testimony or a few.

``columns.py`` turns what is read here into the arrays the search counts
with. A full build reads every testimony; after a publication, a correction
or a withdrawal a worker reads only the testimonies the change log names,
against the vocabulary (laws, clauses, violation types, authorities, raids)
it read at its last full build. A change to the vocabulary itself is logged
as "read everything", so that vocabulary is never out of date.

Every many-valued facet is read as pairs (testimony id, value index), sorted
and without repeats, so a few testimonies' pairs can be merged into the
columns of all the others and give the arrays a full build would.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Case, F, IntegerField, QuerySet, Value, When

from archive.bilingual import BilingualLabel
from archive.search.engine import ids_from_csv
from laws.identifiers import clause_code
from laws.models import Clause, Law
from testimonies.models import (
    Authority,
    ClauseRelation,
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from testimonies.search.facets import SINGLE_VALUED_FIELDS, FacetValue

MANY_VALUED = ("violation", "law", "clause", "authority")
# A clause link's relation, as its index here: the law-in-practice counts
# keep (testimony, clause index * len(LINK_RELATIONS) + relation) pairs.
LINK_RELATIONS: tuple[str, ...] = tuple(ClauseRelation.values)

# Sort keys computed by the database, so that no date is converted in Python:
# first publication in microseconds, date recorded in days (unknown first).
_ORDER_KEYS = {
    "postgresql": (
        "COALESCE((EXTRACT(EPOCH FROM first_published_at) * 1000000)::bigint, 0)",
        "COALESCE(date_recorded - DATE '1970-01-01', -1000000)",
    ),
    "sqlite": (
        "COALESCE(CAST(strftime('%%s', first_published_at) AS INTEGER) * 1000000"
        " + CAST(substr(first_published_at || '.000000', 21, 6) AS INTEGER), 0)",
        "COALESCE(CAST(julianday(date_recorded) - 2440587.5 AS INTEGER), -1000000)",
    ),
}


@dataclass(frozen=True)
class Vocabulary:
    """Every value a facet can take, and lookups from primary keys to value indexes."""

    values: dict[str, list[FacetValue]]  # facet name -> its values, in display order
    violation_of_type: np.ndarray  # ViolationType pk -> value index (-1: none)
    law_of_clause: np.ndarray  # Clause pk -> index of its law
    clause_of_pk: np.ndarray  # Clause pk -> value index
    law_of_clause_index: np.ndarray  # clause value index -> law value index
    raid_of_pk: np.ndarray  # published RaidIncident pk -> raid index
    raid_years: np.ndarray  # raid index -> year
    # Published raids' authorities as (raid pk, authority index), sorted by raid.
    raid_authorities: np.ndarray


@dataclass
class Documents:
    """Facet values of some published testimonies, as read from the database."""

    ids: np.ndarray  # ascending
    codes: dict[str, np.ndarray]  # single-valued facet -> value index per testimony
    years: np.ndarray
    published_key: np.ndarray  # microseconds since 1970 of the first publication
    recorded_key: np.ndarray  # days since 1970 of the recording (-1,000,000 if unknown)
    # many-valued facet, "raid" or "practice" -> sorted (id, index) keys
    pairs: dict[str, np.ndarray]


def _int_pairs(queryset: QuerySet) -> np.ndarray:
    """The rows of a two-column values_list of integers, as an (n, 2) array.

    A rebuild reads several hundred thousand such pairs; fetched as Python
    tuples they cost most of its time. The database joins them into one
    string that numpy parses, as the engines hand over matching ids.
    """
    # A computed column (an annotation) is selected after the fields.
    selected: list[str] = list(queryset.query.values_select)
    first, second = selected + list(queryset.query.annotation_select)
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


def _vocabulary(rows: Iterable[tuple]) -> tuple[list[FacetValue], dict[int, int]]:
    """Facet values from (pk, code, label[, group]) rows, and pk -> value index."""
    values, index_of_pk = [], {}
    for position, (pk, *value) in enumerate(rows):
        values.append(FacetValue(*value))
        index_of_pk[pk] = position
    return values, index_of_pk


def _clauses() -> tuple[list[FacetValue], list[FacetValue], np.ndarray, np.ndarray, np.ndarray]:
    """Laws and clauses as facet values, and lookups from a clause's pk to each."""
    laws, law_index = _vocabulary(
        (pk, slug, BilingualLabel(name, name_th))
        for pk, slug, name, name_th in Law.objects.values_list(
            "pk", "slug", "short_name", "short_name_th"
        )
    )
    rows = list(
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
        for pk, _law, law_slug, slug, number, heading, heading_th, law_name, law_name_th in rows
    )
    law_of_clause = {pk: law_index[law_id] for pk, law_id, *_rest in rows}
    by_position = np.array([law_index[law_id] for _pk, law_id, *_rest in rows], dtype=np.int64)
    return laws, clauses, _lookup(law_of_clause), _lookup(clause_index), by_position


def read_vocabulary() -> Vocabulary:
    """Every facet's values, with the lookups that turn rows into value indexes."""
    values: dict[str, list[FacetValue]] = {
        # Labels stay lazy: the arrays are shared by readers of both languages.
        name: [FacetValue(code, label) for code, label in choices.choices]
        for name, choices in SINGLE_VALUED_FIELDS.items()
    }
    # Labels from the tables are BilingualLabels: like the lazy choices above,
    # each reader sees them in their own language from the one shared array.
    values["violation"], type_index = _vocabulary(
        (pk, slug, BilingualLabel(label, label_th))
        for pk, slug, label, label_th in ViolationType.objects.values_list(
            "pk", "slug", "label", "label_th"
        )
    )
    values["law"], values["clause"], law_of_clause, clause_of_pk, law_of_clause_index = _clauses()
    values["authority"], authority_index = _vocabulary(
        (pk, slug, BilingualLabel(name, name_th))
        for pk, slug, name, name_th in Authority.objects.values_list(
            "pk", "slug", "name", "name_th"
        )
    )
    raids = list(RaidIncident.objects.public().order_by("id").values_list("id", "date"))
    present = _int_pairs(
        RaidIncident.authorities.through.objects.filter(
            raidincident__status=Status.PUBLISHED
        ).values_list("raidincident_id", "authority_id")
    )
    present[:, 1] = _map(present[:, 1], _lookup(authority_index))
    return Vocabulary(
        values=values,
        violation_of_type=_lookup(type_index),
        law_of_clause=law_of_clause,
        clause_of_pk=clause_of_pk,
        law_of_clause_index=law_of_clause_index,
        raid_of_pk=_lookup({raid_id: i for i, (raid_id, _date) in enumerate(raids)}),
        # A few hundred rows: the ORM's dates are fine.
        raid_years=np.array([date.year for _raid, date in raids], dtype=np.int64),
        raid_authorities=present[np.argsort(present[:, 0], kind="stable")],
    )


def _document_rows(public: QuerySet[Testimony]) -> list[tuple]:
    """(id, single-valued codes..., year, publication key, recording key), by id.

    Raw rows rather than the ORM's: building the columns reads several
    hundred thousand values, and Django's per-value converters (datetimes
    above all) would cost seconds at 100,000 testimonies.
    """
    fields = ["id", *SINGLE_VALUED_FIELDS, "year_of_events"]
    sql, params = public.values_list(
        *fields, "first_published_at", "date_recorded"
    ).query.sql_with_params()
    published, recorded = _ORDER_KEYS[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(fields)}, {published}, {recorded} "
            f"FROM ({sql}) AS documents ORDER BY id",
            params,
        )
        return cursor.fetchall()


def _keys(doc_ids: np.ndarray, indexes: np.ndarray, width: int) -> np.ndarray:
    """(testimony id, value index) pairs as sorted unique integers; unknown values dropped.

    One testimony can name the same value twice (two violations of one kind):
    it counts once.
    """
    known = indexes >= 0
    return np.unique(doc_ids[known] * max(width, 1) + indexes[known])


def _published(keys: np.ndarray, width: int, ids: np.ndarray) -> np.ndarray:
    """The pairs whose testimony is published (in ``ids``).

    Done here rather than in SQL: a join on the set of published ids made
    SQLite probe that set once per row, and the arrays do it in one step.
    """
    return keys[np.isin(keys // max(width, 1), ids)]


def _authority_pairs(vocabulary: Vocabulary, raid_links: np.ndarray) -> np.ndarray:
    """(testimony id, authority index) for every published raid a testimony recounts."""
    present = vocabulary.raid_authorities
    raids, authority = present[:, 0], present[:, 1]
    links = raid_links[np.isin(raid_links[:, 1], raids)]
    # Join the links (testimony, raid) to (raid, authority): give every link
    # as many rows as its raid has authorities.
    first = np.searchsorted(raids, links[:, 1], side="left")
    count = np.searchsorted(raids, links[:, 1], side="right") - first
    testimony_ids = np.repeat(links[:, 0], count)
    # For each output row, its offset within its raid's run of authorities.
    starts = np.repeat(first, count)
    offsets = np.arange(len(testimony_ids)) - np.repeat(np.cumsum(count) - count, count)
    return np.stack([testimony_ids, authority[starts + offsets]], axis=1)


def practice_link_width(vocabulary: Vocabulary) -> int:
    """How many (clause, relation) values a testimony's practice pairs can take."""
    return len(vocabulary.values["clause"]) * len(LINK_RELATIONS)


def read_documents(vocabulary: Vocabulary, only: Iterable[int] | None = None) -> Documents:
    """Facet values of every published testimony, or of those among ``only``."""
    public: QuerySet[Testimony] = Testimony.objects.public()
    links = TestimonyClause.objects.all()
    violations = RightsViolation.objects.filter(testimony__isnull=False)
    recounts = RaidIncident.testimonies.through.objects.all()
    if only is not None:
        wanted = sorted(set(only))
        public = public.filter(id__in=wanted)
        links = links.filter(testimony_id__in=wanted)
        violations = violations.filter(testimony_id__in=wanted)
        recounts = recounts.filter(testimony_id__in=wanted)
    rows = _document_rows(public.order_by())
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    codes = {}
    for position, (name, choices) in enumerate(SINGLE_VALUED_FIELDS.items(), start=1):
        index_of = {code: i for i, (code, _label) in enumerate(choices.choices)}
        codes[name] = np.array([index_of[row[position]] for row in rows], dtype=np.int64)
    width = {name: len(values) for name, values in vocabulary.values.items()}

    violation_rows = _int_pairs(
        violations.with_public_incident_or_none().values_list("testimony_id", "violation_type_id")
    )
    # The clause and the relation in one integer, so the links stay pairs of one query.
    relation_index = Case(
        *(When(relation=code, then=Value(i)) for i, code in enumerate(LINK_RELATIONS)),
        output_field=IntegerField(),
    )
    link_rows = _int_pairs(
        links.annotate(link=F("clause_id") * len(LINK_RELATIONS) + relation_index).values_list(
            "testimony_id", "link"
        )
    )
    clause_rows = np.stack(
        [link_rows[:, 0], link_rows[:, 1] // len(LINK_RELATIONS)], axis=1
    ).reshape(-1, 2)
    raid_links = _int_pairs(recounts.values_list("testimony_id", "raidincident_id"))
    authorities = _authority_pairs(vocabulary, raid_links)
    found = {
        "violation": (
            violation_rows[:, 0],
            _map(violation_rows[:, 1], vocabulary.violation_of_type),
        ),
        "law": (clause_rows[:, 0], _map(clause_rows[:, 1], vocabulary.law_of_clause)),
        "clause": (clause_rows[:, 0], _map(clause_rows[:, 1], vocabulary.clause_of_pk)),
        "authority": (authorities[:, 0], authorities[:, 1]),
    }
    pairs = {
        name: _published(_keys(doc_ids, indexes, width[name]), width[name], ids)
        for name, (doc_ids, indexes) in found.items()
    }
    clause_of_link = _map(clause_rows[:, 1], vocabulary.clause_of_pk)
    practice_width = practice_link_width(vocabulary)
    practice_index = np.where(
        clause_of_link >= 0,
        clause_of_link * len(LINK_RELATIONS) + link_rows[:, 1] % len(LINK_RELATIONS),
        -1,
    )
    pairs["practice"] = _published(
        _keys(clause_rows[:, 0], practice_index, practice_width), practice_width, ids
    )
    raids = len(vocabulary.raid_years)
    pairs["raid"] = _published(
        _keys(raid_links[:, 0], _map(raid_links[:, 1], vocabulary.raid_of_pk), raids), raids, ids
    )
    return Documents(
        ids=ids,
        codes=codes,
        years=np.array([row[-3] for row in rows], dtype=np.int64),
        published_key=np.array([row[-2] for row in rows], dtype=np.int64),
        recorded_key=np.array([row[-1] for row in rows], dtype=np.int64),
        pairs=pairs,
    )
