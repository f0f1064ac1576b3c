"""What a search answers: a page of hits, each facet's counts, and the archive's overview."""

from dataclasses import dataclass

from django.utils.safestring import SafeString

from archive.bilingual import BilingualLabel
from archive.search.snippets import Snippet
from testimonies.models import Testimony
from testimonies.search.facets import FacetDefinition, FacetValue
from testimonies.search.params import SearchParams
from testimonies.vocabulary import Nationality, Province, WorkSetting

# A facet lists its largest values first; more than this and the reader asks for all.
FACET_SHOWN = 12


# Labels looked up once: Django's get_FOO_display rebuilds a dict of every
# choice (77 provinces) on each call, sixty times a page.
_LABELS = {
    "nationality": dict(Nationality.choices),
    "work_setting": dict(WorkSetting.choices),
    "province": dict(Province.choices),
}


@dataclass(frozen=True)
class Hit:
    testimony: Testimony
    snippet: Snippet | None
    # The title and summary with the words looked for marked; None when nothing was looked for.
    title_html: SafeString | None = None
    summary_html: SafeString | None = None

    @property
    def facts(self) -> str:
        """Pseudonym, nationality, work setting, province and year, for the result list."""
        t = self.testimony
        return (
            f"{t.narrator_pseudonym} · {_LABELS['nationality'][t.nationality]} · "
            f"{_LABELS['work_setting'][t.work_setting]} · "
            f"{_LABELS['province'][t.province]}, {t.year_of_events}"
        )


@dataclass(frozen=True)
class FacetCount:
    value: FacetValue
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetResult:
    facet: FacetDefinition
    counts: list[FacetCount]  # zero counts left out unless selected
    expanded: bool = False

    @property
    def shown(self) -> list[FacetCount]:
        """What the page lists: the largest values (and every selected one) unless expanded."""
        if self.expanded or len(self.counts) <= FACET_SHOWN:
            return self.counts
        largest = sorted(self.counts, key=lambda c: -c.count)[:FACET_SHOWN]
        keep = {id(c) for c in largest} | {id(c) for c in self.counts if c.selected}
        return [c for c in self.counts if id(c) in keep]

    @property
    def hidden(self) -> int:
        return len(self.counts) - len(self.shown)

    @property
    def grouped(self) -> "list[tuple[str | BilingualLabel, list[FacetCount]]]":
        groups: dict[str | BilingualLabel, list[FacetCount]] = {}
        for count in self.shown:
            groups.setdefault(count.value.group, []).append(count)
        return list(groups.items())


@dataclass(frozen=True)
class SearchResult:
    params: SearchParams
    hits: list[Hit]
    total: int
    page: int
    num_pages: int
    per_page: int
    facets: list[FacetResult]
    years: list[tuple[int, int]]  # (year, count) with every filter but the year range
    raid_years: list[tuple[int, int]]  # raids those testimonies recount, per year of the raid
    sort: str
    notice: str = ""
    page_notice: str = ""  # the page asked for was past the last: this is the last

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)


@dataclass(frozen=True)
class Overview:
    """The whole public archive counted, for the front page's pictures."""

    years: list[tuple[int, int]]
    raid_years: list[tuple[int, int]]
    provinces: list[tuple[FacetValue, int]]
