"""The small markup of the archive's own pages, rendered to HTML that is always escaped.

Staff write plain text; no HTML they type ever reaches a reader as markup.
The whole grammar:

- paragraphs are separated by a blank line; a single line break stays one;
- a paragraph that is one line starting with ``## `` is a heading;
- a paragraph whose every line starts with ``- `` is a list, one item a line;
- ``[words](address)`` is a link when the address starts with ``https://``,
  ``http://``, ``mailto:`` or ``/`` (a page of this site); a bare ``https://``
  address is a link to itself. Anything else stays text, so a
  ``javascript:`` address is shown, never followed.

Hand-written rather than Markdown: a Markdown library passes raw HTML through
and needs a sanitiser behind it, two dependencies to keep safe for a few
headings and links. Here every character of the source is escaped first.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# A link written as [words](address), or a bare web address. A bare address
# does not take the punctuation that ends a sentence, nor a closing bracket.
# "//host" and "/\host" are other sites to a browser, not paths of this one.
_LINK = re.compile(
    r"\[(?P<label>[^\]\n]+)\]\((?P<target>(?:https?://|mailto:|/(?![/\\]))[^\s()\\]*)\)"
    r"|(?P<bare>https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"])"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _joined(separator: str, parts: list[SafeString]) -> SafeString:
    # The only mark_safe here: a fixed separator between parts already escaped.
    if not all(isinstance(part, SafeString) for part in parts):
        raise TypeError("Only escaped parts may be joined into page HTML.")
    return mark_safe(separator.join(parts))


def inline(text: str) -> SafeString:
    """One stretch of text: escaped, with its links made into anchors."""
    parts, end = [], 0
    for match in _LINK.finditer(text):
        parts.append(escape(text[end : match.start()]))
        if match["bare"]:
            parts.append(format_html('<a href="{}">{}</a>', match["bare"], match["bare"]))
        else:
            parts.append(format_html('<a href="{}">{}</a>', match["target"], match["label"]))
        end = match.end()
    parts.append(escape(text[end:]))
    return _joined("", parts)


def _block(block: str) -> SafeString:
    lines = [line.strip() for line in block.split("\n")]
    if len(lines) == 1 and lines[0].startswith("## "):
        return format_html("<h2>{}</h2>", inline(lines[0][3:].strip()))
    if all(line.startswith("- ") for line in lines):
        items = [format_html("<li>{}</li>", inline(line[2:].strip())) for line in lines]
        return format_html("<ul>{}</ul>", _joined("", items))
    return format_html("<p>{}</p>", _joined("<br>", [inline(line) for line in lines]))


def render(text: str) -> SafeString:
    """The page's body as HTML: headings, lists and paragraphs, everything escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [block.strip() for block in _BLANK_LINE.split(text) if block.strip()]
    return _joined("\n", [_block(block) for block in blocks])
