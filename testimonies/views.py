"""Public pages for testimonies and raid incidents. Views parse, call, render."""

from itertools import zip_longest
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from archive import citation_downloads, citations
from archive.errors import BadQuery
from archive.httpcache import shared_cache
from archive.pagination import paginate
from laws.models import Law
from testimonies import law_in_time, selectors
from testimonies.models import RaidIncident
from testimonies.search import overview, search_page_context
from testimonies.search.page import province_chart, year_timeline
from testimonies.search.pagecache import cached_by_generation


@shared_cache
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


@shared_cache
@cached_by_generation
def testimony_list(request: HttpRequest) -> HttpResponse:
    """The faceted full-text search; with no parameters, every testimony, newest first.

    A search for a public record's id (``T-0001``) goes straight to that record.
    """
    record_url = selectors.public_record_url(request.GET.get("q", ""))
    if record_url is not None:
        return redirect(record_url)
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
        "read_links": law_in_time.read_links(
            testimony=page.testimony, links=list(page.testimony.clause_links.all())
        ),
        "text": page.text,
        "canonical_url": canonical,
        "permalink": request.build_absolute_uri(_page_url(page, version=None)),
        "citation": record,
        "citation_styles": [
            ("apa", "APA 7", citations.to_apa(record)),
            ("chicago", "Chicago (author-date)", citations.to_chicago(record)),
            ("mla", "MLA 9", citations.to_mla(record)),
        ],
        "cite_downloads": citation_downloads.download_links(cite_base, query),
        "highwire_tags": citations.highwire_tags(
            record, public_url=canonical, first_published=first_published
        ),
        "dc_tags": citations.dublin_core_tags(record),
        "description": description,
        "json_ld": citations.schema_org(
            record, public_url=canonical, description=description, first_published=first_published
        ),
    }
    return render(request, "testimonies/testimony_detail.html", context)


@shared_cache
def testimony_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _record_page(request, public_id, version=None)


@shared_cache
def testimony_version(request: HttpRequest, public_id: str, number: int) -> HttpResponse:
    return _record_page(request, public_id, version=number)


# The formats every citable page serves (kept here too for the tests' URL walks).
CITATION_FORMATS = citations.FORMATS


def testimony_cite(
    request: HttpRequest, public_id: str, fmt: str, number: int | None = None
) -> HttpResponse:
    """BibTeX, RIS or CSL-JSON for the current text or for version ``number``."""
    page = selectors.testimony_page(public_id=public_id, version=number)
    return citation_downloads.download(_citation(request, page), fmt)


def incident_list(request: HttpRequest) -> HttpResponse:
    page = paginate(
        request,
        selectors.public_incidents().prefetch_related("authorities", "outcomes"),
        per_page=settings.ARCHIVE_PAGE_SIZE,
    )
    return render(request, "testimonies/incident_list.html", {"page": page})


def _incident_citation(request: HttpRequest, incident: RaidIncident) -> citations.IncidentRecord:
    published = incident.published_at or incident.first_published_at or timezone.now()
    return citations.IncidentRecord(
        # Only published incidents are found, and each has its id.
        public_id=cast(str, incident.public_id),
        name=incident.title,
        published=timezone.localdate(published),
        url=request.build_absolute_uri(incident.get_absolute_url()),
        accessed=timezone.localdate(),
    )


def incident_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = selectors.incident_detail(public_id=public_id)
    record = _incident_citation(request, incident)
    context = {
        "incident": incident,
        "read_clauses": law_in_time.read_incident_clauses(
            incident=incident, clauses=list(incident.clauses_invoked.all())
        ),
        "citation": record,
        "cite_downloads": citation_downloads.download_links(incident.get_absolute_url()),
        "highwire_tags": citations.highwire_tags(record, public_url=record.url),
        "dc_tags": citations.dublin_core_tags(record),
        "json_ld": citations.schema_org(
            record, public_url=record.url, description=incident.description[:300]
        ),
    }
    return render(request, "testimonies/incident_detail.html", context)


def incident_cite(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    """BibTeX, RIS or CSL-JSON for a published raid incident."""
    incident = selectors.incident_detail(public_id=public_id)
    return citation_downloads.download(_incident_citation(request, incident), fmt)
