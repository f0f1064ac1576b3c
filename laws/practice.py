"""The law in practice: how often a law or clause was used against the narrators,
found violated, or a protection in it not applied, by year of the events.

The source report makes this reading by hand ("laws used against the workers,
protections not applied"); here it is counted from the clause links of
published testimonies only (``Testimony.objects.public()``), and it follows
the search a page sits under: the same query string, validated by the
search's own form (through ``practice_counts_from_query``), so a link from a
filtered search carries its filters, and a query the search refuses is
refused here with the same 400.

A testimony counts once per law (or clause), relation and year: an account
linking three clauses of one act as invoked against its narrator is one
account in which the act was invoked. The counts are array operations over
the search's facet columns, which keep every link's clause and relation: no
SQL at request time (docs/benchmarks.md, "The law in practice").
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from archive.charts import BarChart, ChartItem, Timeline, bar_chart, timeline
from laws.models import Clause, Law
from testimonies.models import ClauseRelation
from testimonies.search import clause_code, practice_counts_from_query

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


def _counts(
    query: QueryDict, *, by: Literal["law", "clause"], only: str | None = None
) -> list[tuple[str, str, int, int]]:
    """(law or clause code, relation, year, testimonies) for the relations counted.

    ``by`` is also the facet the page pins (``law`` on a law's page): the
    counts are of that law already, so a value of it in the query string is
    left out, as the page's own search block overrides it.
    """
    if only is not None:
        query = query.copy()
        query.pop(by, None)
    counted = {relation.value for relation in RELATIONS}
    return [row for row in practice_counts_from_query(query, by=by, only=only) if row[1] in counted]


def _by_year(rows: list[tuple[str, str, int, int]]) -> Timeline:
    """Testimonies per relation and year of events, as a timeline."""
    counts: dict[str, list[tuple[int, int]]] = {relation.value: [] for relation in RELATIONS}
    for _code, relation, year, testimonies in rows:
        counts[relation].append((year, testimonies))
    # One scale for the three bands: they count the same thing, testimonies.
    return timeline(list(counts.items()), labels=RELATION_LABELS, shared_scale=True)


def law_by_year(query: QueryDict, *, law: Law) -> Timeline:
    """How often ``law`` was invoked, violated or not applied, per year of events."""
    return _by_year(_counts(query, by="law", only=law.slug))


def clause_by_year(query: QueryDict, *, clause: Clause) -> Timeline:
    """How often ``clause`` was invoked, violated or not applied, per year of events."""
    code = clause_code(clause.law.slug, clause.slug)
    return _by_year(_counts(query, by="clause", only=code))


def law_rankings(query: QueryDict, *, laws: Sequence[Law]) -> list[Ranking]:
    """The ``laws`` ranked by each relation, counted over the search's facet columns.

    Only the laws given are ranked (the law index passes the public ones), so
    a law that is not public is never named, whatever its links.
    """
    counts: dict[tuple[str, str], int] = defaultdict(int)
    # A testimony has one year of events: the sum over years counts each once.
    for slug, relation, _year, testimonies in _counts(query, by="law"):
        counts[(relation, slug)] += testimonies
    rankings = []
    for relation in RELATIONS:
        items = [
            ChartItem(
                law.slug,
                # Text now, in the reader's language: bars of equal count sort by it.
                law.localized("short_name").text,
                counts.get((relation.value, law.slug), 0),
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
