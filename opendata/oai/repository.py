"""What the OAI-PMH endpoint reads: records, their datestamps, sets and Dublin Core.

Every read starts from ``selectors.harvestable_testimonies()``: published
testimonies, and withdrawn ones as bare tombstones (identifier and
datestamp). Drafts and records in review are never visible here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Case, DateTimeField, Min, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from laws import versions as law_versions
from laws.models import Law
from opendata.oai.protocol import DateRange
from testimonies import law_in_time
from testimonies.models import RightsViolation, Status, Testimony, TestimonyClause
from testimonies.selectors import harvestable_testimonies
from testimonies.vocabulary import Province

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Datestamp(TypedDict):
    datestamp: datetime


# A testimony read with its datestamp (see _with_datestamps).
type Dated = WithAnnotations[Testimony, _Datestamp]


@dataclass(frozen=True)
class Record:
    """One harvestable testimony; ``deleted`` records carry nothing but their header."""

    pk: int
    public_id: str
    datestamp: datetime
    deleted: bool
    sets: list[str] = field(default_factory=list)
    testimony: Testimony | None = None  # None for deleted records and for headers only
    subjects: list[str] = field(default_factory=list)
    # The same subjects in Thai, where the law, clause or label has a Thai name.
    subjects_th: list[str] = field(default_factory=list)
    # (description, path) of the version of each clause the account is read against.
    relations: list[tuple[str, str]] = field(default_factory=list)


def _with_datestamps(queryset: QuerySet[Testimony]) -> QuerySet[Dated]:
    """The time a harvester must see a record change: its latest publication, or its withdrawal.

    Every public change of a testimony is a publication (corrections become
    new versions), so ``published_at`` moves exactly when the public record does.
    """
    return queryset.annotate(
        datestamp=Case(
            When(
                status=Status.WITHDRAWN,
                then=Coalesce("withdrawn_at", "updated_at"),
            ),
            default=Coalesce("published_at", "first_published_at", "created_at"),
            output_field=DateTimeField(),
        )
    )


def selection(*, dates: DateRange, set_spec: str | None) -> QuerySet[Dated]:
    """Harvestable testimonies in a date range and set, in datestamp order."""
    records = _with_datestamps(harvestable_testimonies())
    if dates.start is not None:
        records = records.filter(datestamp__gte=dates.start)
    if dates.end is not None:
        records = records.filter(datestamp__lt=dates.end)
    if set_spec is not None:
        records = records.filter(
            pk__in=TestimonyClause.objects.filter(clause__law__slug=set_spec).values("testimony_id")
        )
    return records.order_by("datestamp", "id")


def after(records: QuerySet[Dated], *, datestamp: datetime, pk: int) -> QuerySet[Dated]:
    """The records after a position: keyset paging, stable while records change."""
    return records.filter(Q(datestamp__gt=datestamp) | Q(datestamp=datestamp, id__gt=pk))


def set_exists(set_spec: str) -> bool:
    return Law.objects.public().filter(slug=set_spec).exists()


def sets() -> list[Law]:
    return list(Law.objects.public())


def earliest_datestamp() -> datetime | None:
    return _with_datestamps(harvestable_testimonies()).aggregate(first=Min("datestamp"))["first"]


def find(public_id: str) -> QuerySet[Dated]:
    return _with_datestamps(harvestable_testimonies()).filter(public_id=public_id)


_PROVINCES = dict(Province.choices)


def load(page: list[Dated], *, metadata: bool) -> list[Record]:
    """Records for one page of rows, with their sets and (if asked) their subjects."""
    ids = [row.pk for row in page if row.status == Status.PUBLISHED]
    sets: dict[int, dict[str, None]] = defaultdict(dict)
    subjects: dict[int, dict[str, None]] = defaultdict(dict)
    subjects_th: dict[int, dict[str, None]] = defaultdict(dict)
    for testimony_id, law_slug, short_name, short_name_th, number, heading, heading_th in (
        TestimonyClause.objects.filter(testimony_id__in=ids)
        .order_by("clause__law__order", "clause__order", "clause__id")
        .values_list(
            "testimony_id",
            "clause__law__slug",
            "clause__law__short_name",
            "clause__law__short_name_th",
            "clause__number",
            "clause__heading",
            "clause__heading_th",
        )
    ):
        sets[testimony_id][law_slug] = None
        subjects[testimony_id][f"{short_name}, {number}: {heading}"] = None
        if heading_th:
            thai = f"{short_name_th or short_name}, {number}: {heading_th}"
            subjects_th[testimony_id][thai] = None
    if metadata:
        for testimony_id, label, label_th in (
            RightsViolation.objects.filter(testimony_id__in=ids)
            .with_public_incident_or_none()
            .order_by("violation_type__order", "violation_type__label")
            .values_list("testimony_id", "violation_type__label", "violation_type__label_th")
        ):
            subjects[testimony_id][label] = None
            if label_th:
                subjects_th[testimony_id][label_th] = None
    relations = _clause_versions(page, ids) if metadata else {}
    records = []
    for row in page:
        # Harvestable records have all been published, and a withdrawn one keeps its id.
        public_id = cast(str, row.public_id)
        if row.status != Status.PUBLISHED:
            records.append(
                Record(pk=row.pk, public_id=public_id, datestamp=row.datestamp, deleted=True)
            )
            continue
        records.append(
            Record(
                pk=row.pk,
                public_id=public_id,
                datestamp=row.datestamp,
                deleted=False,
                sets=list(sets[row.pk]),
                testimony=row if metadata else None,
                subjects=list(subjects[row.pk]),
                subjects_th=list(subjects_th[row.pk]),
                relations=relations.get(row.pk, []),
            )
        )
    return records


def _clause_versions(page: list[Dated], ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """For each testimony, each linked clause's version in force when its events happened."""
    links = list(
        TestimonyClause.objects.filter(testimony_id__in=ids)
        .select_related("clause__law")
        .order_by("clause__law__order", "clause__order", "clause__id")
    )
    by_clause = law_versions.versions_by_clause({link.clause for link in links})
    raids = law_in_time.public_raids_by_testimony(ids)
    years = {row.pk: row.year_of_events for row in page}
    relations: dict[int, dict[tuple[str, str], None]] = defaultdict(dict)
    for link in links:
        period = law_in_time.events_period(
            year=years[link.testimony_id], raids=raids.get(link.testimony_id, ())
        )
        applies = law_versions.read_in_time(by_clause[link.clause_id], period).applies
        if applies is None:
            continue
        path = reverse(
            "laws:clause_as_at",
            kwargs={
                "law_slug": link.clause.law.slug,
                "clause_slug": link.clause.slug,
                "as_at": applies.valid_from.isoformat(),
            },
        )
        text = f"{link.clause.citation}, {law_versions.version_note(applies)}"
        relations[link.testimony_id][(text, path)] = None
    return {pk: list(pairs) for pk, pairs in relations.items()}


def province_label(code: str) -> str:
    return str(_PROVINCES.get(code, code))
