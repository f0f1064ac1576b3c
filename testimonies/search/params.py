"""The public search form: what the query string may say, validated.

The URL is the whole state of a search. Every parameter is checked here:
unknown facet values, wrong types and sort orders outside the allow-list
are refused with a message, never silently widened. A plain form, not a
django-filter FilterSet: filtering runs over the facet columns
(``columns.py``), not through the ORM (docs/architecture.md says why).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, gettext_lazy

from archive.errors import BadQuery
from archive.search.query import MAX_QUERY_LENGTH, ParsedQuery, QueryTooLong, parse
from testimonies.search.columns import FacetData
from testimonies.search.facets import FACETS

YEAR_MIN, YEAR_MAX = 1980, 2100
MAX_PAGE = 10_000_000


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    RECORDED = "recorded"
    YEAR_DESC = "year"
    YEAR_ASC = "year-asc"
    CHOICES = [
        (RELEVANCE, gettext_lazy("Relevance")),
        (NEWEST, gettext_lazy("Newest in the archive")),
        (RECORDED, gettext_lazy("Date recorded")),
        (YEAR_DESC, gettext_lazy("Year of events, latest first")),
        (YEAR_ASC, gettext_lazy("Year of events, earliest first")),
    ]


@dataclass(frozen=True)
class SearchParams:
    text: str
    parsed: ParsedQuery
    selected: dict[str, list[str]]  # facet name -> selected codes
    year_from: int | None
    year_to: int | None
    sort: str
    page: int
    expanded: frozenset[str] = frozenset()

    @property
    def has_filters(self) -> bool:
        return any(self.selected.values()) or self.year_from is not None or self.year_to is not None


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True, max_length=MAX_QUERY_LENGTH)
    sort = forms.ChoiceField(required=False, choices=Sort.CHOICES)
    year_from = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    year_to = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    expand = forms.MultipleChoiceField(
        required=False, choices=[(facet.name, facet.label) for facet in FACETS]
    )

    def __init__(self, data: QueryDict, *, facet_data: FacetData) -> None:
        super().__init__(data)
        for facet in FACETS:
            column = facet_data.columns[facet.name]
            self.fields[facet.name] = forms.MultipleChoiceField(
                required=False,
                label=facet.label,
                choices=[(value.code, value.label) for value in column.values],
            )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        try:
            self.parsed = parse(text)
        except QueryTooLong as error:
            raise forms.ValidationError(
                gettext(
                    "Your search is too long (%(length)s characters). "
                    "Please use at most %(limit)s characters."
                )
                % {"length": error.length, "limit": MAX_QUERY_LENGTH}
            ) from error
        return text

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise forms.ValidationError(gettext("The first year must not be after the last year."))
        return cleaned

    def params(self) -> SearchParams:
        """The validated search; call only after ``is_valid()``."""
        data = self.cleaned_data
        parsed = getattr(self, "parsed", ParsedQuery())
        default_sort = Sort.RELEVANCE if parsed.has_positive else Sort.NEWEST
        return SearchParams(
            text=data["q"],
            parsed=parsed,
            selected={facet.name: data[facet.name] for facet in FACETS},
            year_from=data["year_from"],
            year_to=data["year_to"],
            sort=data["sort"] or default_sort,
            page=data["page"] or 1,
            expanded=frozenset(data["expand"]),
        )

    def error_message(self) -> str:
        """All problems in one plain sentence per field, for the 400 page."""
        messages: list[str] = []
        for name, errors in self.errors.items():
            label = self.fields[name].label or name if name in self.fields else ""
            prefix = f"{label}: " if name != "__all__" else ""
            messages.extend(f"{prefix}{error}" for error in errors)
        return " ".join(messages)


def search_params(query: QueryDict, *, facet_data: FacetData) -> SearchParams:
    """The validated search a query string asks for; ``BadQuery`` (a 400) if it is not valid."""
    form = SearchForm(query, facet_data=facet_data)
    if not form.is_valid():
        raise BadQuery(form.error_message())
    return form.params()


def pinned(query: QueryDict, fixed: dict[str, list[str]] | None) -> QueryDict:
    """A copy of the query string with the facets a page pins set to their values."""
    query = query.copy()
    for name, values in (fixed or {}).items():
        query.setlist(name, values)
    return query
