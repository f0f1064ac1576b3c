"""The law in practice: how often a law or clause was used against the narrators,
found violated, or a protection in it not applied, by year of the events.

The source report makes this reading by hand ("laws used against the workers,
protections not applied"); here it is counted from the clause links of
published testimonies only (``Testimony.objects.public()``), and it follows
the search a page sits under: the same query string, validated by the
search's own form (through ``narrowed_ids_from_query``), so a link from a
filtered search carries its filters, and a query the search refuses is
refused here with the same 400.

A testimony counts once per law (or clause), relation and year: an account
linking three clauses of one act as invoked against its narrator is one
account in which the act was invoked. Each picture is one grouped query.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from archive.charts import BarChart, ChartItem, Timeline, bar_chart, timeline
from laws.models import Clause, Law
from testimonies.models import ClauseRelation, Testimony, TestimonyClause
from testimonies.search import narrowed_ids_from_query

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The three readings the issue asks for; "other" links say nothing about practice.
RELATIONS: tuple[ClauseRelation, ...] = (
    ClauseRelation.INVOKED,
    ClauseRelation.VIOLATED,
    ClauseRelation.NOT_APPLIED,
)
RELATION_LABELS: dict[str, "StrOrPromise"] = {
    relation.value: relation.label for relation in RELATIONS
}
# What each ranking on the law index is called, by relation.
RANKING_CAPTIONS: dict[str, "StrOrPromise"] = {
    ClauseRelation.INVOKED: _("Laws most often invoked by the authorities against the workers"),
    ClauseRelation.VIOLATED: _("Laws most often found violated"),
    ClauseRelation.NOT_APPLIED: _("Laws whose protections were most often not applied"),
}
# Parameters of a page that are not the search's filters: left out of the
# CSV link, so that the download names only what narrows the counts.
NOT_FILTERS = ("page", "expand", "sort", "find", "bom")


@dataclass(frozen=True)
class Ranking:
    relation: str
    caption: "StrOrPromise"
    chart: BarChart


def public_laws() -> QuerySet[Law]:
    """The laws a ranking names, in the law index's order."""
    return Law.objects.public().order_by("order", "short_name", "id")


def filter_query(query: QueryDict) -> str:
    """The query string's filters, for the CSV twin and the links between pages."""
    kept = query.copy()
    for name in NOT_FILTERS:
        kept.pop(name, None)
    return kept.urlencode()


def _among(ids: list[int]) -> RawSQL:
    """The ids as one parameter, not one per id: a filtered search can leave 100,000."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def _links(query: QueryDict, *, pinned: str | None = None) -> QuerySet[TestimonyClause] | None:
    """Links of the relations counted, from published testimonies the search leaves.

    ``pinned`` names the facet the page pins (``law`` on a law's page): the
    counts are of that law already, so a value of it in the query string is
    left out, as the page's own search block overrides it. ``None`` when the
    search leaves no testimony at all.
    """
    if pinned:
        query = query.copy()
        query.pop(pinned, None)
    ids = narrowed_ids_from_query(query)
    links = TestimonyClause.objects.filter(
        testimony__in=Testimony.objects.public(), relation__in=RELATIONS
    )
    if ids is None:
        return links
    if not ids:
        return None
    return links.filter(testimony_id__in=_among(ids))


def _by_year(links: QuerySet[TestimonyClause] | None) -> Timeline:
    """Testimonies per relation and year of events, in one grouped query, as a timeline."""
    counts: dict[str, list[tuple[int, int]]] = {relation.value: [] for relation in RELATIONS}
    if links is not None:
        grouped = (
            links.values("relation", "testimony__year_of_events")
            .annotate(testimonies=Count("testimony_id", distinct=True))
            .order_by()
        )
        for row in grouped:
            counts[row["relation"]].append((row["testimony__year_of_events"], row["testimonies"]))
    # One scale for the three bands: they count the same thing, testimonies.
    return timeline(list(counts.items()), labels=RELATION_LABELS, shared_scale=True)


def law_by_year(query: QueryDict, *, law: Law) -> Timeline:
    """How often ``law`` was invoked, violated or not applied, per year of events."""
    links = _links(query, pinned="law")
    return _by_year(links.filter(clause__law=law) if links is not None else None)


def clause_by_year(query: QueryDict, *, clause: Clause) -> Timeline:
    """How often ``clause`` was invoked, violated or not applied, per year of events."""
    links = _links(query, pinned="clause")
    return _by_year(links.filter(clause=clause) if links is not None else None)


def law_rankings(query: QueryDict, *, laws: Sequence[Law]) -> list[Ranking]:
    """The ``laws`` ranked by each relation, from one grouped query.

    Only the laws given are ranked (the law index passes the public ones), so
    a law that is not public is never named, whatever its links.
    """
    counts: dict[tuple[str, int], int] = {}
    links = _links(query)
    if links is not None:
        grouped = (
            links.values("relation", "clause__law_id")
            .annotate(testimonies=Count("testimony_id", distinct=True))
            .order_by()
        )
        counts = {(row["relation"], row["clause__law_id"]): row["testimonies"] for row in grouped}
    rankings = []
    for relation in RELATIONS:
        items = [
            ChartItem(
                law.slug,
                # Text now, in the reader's language: bars of equal count sort by it.
                law.localized("short_name").text,
                counts.get((relation.value, law.pk), 0),
            )
            for law in laws
        ]
        rankings.append(
            Ranking(
                relation=relation.value,
                caption=RANKING_CAPTIONS[relation],
                chart=bar_chart(items, limit=len(items)),
            )
        )
    return rankings


def timeline_csv_rows(chart: Timeline, *, key: Iterable[str]) -> Iterator[list[object]]:
    """The table beside a timeline, a row per year, each led by ``key`` (the law, the clause)."""
    fixed = list(key)
    for year, counts in chart.table:
        yield [*fixed, year, *counts]


def rankings_csv_rows(rankings: list[Ranking], *, laws: Sequence[Law]) -> Iterator[list[object]]:
    """One row per law with any count, in the law index's order: its count for each relation."""
    by_relation = {
        ranking.relation: {item.key: item.count for item in ranking.chart.items}
        for ranking in rankings
    }
    for law in laws:
        counts = [by_relation[relation.value].get(law.slug, 0) for relation in RELATIONS]
        if any(counts):
            yield [law.slug, law.short_name, *counts]


CSV_RELATION_COLUMNS = [relation.value for relation in RELATIONS]
