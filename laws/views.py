"""Public pages for laws and clauses."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from laws.models import Clause, Law
from testimonies import selectors
from testimonies.facets import clause_code
from testimonies.views import search_page_context


def law_list(request: HttpRequest) -> HttpResponse:
    laws = selectors.laws_with_counts()
    context = {
        "thai_laws": [law for law in laws if law.jurisdiction == Law.Jurisdiction.THAILAND],
        "international_laws": [
            law for law in laws if law.jurisdiction == Law.Jurisdiction.INTERNATIONAL
        ],
    }
    return render(request, "laws/law_list.html", context)


def law_detail(request: HttpRequest, law_slug: str) -> HttpResponse:
    law = get_object_or_404(Law.objects.public(), slug=law_slug)
    context = {
        "law": law,
        "clauses": selectors.clauses_with_counts(law=law),
        **search_page_context(request, fixed={"law": [law.slug]}),
        "search_label": f"Search the testimonies concerning {law.short_name}",
    }
    return render(request, "laws/law_detail.html", context)


def clause_detail(request: HttpRequest, law_slug: str, clause_slug: str) -> HttpResponse:
    clause = get_object_or_404(Clause.objects.public(), law__slug=law_slug, slug=clause_slug)
    context = {
        "clause": clause,
        "law": clause.law,
        "links": selectors.clause_testimony_links(clause=clause),
        "incidents": selectors.clause_incidents(clause=clause),
        "children": clause.children.all(),
        "violation_types": clause.violation_types.all(),
        **search_page_context(request, fixed={"clause": [clause_code(law_slug, clause_slug)]}),
        "search_label": f"Search the testimonies concerning {clause.citation}",
    }
    return render(request, "laws/clause_detail.html", context)
