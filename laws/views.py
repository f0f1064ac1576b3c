"""Public pages for laws and clauses."""

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.translation import gettext

from archive.charts import BarChart, ChartItem, bar_chart
from laws import selectors as law_selectors
from laws.identifiers import clause_code
from laws.models import Clause, Law
from testimonies import selectors
from testimonies.search import search_page_context, totals

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from laws.selectors import TestimonyCount


def law_list(request: HttpRequest) -> HttpResponse:
    find = law_selectors.find_text(request.GET.get("find"))
    laws = law_selectors.laws_with_counts()
    if find:
        laws = laws.filter(law_selectors.law_name_matches(find))
    context = {
        "find": find,
        "found_clauses": law_selectors.clauses_named(text=find) if find else [],
        "thai_laws": [law for law in laws if law.jurisdiction == Law.Jurisdiction.THAILAND],
        "international_laws": [
            law for law in laws if law.jurisdiction == Law.Jurisdiction.INTERNATIONAL
        ],
    }
    return render(request, "laws/law_list.html", context)


def clause_chart(clauses: "list[WithAnnotations[Clause, TestimonyCount]]") -> BarChart:
    """Testimonies per clause, in the law's own order; clauses no account concerns left out."""
    return bar_chart(
        [ChartItem(clause.slug, clause.number, clause.testimony_count) for clause in clauses],
        sort=False,
        limit=len(clauses),
        label_width=110,
    )


def _moved(request: HttpRequest, url: str) -> HttpResponsePermanentRedirect:
    """301 to a law or clause's address today, keeping the search in the query string."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def law_detail(request: HttpRequest, law_slug: str) -> HttpResponse:
    law = law_selectors.law_by_slug(slug=law_slug)
    if law.slug != law_slug:
        return _moved(request, law.get_absolute_url())
    find = law_selectors.find_text(request.GET.get("find"))
    clauses = list(law_selectors.clauses_with_counts(law=law))
    shown = law_selectors.clauses_with_counts(law=law).filter(
        law_selectors.clause_name_matches(find)
    )
    context = {
        "law": law,
        "find": find,
        # The chart counts every clause; the table lists those whose name matches.
        "clauses": list(shown) if find else clauses,
        "clause_chart": clause_chart(clauses),
        **search_page_context(request, fixed={"law": [law.slug]}),
        "search_label": gettext("Search the testimonies concerning %(law)s")
        % {"law": law.localized("short_name").text},
    }
    return render(request, "laws/law_detail.html", context)


def clause_detail(request: HttpRequest, law_slug: str, clause_slug: str) -> HttpResponse:
    clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
    if (clause.law.slug, clause.slug) != (law_slug, clause_slug):
        return _moved(request, clause.get_absolute_url())
    related = law_selectors.related_clauses(clause=clause)
    first = selectors.clause_first_links(clause=clause)
    incidents = selectors.clause_first_incidents(clause=clause)
    context = {
        "clause": clause,
        "law": clause.law,
        # The first links only; the search below finds every testimony.
        "links": first.rows,
        "more_links": first.more,
        "concerning": totals("clause").get(clause_code(law_slug, clause_slug), 0),
        "incidents": incidents.rows,
        "more_incidents": incidents.more,
        "incident_count": incidents.total,
        "parent": related.parent,
        "children": related.children,
        "siblings": related.siblings,
        "violation_types": clause.violation_types.all(),
        **search_page_context(request, fixed={"clause": [clause_code(law_slug, clause_slug)]}),
        "search_label": gettext("Search the testimonies concerning %(law)s")
        % {"law": clause.citation},
    }
    return render(request, "laws/clause_detail.html", context)
