"""The archive's own pages. Views parse, call, render."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from archive import licences
from laws.models import Clause
from pages import selectors
from testimonies import selectors as testimony_selectors


def _licences() -> dict:
    return {"texts_licence": licences.TEXTS, "data_licence": licences.DATA}


def _open_data() -> dict:
    # Real ids for the example links, read through the public doors, so every
    # example answers with a record rather than a 404, and the clause feed has
    # at least that testimony in it.
    testimony = testimony_selectors.latest_testimonies(limit=1).first()
    link = testimony and testimony.clause_links.select_related("clause__law").order_by("id").first()
    clause = link.clause if link else Clause.objects.public().select_related("law").first()
    return {**_licences(), "example_testimony": testimony, "example_clause": clause}


# What a page shows beyond its own text, computed from the one place that holds it.
EXTRA_CONTEXT: dict[str, Callable[[], dict]] = {
    "contact": lambda: {"contact_email": settings.ARCHIVE_CONTACT_EMAIL},
    "cite": _licences,
    "open-data": _open_data,
}


def page(request: HttpRequest, *, slug: str) -> HttpResponse:
    text = selectors.page_text(slug=slug, language=get_language() or "en")
    if text is None:
        raise Http404("This page has not been written yet.")
    context = {"page": text, **EXTRA_CONTEXT.get(slug, dict)()}
    return render(request, [f"pages/{slug}.html", "pages/page.html"], context)
