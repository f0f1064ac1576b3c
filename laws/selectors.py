"""Public reads of laws and clauses: the law pages, the API and the feeds read here.

Laws are public reference material, so nothing here hides a row; the
testimony counts come from the search's read model (``testimonies.search.totals``),
which counts published testimonies only. Old slugs are followed here and the
views redirect, so a printed citation keeps working.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext

from archive.errors import BadQuery
from laws.identifiers import clause_code
from laws.models import Clause, ClauseSlugHistory, Law, LawSlugHistory
from testimonies import search

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class TestimonyCount(TypedDict):
    testimony_count: int


def count_annotation(counts_by_pk: dict[int, int]) -> Case:
    """An annotation giving each row its count from ``counts_by_pk`` (0 if absent).

    How many published testimonies concern each law, clause or violation type
    comes from the facet columns every worker already holds, exact for the
    current index generation; counting it in SQL joins ~200,000 links per
    page at 100,000 testimonies (150 ms). Rows with the same count share one
    WHEN, so the expression stays small.
    """
    by_count: dict[int, list[int]] = {}
    for pk, count in counts_by_pk.items():
        if count:
            by_count.setdefault(count, []).append(pk)
    return Case(
        *(When(pk__in=pks, then=Value(count)) for count, pks in by_count.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


# Longer than any law's or clause's name in either language.
FIND_MAX_LENGTH = 100
# Clauses matching a name on the law list: enough to pick from, never the whole table.
FOUND_CLAUSES_LIMIT = 50


def find_text(raw: str | None) -> str:
    """What a reader typed into a law or clause list's name filter, checked."""
    text = " ".join((raw or "").split())
    if len(text) > FIND_MAX_LENGTH:
        raise BadQuery(
            gettext("A name to find can be at most %(max)d characters long.")
            % {"max": FIND_MAX_LENGTH}
        )
    return text


def law_name_matches(text: str) -> Q:
    """Laws whose name, short or full, in English or Thai, contains ``text``."""
    return (
        Q(short_name__icontains=text)
        | Q(short_name_th__icontains=text)
        | Q(title_en__icontains=text)
        | Q(title_th__icontains=text)
    )


def clause_name_matches(text: str) -> Q:
    """Clauses whose number or heading, in English or Thai, contains ``text``."""
    return Q(number__icontains=text) | Q(heading__icontains=text) | Q(heading_th__icontains=text)


def clauses_named(*, text: str) -> QuerySet[Clause]:
    """The first clauses of any law whose number or heading contains ``text``."""
    return (
        Clause.objects.public()
        .filter(clause_name_matches(text))
        .order_by("law__order", "order", "id")[:FOUND_CLAUSES_LIMIT]
    )


def laws_with_counts() -> QuerySet[Law]:
    totals = search.totals("law")
    counts = {pk: totals.get(slug, 0) for pk, slug in Law.objects.values_list("pk", "slug")}
    # order_by spelled out: Django leaves the model's default order out of
    # GROUP BY queries, so the list would come back in whatever order.
    return (
        Law.objects.public()
        .order_by("order", "short_name", "id")
        .annotate(
            clause_count=Count("clauses", distinct=True),
            testimony_count=count_annotation(counts),
        )
    )


def clauses_with_testimony_counts() -> "QuerySet[WithAnnotations[Clause, TestimonyCount]]":
    """Every clause, with how many published testimonies are linked to it."""
    totals = search.totals("clause")
    counts = {
        pk: totals.get(clause_code(law_slug, slug), 0)
        for pk, law_slug, slug in Clause.objects.values_list("pk", "law__slug", "slug")
    }
    return Clause.objects.public().annotate(testimony_count=count_annotation(counts))


def clauses_with_counts(*, law: Law) -> "QuerySet[WithAnnotations[Clause, TestimonyCount]]":
    return clauses_with_testimony_counts().filter(law=law).order_by("order", "id")


def law_by_slug(*, slug: str) -> Law:
    """The law at this slug, or the one that used to be there (the view redirects)."""
    law = Law.objects.public().filter(slug=slug).first()
    if law is not None:
        return law
    old = LawSlugHistory.objects.select_related("law").filter(slug=slug).first()
    if old is None:
        raise Http404("No law at that address.")
    return old.law


def clause_by_slugs(*, law_slug: str, clause_slug: str) -> Clause:
    """The clause at this address, following old law and clause slugs.

    The live slug always wins over a remembered one, so a slug an editor
    frees and re-uses points at the new clause.
    """
    law = law_by_slug(slug=law_slug)
    clause = Clause.objects.public().filter(law=law, slug=clause_slug).first()
    if clause is not None:
        return clause
    old = (
        ClauseSlugHistory.objects.select_related("clause__law")
        .filter(law=law, slug=clause_slug)
        .first()
    )
    if old is None:
        raise Http404("No clause at that address.")
    return old.clause


@dataclass(frozen=True)
class RelatedClauses:
    parent: Clause | None
    children: tuple[Clause, ...]
    siblings: tuple[Clause, ...]


def related_clauses(*, clause: Clause) -> RelatedClauses:
    """Parent, children and siblings (other sub-clauses of the same parent).

    Top-level clauses get no siblings: that would be the whole law, which its
    table of contents already lists.
    """
    children = tuple(clause.children.select_related("law").order_by("order", "id"))
    siblings: tuple[Clause, ...] = ()
    if clause.parent_id:
        siblings = tuple(
            Clause.objects.public()
            .filter(parent_id=clause.parent_id)
            .exclude(pk=clause.pk)
            .order_by("order", "id")
        )
    return RelatedClauses(parent=clause.parent, children=children, siblings=siblings)
