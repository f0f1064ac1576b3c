"""The search block of a public page: the search page, and a law's or clause's page.

What a template needs to show a search: its result, the sort choices, the
facets the page pins, the addresses of its CSV and feed twins, and the
charts drawn from the counts.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

from archive.charts import BarChart, ChartItem, Timeline, bar_chart, timeline
from testimonies.search.columns import facet_data
from testimonies.search.faceted import search_from_query
from testimonies.search.hints import search_hints
from testimonies.search.index import current_generation, generation_known
from testimonies.search.params import Sort, pinned
from testimonies.search.results import FacetResult

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def year_timeline(years: list[tuple[int, int]], raid_years: list[tuple[int, int]]) -> Timeline:
    return timeline([("testimonies", years), ("raids", raid_years)])


def province_chart(counts: list[tuple[str, "StrOrPromise", int, bool]]) -> BarChart:
    """Testimonies per province from (code, label, count, selected)."""
    return bar_chart([ChartItem(*row) for row in counts])


def _province_counts(facets: list[FacetResult]) -> list[tuple[str, "StrOrPromise", int, bool]]:
    province = next(f for f in facets if f.facet.name == "province")
    # Province labels are lazy choices; str() reads them in the request's language.
    return [(c.value.code, str(c.value.label), c.count, c.selected) for c in province.counts]


def search_page_context(
    request: HttpRequest, *, fixed: dict[str, list[str]] | None = None, charts: bool = False
) -> dict:
    """Run the faceted search for this request; ``fixed`` facets are pinned by the page.

    The law and clause pages show the same search with their law or clause
    pinned, so a reader searches within exactly the testimonies concerning it.
    A page past the last shows the last one, with a notice; the page also
    offers a spelling, facets and laws the words name (``hints``).
    """
    # The search and its hints read one generation, asking the database once.
    with generation_known(current_generation()):
        result = search_from_query(request.GET, fixed=fixed, last_page_if_past=True)
        hints = search_hints(result, facet_data(), pinned=list(fixed or {}))
    # The CSV and feed twins of this search: the same query, whatever page is shown.
    query = pinned(request.GET, fixed)
    for name in ("page", "expand"):
        query.pop(name, None)
    context = {
        "result": result,
        "sort_choices": Sort.CHOICES,
        "fixed_facets": list(fixed or {}),
        "search_action": request.path,
        "search_query": query.urlencode(),
        "hints": hints,
    }
    if charts:
        context["timeline"] = year_timeline(result.years, result.raid_years)
        context["province_chart"] = province_chart(_province_counts(result.facets))
    return context
