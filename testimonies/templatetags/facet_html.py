"""The facet checkboxes, built in Python.

A search page lists up to a hundred facet values; rendering each through
template nodes was most of the cost of a page with no search text at all.
format_html escapes every value exactly as the template would.
"""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def facet_options(name: str, counts) -> SafeString:
    """<li> items with a checkbox, the label and the count, for one facet group."""
    return format_html_join(
        "\n",
        # The checked attribute is one of two constants; only data goes through {}.
        '<li><label><input type="checkbox" name="{}" value="{}"{} data-facet> {} '
        '<span class="count">{}</span></label></li>',
        (
            (
                name,
                count.value.code,
                " checked" if count.selected else "",
                count.value.label,
                count.count,
            )
            for count in counts
        ),
    )
