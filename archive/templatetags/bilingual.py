"""Show a text kept in English and Thai in the reader's language, marked with its own.

``{% bilingual clause "heading" %}`` renders the heading in the reader's
language inside an element carrying its ``lang``; when only the other
language has a text, that text is shown with a small "English only" (or
"Thai only") marker in the reader's language, so a screen reader reads each
part in its own voice and a reader knows the gap is not an error.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from archive.bilingual import Bilingual, Localized, pick

register = template.Library()


def render(text: Localized, *, tag: str = "span", css: str = "") -> SafeString:
    """The text in ``tag`` with its ``lang``, and the fallback marker if any."""
    if not text:
        return SafeString("")
    classes = format_html(' class="{}"', css) if css else ""
    html = format_html('<{} lang="{}"{}>{}</{}>', tag, text.lang, classes, text.text, tag)
    if text.fallback:
        # The marker is interface text, so it is in the interface's language.
        html += format_html(' <small class="lang-only">({})</small>', text.marker)
    return html


@register.simple_tag
def bilingual(obj: Bilingual, field: str, tag: str = "span", css: str = "") -> SafeString:
    """``obj.field`` in the reader's language (see ``Bilingual.localized``)."""
    return render(obj.localized(field), tag=tag, css=css)


@register.simple_tag
def bilingual_text(english: str, thai: str, tag: str = "span", css: str = "") -> SafeString:
    """A pair of texts that are not a model's fields, in the reader's language."""
    return render(pick(english, thai), tag=tag, css=css)


@register.filter
def localized(obj: Bilingual, field: str) -> str:
    """Plain text in the reader's language, for attributes and page titles."""
    return obj.localized(field).text
