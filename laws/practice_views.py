"""The law in practice as CSV: the numbers of each picture, with the search's filters.

Small files of counts, so plain views rather than the search export's
throttled one; the conventions are the search export's: UTF-8, ``bom=1``
for Excel, cells a spreadsheet would run as formulas made plain text.
"""

import csv
import io
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from archive.errors import BadQuery
from archive.httpcache import shared_cache
from laws import practice
from laws import selectors as law_selectors
from laws.views import moved_permanently
from opendata.exports import BOM, neutralise


def _csv(
    request: HttpRequest, header: list[str], rows: Iterable[list[object]], name: str
) -> HttpResponse:
    bom = request.GET.get("bom", "0")
    if bom not in ("0", "1"):
        raise BadQuery("bom must be 1 (a byte-order mark for Excel) or 0.")
    out = io.StringIO()
    if bom == "1":
        out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@shared_cache
def rankings_csv(request: HttpRequest) -> HttpResponse:
    """/laws/practice.csv: each public law's testimonies per relation."""
    laws = list(practice.public_laws())
    rankings = practice.law_rankings(request.GET, laws=laws)
    return _csv(
        request,
        ["law", "short_name", *practice.CSV_RELATION_COLUMNS],
        practice.rankings_csv_rows(rankings, laws=laws),
        "laws-in-practice.csv",
    )


@shared_cache
def law_csv(request: HttpRequest, law_slug: str) -> HttpResponse:
    """/laws/<law>/practice.csv: the law's testimonies per relation and year of events."""
    law = law_selectors.law_by_slug(slug=law_slug)
    if law.slug != law_slug:
        return moved_permanently(request, reverse("laws:law_practice_csv", args=[law.slug]))
    chart = practice.law_by_year(request.GET, law=law)
    return _csv(
        request,
        ["law", "year", *practice.CSV_RELATION_COLUMNS],
        practice.timeline_csv_rows(chart, key=[law.slug]),
        f"{law.slug}-in-practice.csv",
    )


@shared_cache
def clause_csv(request: HttpRequest, law_slug: str, clause_slug: str) -> HttpResponse:
    """/laws/<law>/<clause>/practice.csv: the clause's testimonies per relation and year."""
    clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
    if (clause.law.slug, clause.slug) != (law_slug, clause_slug):
        return moved_permanently(
            request, reverse("laws:clause_practice_csv", args=[clause.law.slug, clause.slug])
        )
    chart = practice.clause_by_year(request.GET, clause=clause)
    return _csv(
        request,
        ["law", "clause", "year", *practice.CSV_RELATION_COLUMNS],
        practice.timeline_csv_rows(chart, key=[clause.law.slug, clause.slug]),
        f"{clause.law.slug}-{clause.slug}-in-practice.csv",
    )
