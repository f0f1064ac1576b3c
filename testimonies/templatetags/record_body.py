"""A testimony's paragraphs and fixed-choice labels, built in Python.

A testimony has tens of paragraphs. Each one's tools (link, copy, cite) went
through an include and five ``blocktranslate`` tags: at 10,000 natural
testimonies that was about a sixth of a permalink's cost. Here the interface
strings are translated once a page and the paragraphs joined in one pass; the
markup is the one the include wrote, every value escaped with escape().
"""

from functools import cache

from django import template
from django.db.models import Field, Model
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _tools_template(canonical_url: str, language: str) -> str:
    """The tools of paragraph ``{n}``, as a ``str.format`` template; values escaped."""
    url = escape(canonical_url).replace("{", "{{").replace("}", "}}")
    lang = escape(language)

    def label(text: str) -> str:
        # %(n)s becomes {n}; braces in a translation stay literal.
        return escape(text).replace("{", "{{").replace("}", "}}").replace("%(n)s", "{n}")

    return (
        f'<span class="para-tools" lang="{lang}"><a class="para-link" href="{url}#p{{n}}" '
        f'title="{label(gettext("Link to paragraph %(n)s"))}" '
        f'aria-label="{label(gettext("Link to paragraph %(n)s"))}">¶{{n}}</a>\n'
        f'      <button type="button" class="para-copy" hidden data-copy-href="{url}#p{{n}}" '
        f'data-copied-label="{label(gettext("Link to paragraph %(n)s copied"))}" '
        f'aria-label="{label(gettext("Copy link to paragraph %(n)s"))}">'
        f"{label(gettext('Copy link'))}</button>\n"
        f'      <a class="para-cite" href="?paragraph={{n}}#cite" '
        f'aria-label="{label(gettext("Cite paragraph %(n)s"))}">{label(gettext("Cite"))}</a>'
        "</span>"
    )


@register.simple_tag(takes_context=True)
def paragraph_tools(context: template.Context, n: int) -> SafeString:
    """Link, copy and cite tools of paragraph ``n`` (the parallel layout, row by row)."""
    tools = _tools_template(context["canonical_url"], str(context.get("LANGUAGE_CODE", "")))
    return mark_safe(tools.format(n=int(n)))  # every value escaped above; n is an int


@register.simple_tag(takes_context=True)
def paragraphs_with_tools(context: template.Context, paragraphs: tuple[str, ...]) -> SafeString:
    """Every paragraph as ``<p id="p<n>">``, its tools first, its line breaks kept."""
    tools = _tools_template(context["canonical_url"], str(context.get("LANGUAGE_CODE", "")))
    return mark_safe(  # tools escaped above; linebreaksbr escapes the text
        "\n".join(
            f'<p id="p{n}">{tools.format(n=n)}\n      '
            f"{linebreaksbr(paragraph, autoescape=True)}</p>"
            for n, paragraph in enumerate(paragraphs, start=1)
        )
    )


@cache
def _choice_labels(field: Field) -> dict[object, object]:
    # Django's get_<field>_display builds this dict on every call, hashing every
    # (lazy) label, which translates each of them: 77 provinces for one name.
    return dict(field.flatchoices)


@register.filter
def choice_label(record: Model, name: str) -> str:
    """What ``get_<name>_display`` gives, in the reader's language, for a field with choices."""
    value = getattr(record, name)
    label = _choice_labels(record._meta.get_field(name)).get(value, value)
    return str(label)
