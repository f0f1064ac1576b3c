"""Links that change one part of a search and keep the rest of the URL."""

from django import template
from django.http import QueryDict

register = template.Library()


def _without_page(query: QueryDict) -> QueryDict:
    query = query.copy()
    query.pop("page", None)
    return query


@register.simple_tag(takes_context=True)
def toggle_value(context, name: str, value: str) -> str:
    """The current search with one facet value added, or removed if it was selected."""
    query = _without_page(context["request"].GET)
    values = query.getlist(name)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def without(context, *names: str) -> str:
    """The current search without the named parameters."""
    query = _without_page(context["request"].GET)
    for name in names:
        query.pop(name, None)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def with_page(context, page: int) -> str:
    query = context["request"].GET.copy()
    query["page"] = str(page)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def with_year(context, year: int) -> str:
    """The current search narrowed to a single year of events."""
    query = _without_page(context["request"].GET)
    query["year_from"] = query["year_to"] = str(year)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def clear_filters(context) -> str:
    """Keep the words and the order; drop every facet and the year range."""
    kept = QueryDict(mutable=True)
    for name in ("q", "sort"):
        if context["request"].GET.get(name):
            kept[name] = context["request"].GET[name]
    return f"?{kept.urlencode()}"


@register.simple_tag(takes_context=True)
def with_words(context, text: str) -> str:
    """The current search with other words (a suggested spelling), from its first page."""
    query = _without_page(context["request"].GET)
    query["q"] = text
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def words_as_value(context, name: str, value: str) -> str:
    """The current search with a facet value applied in place of the words naming it."""
    query = _without_page(context["request"].GET)
    query.pop("q", None)
    values = query.getlist(name)
    if value not in values:
        query.setlist(name, [*values, value])
    return f"?{query.urlencode()}"
