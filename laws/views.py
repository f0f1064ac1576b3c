"""Public pages for laws and clauses."""

from datetime import date
from typing import TYPE_CHECKING

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from archive import citation_downloads, citations
from archive.charts import BarChart, ChartItem, bar_chart
from archive.httpcache import shared_cache
from laws import practice, versions
from laws import selectors as law_selectors
from laws.identifiers import clause_code
from laws.models import Clause, Law
from testimonies import law_in_time, selectors
from testimonies.search import search_page_context, totals

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from laws.selectors import TestimonyCount


@shared_cache
def law_list(request: HttpRequest) -> HttpResponse:
    find = law_selectors.find_text(request.GET.get("find"))
    every_law = law_selectors.laws_with_counts()
    laws = every_law.filter(law_selectors.law_name_matches(find)) if find else every_law
    context = {
        "find": find,
        "found_clauses": law_selectors.clauses_named(text=find) if find else [],
        "thai_laws": [law for law in laws if law.jurisdiction == Law.Jurisdiction.THAILAND],
        "international_laws": [
            law for law in laws if law.jurisdiction == Law.Jurisdiction.INTERNATIONAL
        ],
        # Ranked over every law, whatever name is found: the search's filters narrow them.
        "rankings": practice.law_rankings(request.GET, laws=list(every_law)),
        "practice_query": practice.filter_query(request.GET),
    }
    return render(request, "laws/law_list.html", context)


def clause_chart(clauses: "list[WithAnnotations[Clause, TestimonyCount]]") -> BarChart:
    """Testimonies per clause, in the law's own order; clauses no account concerns left out."""
    return bar_chart(
        [ChartItem(clause.slug, clause.number, clause.testimony_count) for clause in clauses],
        sort=False,
        limit=len(clauses),
    )


def moved_permanently(request: HttpRequest, url: str) -> HttpResponsePermanentRedirect:
    """301 to a law or clause's address today, keeping the search in the query string."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def _law_citation(request: HttpRequest, law: Law) -> citations.LegalRecord:
    return citations.LegalRecord(
        code=law.slug,
        title=citations.legislation_title(law.title_en, law.year),
        short_title=law.short_name,
        year=law.year,
        url=request.build_absolute_uri(law.get_absolute_url()),
        accessed=timezone.localdate(),
    )


def _clause_citation(
    request: HttpRequest,
    clause: Clause,
    version: versions.Version | None = None,
    as_at: date | None = None,
) -> citations.LegalRecord:
    law = clause.law
    version = version or versions.current_version(versions.clause_versions(clause))
    return citations.LegalRecord(
        code=clause_code(law.slug, clause.slug),
        title=citations.legislation_title(law.title_en, law.year, clause.number),
        short_title=clause.citation,
        year=law.year,
        url=request.build_absolute_uri(_clause_path(clause, as_at)),
        accessed=timezone.localdate(),
        version=versions.version_note(version, as_at=as_at),
    )


def _citation_context(
    record: citations.LegalRecord, path: str, description: str
) -> dict[str, object]:
    """What a law's or a clause's page needs to be cited: meta tags, JSON-LD, downloads."""
    return {
        "citation": record,
        "cite_downloads": citation_downloads.download_links(path),
        "highwire_tags": citations.highwire_tags(record, public_url=record.url),
        "dc_tags": citations.dublin_core_tags(record),
        "json_ld": citations.schema_org(
            record, public_url=record.url, description=description[:300]
        ),
    }


@shared_cache
def law_detail(request: HttpRequest, law_slug: str) -> HttpResponse:
    law = law_selectors.law_by_slug(slug=law_slug)
    if law.slug != law_slug:
        return moved_permanently(request, law.get_absolute_url())
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
        "practice": practice.law_by_year(request.GET, law=law),
        "practice_query": practice.filter_query(request.GET),
        "amendments": versions.law_amendments(law),
        **search_page_context(request, fixed={"law": [law.slug]}),
        "search_label": gettext("Search the testimonies concerning %(law)s")
        % {"law": law.localized("short_name").text},
        **_citation_context(_law_citation(request, law), law.get_absolute_url(), law.summary),
    }
    return render(request, "laws/law_detail.html", context)


def law_cite(request: HttpRequest, law_slug: str, fmt: str) -> HttpResponse:
    """BibTeX, RIS or CSL-JSON for a law; a former slug answers 301 to today's."""
    law = law_selectors.law_by_slug(slug=law_slug)
    if law.slug != law_slug:
        return moved_permanently(request, reverse("laws:law_cite", args=[law.slug, fmt]))
    return citation_downloads.download(_law_citation(request, law), fmt)


def _clause_page(request: HttpRequest, clause: Clause, *, as_at: date | None) -> HttpResponse:
    """A clause as it stands today (``as_at`` None) or as it stood on ``as_at``."""
    law_slug, clause_slug = clause.law.slug, clause.slug
    history = versions.clause_versions(clause)
    shown = versions.version_as_at(history, as_at) if as_at else versions.current_version(history)
    related = law_selectors.related_clauses(clause=clause)
    first = selectors.clause_first_links(clause=clause)
    incidents = selectors.clause_first_incidents(clause=clause)
    path = _clause_path(clause, as_at)
    context = {
        "clause": clause,
        "law": clause.law,
        "versions": history,
        "shown": shown,
        "as_at": as_at,
        "accounts_by_version": law_in_time.accounts_by_version(
            versions=history, public_links=selectors.clause_testimony_links(clause=clause)
        ),
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
        "practice": practice.clause_by_year(request.GET, clause=clause),
        "practice_query": practice.filter_query(request.GET),
        **search_page_context(request, fixed={"clause": [clause_code(law_slug, clause_slug)]}),
        "search_label": gettext("Search the testimonies concerning %(law)s")
        % {"law": clause.citation},
        **_citation_context(
            _clause_citation(request, clause, shown, as_at), path, shown.summary_en
        ),
    }
    return render(request, "laws/clause_detail.html", context)


def _clause_path(clause: Clause, as_at: date | None) -> str:
    if as_at is None:
        return clause.get_absolute_url()
    return reverse(
        "laws:clause_as_at",
        kwargs={"law_slug": clause.law.slug, "clause_slug": clause.slug, "as_at": as_at},
    )


def _clause_or_moved(
    request: HttpRequest, law_slug: str, clause_slug: str, as_at: date | None = None
) -> Clause | HttpResponsePermanentRedirect:
    clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
    if (clause.law.slug, clause.slug) != (law_slug, clause_slug):
        return moved_permanently(request, _clause_path(clause, as_at))
    return clause


@shared_cache
def clause_detail(request: HttpRequest, law_slug: str, clause_slug: str) -> HttpResponse:
    raw = request.GET.get("as_at")
    as_at = versions.parse_as_at(raw) if raw else None
    clause = _clause_or_moved(request, law_slug, clause_slug, as_at)
    if not isinstance(clause, Clause):
        return clause
    if as_at is not None:
        # ?as_at= is a form's spelling; the @date address is the one to cite.
        return HttpResponseRedirect(_clause_path(clause, as_at))
    return _clause_page(request, clause, as_at=None)


@shared_cache
def clause_as_at(request: HttpRequest, law_slug: str, clause_slug: str, as_at: str) -> HttpResponse:
    """``/laws/<law>/<clause>/@2010-06-01/``: the clause's text as it stood that day."""
    day = versions.parse_as_at(as_at)
    clause = _clause_or_moved(request, law_slug, clause_slug, day)
    if not isinstance(clause, Clause):
        return clause
    return _clause_page(request, clause, as_at=day)


@shared_cache
def clause_compare(
    request: HttpRequest, law_slug: str, clause_slug: str, old: str, new: str
) -> HttpResponse:
    """Two versions of a clause side by side, each named by the day it came into force."""
    clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
    if (clause.law.slug, clause.slug) != (law_slug, clause_slug):
        return moved_permanently(
            request, reverse("laws:clause_compare", args=[clause.law.slug, clause.slug, old, new])
        )
    history = versions.clause_versions(clause)
    before = versions.version_by_slug(history, old)
    after = versions.version_by_slug(history, new)
    context = {
        "clause": clause,
        "law": clause.law,
        "before": before,
        "after": after,
        "official_rows": versions.version_diff(before, after),
        "summary_rows": versions.version_diff(before, after, field="summary_en"),
    }
    return render(request, "laws/clause_compare.html", context)


def clause_cite(request: HttpRequest, law_slug: str, clause_slug: str, fmt: str) -> HttpResponse:
    """BibTeX, RIS or CSL-JSON for a clause; former slugs answer 301 to today's address."""
    clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
    if (clause.law.slug, clause.slug) != (law_slug, clause_slug):
        return moved_permanently(
            request, reverse("laws:clause_cite", args=[clause.law.slug, clause.slug, fmt])
        )
    return citation_downloads.download(_clause_citation(request, clause), fmt)


def clause_as_at_cite(
    request: HttpRequest, law_slug: str, clause_slug: str, as_at: str, fmt: str
) -> HttpResponse:
    """The citation of a clause as it stood on a day, naming the version that applied."""
    day = versions.parse_as_at(as_at)
    clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
    if (clause.law.slug, clause.slug) != (law_slug, clause_slug):
        return moved_permanently(
            request,
            reverse("laws:clause_as_at_cite", args=[clause.law.slug, clause.slug, as_at, fmt]),
        )
    version = versions.version_as_at(versions.clause_versions(clause), day)
    return citation_downloads.download(_clause_citation(request, clause, version, day), fmt)
