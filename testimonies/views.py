"""Public pages for testimonies and raid incidents. Views parse, call, render."""

from itertools import zip_longest
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from archive import citations
from archive.errors import BadQuery
from archive.pagination import paginate
from laws.models import Law
from testimonies import selectors
from testimonies.search import overview, search_page_context
from testimonies.search.page import province_chart, year_timeline
from testimonies.search.pagecache import cached_by_generation


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "testimony_count": selectors.public_testimonies().count(),
        "incident_count": selectors.public_incidents().count(),
        "law_count": Law.objects.public().count(),
        "linked_clause_count": selectors.linked_clause_count(),
        "latest": selectors.latest_testimonies(limit=6),
    }
    tallies = overview()
    context["timeline"] = year_timeline(tallies.years, tallies.raid_years)
    context["province_chart"] = province_chart(
        [(value.code, str(value.label), count, False) for value, count in tallies.provinces]
    )
    return render(request, "testimonies/home.html", context)


@cached_by_generation
def testimony_list(request: HttpRequest) -> HttpResponse:
    """The faceted full-text search; with no parameters, every testimony, newest first."""
    return render(request, "testimonies/search.html", search_page_context(request, charts=True))


def _page_url(page: selectors.TestimonyPage, *, version: int | None) -> str:
    public_id = page.testimony.public_id
    if version is None:
        return reverse("testimonies:testimony_detail", kwargs={"public_id": public_id})
    return reverse(
        "testimonies:testimony_version", kwargs={"public_id": public_id, "number": version}
    )


def _citation(request: HttpRequest, page: selectors.TestimonyPage) -> citations.CitationRecord:
    """The citation of the text on this page, for ?paragraph=<n> if given.

    It names the version's own address, not the moving current one, so the
    citation keeps pointing at what was quoted.
    """
    try:
        paragraph = citations.parse_paragraph(
            request.GET.get("paragraph"), count=len(page.text.paragraphs)
        )
    except ValueError as exc:
        raise BadQuery(str(exc)) from exc
    url = request.build_absolute_uri(_page_url(page, version=page.text.number))
    if paragraph:
        url += f"#p{paragraph}"
    published = page.text.published_at or page.testimony.first_published_at or timezone.now()
    return citations.CitationRecord(
        # A page is only found for a public testimony, which always has its id.
        public_id=cast(str, page.testimony.public_id),
        title=page.text.title,
        author=page.text.narrator_pseudonym,
        published=timezone.localdate(published),
        url=url,
        accessed=timezone.localdate(),
        version=page.text.number,
        paragraph=paragraph,
        language=page.testimony.language,
    )


def _record_page(request: HttpRequest, public_id: str, version: int | None) -> HttpResponse:
    page = selectors.testimony_page(public_id=public_id, version=version)
    record = _citation(request, page)
    # The current text's canonical address is the permalink, even at /v<latest>/.
    canonical = request.build_absolute_uri(
        _page_url(page, version=None if page.text.is_current else page.text.number)
    )
    first = page.testimony.first_published_at
    first_published = timezone.localdate(first) if first else None
    description = page.text.summary or (page.text.paragraphs[:1] or ("",))[0][:300]
    query = f"?paragraph={record.paragraph}" if record.paragraph else ""
    cite_base = _page_url(page, version=version)
    translation = selectors.public_translation(testimony=page.testimony)
    context = {
        "translation": translation,
        # Paragraph n of each text side by side, sharing the anchor #p<n>.
        "parallel": (
            list(zip_longest(page.text.paragraphs, translation.paragraphs)) if translation else []
        ),
        "page": page,
        "testimony": page.testimony,
        "text": page.text,
        "canonical_url": canonical,
        "permalink": request.build_absolute_uri(_page_url(page, version=None)),
        "citation": record,
        "citation_styles": [
            ("apa", "APA 7", citations.to_apa(record)),
            ("chicago", "Chicago (author-date)", citations.to_chicago(record)),
            ("mla", "MLA 9", citations.to_mla(record)),
        ],
        "cite_downloads": [
            ("BibTeX", f"{cite_base}cite.bib{query}"),
            ("RIS", f"{cite_base}cite.ris{query}"),
            ("CSL-JSON", f"{cite_base}cite.json{query}"),
        ],
        "highwire_tags": citations.highwire_tags(
            record, public_url=canonical, first_published=first_published
        ),
        "description": description,
        "json_ld": citations.schema_org(
            record, public_url=canonical, description=description, first_published=first_published
        ),
    }
    return render(request, "testimonies/testimony_detail.html", context)


def testimony_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _record_page(request, public_id, version=None)


def testimony_version(request: HttpRequest, public_id: str, number: int) -> HttpResponse:
    return _record_page(request, public_id, version=number)


CITATION_FORMATS = {
    # extension: (formatter, content type)
    "bib": (citations.to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (citations.to_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (citations.to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def testimony_cite(
    request: HttpRequest, public_id: str, fmt: str, number: int | None = None
) -> HttpResponse:
    """BibTeX, RIS or CSL-JSON for the current text or for version ``number``."""
    page = selectors.testimony_page(public_id=public_id, version=number)
    record = _citation(request, page)
    formatter, content_type = CITATION_FORMATS[fmt]
    response = HttpResponse(formatter(record), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{record.key}.{fmt}"'
    return response


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
