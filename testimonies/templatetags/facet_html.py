"""The facet checkboxes, built in Python.

A search page lists up to a hundred facet values; rendering each through
template nodes, or even through format_html, was a large part of the cost of
a page with no search text at all. Every value is escaped with escape().
"""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.bilingual import BilingualLabel

register = template.Library()


@register.simple_tag
def facet_options(name: str, counts) -> SafeString:
    """<li> items with a checkbox, the label and the count, for one facet group."""
    name = escape(name)
    items = [
        f'<li><label><input type="checkbox" name="{name}" value="{escape(c.value.code)}"'
        f"{' checked' if c.selected else ''} data-facet> {_label(c.value.label)} "
        f'<span class="count">{int(c.count)}</span></label></li>'
        for c in counts
    ]
    # Safe: the only inserted values are escaped above or are integers.
    return mark_safe("\n".join(items))


def _label(label: object) -> str:
    """The escaped label; marked with its language when it is not the page's (a fallback)."""
    if isinstance(label, BilingualLabel):
        text = label.localized()
        if text.fallback:
            return f'<span lang="{text.lang}">{escape(text.text)}</span>'
        return escape(text.text)
    return escape(label)
