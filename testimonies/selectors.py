"""Public reads: the one door to published data.

Public views, feeds and exports read through these functions, which all
start from ``public()``. Nothing here returns a draft, a record in review or
a withdrawn record, except ``testimony_tombstone`` which returns only what a
410 page may show.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from laws.models import Clause, Law
from testimonies.models import (
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
)


def public_testimonies() -> QuerySet[Testimony]:
    return Testimony.objects.public()


def public_incidents() -> QuerySet[RaidIncident]:
    return RaidIncident.objects.public()


def latest_testimonies(*, limit: int = 5) -> QuerySet[Testimony]:
    return public_testimonies().order_by("-first_published_at", "-id")[:limit]


@dataclass(frozen=True)
class Tombstone:
    public_id: str
    withdrawn_at: datetime | None


def testimony_detail(*, public_id: str) -> Testimony | Tombstone:
    """The published testimony with its links, or a tombstone if withdrawn.

    Drafts and records in review raise the same 404 as an id that never
    existed, so a URL reveals nothing about unpublished work.
    """
    row = (
        Testimony.objects.filter(public_id=public_id)
        .filter(Q(status=Status.PUBLISHED) | Q(status=Status.WITHDRAWN))
        .only("id", "public_id", "status", "withdrawn_at")
        .first()
    )
    if row is None:
        raise Http404("No testimony with that id.")
    if row.status == Status.WITHDRAWN:
        return Tombstone(public_id=row.public_id, withdrawn_at=row.withdrawn_at)
    return (
        public_testimonies()
        .prefetch_related(
            Prefetch(
                "clause_links",
                queryset=TestimonyClause.objects.select_related("clause__law"),
            ),
            Prefetch("incidents", queryset=public_incidents()),
            Prefetch(
                "violations",
                queryset=RightsViolation.objects.select_related("violation_type"),
            ),
            "versions",
        )
        .get(pk=row.pk)
    )


def incident_detail(*, public_id: str) -> RaidIncident:
    try:
        return (
            public_incidents()
            .prefetch_related(
                "authorities",
                "outcomes",
                "clauses_invoked__law",
                Prefetch("testimonies", queryset=public_testimonies()),
                Prefetch(
                    "violations",
                    # A violation shared with an unpublished testimony stays hidden.
                    queryset=RightsViolation.objects.filter(
                        Q(testimony__isnull=True) | Q(testimony__in=public_testimonies())
                    ).select_related("violation_type"),
                ),
            )
            .get(public_id=public_id)
        )
    except RaidIncident.DoesNotExist as exc:
        raise Http404("No incident with that id.") from exc


def laws_with_counts() -> QuerySet[Law]:
    return Law.objects.public().annotate(
        clause_count=Count("clauses", distinct=True),
        testimony_count=Count(
            "clauses__testimony_links__testimony",
            filter=Q(clauses__testimony_links__testimony__in=public_testimonies()),
            distinct=True,
        ),
    )


def clauses_with_counts(*, law: Law) -> QuerySet[Clause]:
    return law.clauses.annotate(
        testimony_count=Count(
            "testimony_links__testimony",
            filter=Q(testimony_links__testimony__in=public_testimonies()),
            distinct=True,
        )
    ).order_by("order", "id")


def clause_testimony_links(*, clause: Clause) -> QuerySet[TestimonyClause]:
    """Links from published testimonies to this clause, with the relation and note."""
    return (
        TestimonyClause.objects.filter(clause=clause, testimony__in=public_testimonies())
        .select_related("testimony")
        .order_by("testimony__public_id", "relation")
    )


def clause_incidents(*, clause: Clause) -> QuerySet[RaidIncident]:
    return public_incidents().filter(clauses_invoked=clause).distinct()
