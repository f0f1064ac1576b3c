"""Public pages for testimonies and raid incidents. Views parse, call, render."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.charts import year_histogram
from archive.errors import BadQuery
from archive.pagination import paginate
from laws.models import Law
from testimonies import selectors
from testimonies.facets import facet_data
from testimonies.filters import SearchForm, Sort
from testimonies.models import TestimonyClause
from testimonies.search import search


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "testimony_count": selectors.public_testimonies().count(),
        "incident_count": selectors.public_incidents().count(),
        "law_count": Law.objects.public().count(),
        "linked_clause_count": TestimonyClause.objects.filter(
            testimony__in=selectors.public_testimonies()
        )
        .values("clause")
        .distinct()
        .count(),
        "latest": selectors.latest_testimonies(limit=6),
    }
    return render(request, "testimonies/home.html", context)


def search_page_context(request: HttpRequest, *, fixed: dict[str, list[str]] | None = None) -> dict:
    """Run the faceted search for this request; ``fixed`` facets are pinned by the page.

    The law and clause pages show the same search with their law or clause
    pinned, so a reader searches within exactly the testimonies concerning it.
    """
    data = facet_data()
    query = request.GET.copy()
    for name, values in (fixed or {}).items():
        query.setlist(name, values)
    form = SearchForm(query, facet_data=data)
    if not form.is_valid():
        raise BadQuery(form.error_message())
    result = search(form.params(), per_page=settings.ARCHIVE_PAGE_SIZE, data=data)
    return {
        "result": result,
        "histogram": year_histogram(result.years),
        "sort_choices": Sort.CHOICES,
        "fixed_facets": list(fixed or {}),
        "search_action": request.path,
    }


def testimony_list(request: HttpRequest) -> HttpResponse:
    """The faceted full-text search; with no parameters, every testimony, newest first."""
    return render(request, "testimonies/search.html", search_page_context(request))


def testimony_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    record = selectors.testimony_detail(public_id=public_id)
    if isinstance(record, selectors.Tombstone):
        response = render(request, "testimonies/tombstone.html", {"tombstone": record}, status=410)
        response["X-Robots-Tag"] = "noindex, noarchive"
        return response
    return render(request, "testimonies/testimony_detail.html", {"testimony": record})


def incident_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request,
        selectors.public_incidents().prefetch_related("authorities", "outcomes"),
        per_page=settings.ARCHIVE_PAGE_SIZE,
    )
    return render(request, "testimonies/incident_list.html", {"page": page})


def incident_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = selectors.incident_detail(public_id=public_id)
    return render(request, "testimonies/incident_detail.html", {"incident": incident})
