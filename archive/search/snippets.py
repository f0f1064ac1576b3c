"""Snippets for the hits shown on a page: the best paragraph, matched words in <mark>;
and a hit's title and summary with the same words marked.

Made in Python for the twenty hits shown rather than by the engine, so both
databases give the same snippet, Thai text keeps its original spelling (the
index holds it segmented with spaces), and the snippet can name the paragraph
it comes from, for a link straight to it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.search.text import normalise, segment, word_matches

_THAI = re.compile(r"[\u0e00-\u0e7f]")


@dataclass(frozen=True)
class Snippet:
    paragraph: int  # 1-based, as in the #p anchors
    html: SafeString


def _words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised form) for each word, with Thai runs segmented."""
    found: list[tuple[int, int, str]] = []
    # Word edges as the tokeniser sees them; a Thai run is then split by newmm.
    for match in word_matches(text):
        start, word = match.start(), match.group()
        if _THAI.search(word):
            position = start
            for piece in segment(word).split():
                index = text.find(piece, position)
                if index < 0:
                    break
                found.append((index, index + len(piece), normalise(piece)))
                position = index + len(piece)
        else:
            # ASCII needs no Unicode normalisation, only case folding.
            folded = word.lower() if word.isascii() else normalise(word)
            found.append((start, match.end(), folded))
    return found


def _marked_spans(words: list[tuple[int, int, str]], wanted: set[str]) -> list[tuple[int, int]]:
    """Where to put <mark>: the wanted words, touching ones joined into one span.

    The parts of a Thai compound touch (บุก and ค้น of การบุกค้น), and a reader
    should see the word they searched for marked once, not in pieces.
    """
    spans: list[tuple[int, int]] = []
    for start, end, word in words:
        if word not in wanted:
            continue
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _counter(
    wanted: set[str],
) -> Callable[[str], tuple[int, list[tuple[int, int, str]] | None]]:
    """A fast hit counter for a paragraph; exact tokenisation only where it matters.

    For an all-ASCII query on an ASCII paragraph a regex with word edges counts
    the same hits as tokenising would, far faster; anything else is tokenised.
    """
    ascii_words = all(word.isascii() for word in wanted)
    pattern = (
        re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, wanted)) + r")(?![A-Za-z0-9])",
            re.IGNORECASE,
        )
        if ascii_words and wanted
        else None
    )

    def count(paragraph: str) -> tuple[int, list[tuple[int, int, str]] | None]:
        """Hits, and the paragraph's words when they had to be found anyway."""
        if pattern is not None and paragraph.isascii():
            return len(pattern.findall(paragraph)), None
        # Segmenting Thai is the costly part: only where a wanted word can be inside.
        folded = normalise(paragraph)
        if not any(word in folded for word in wanted):
            return 0, None
        words = _words(paragraph)
        return sum(1 for *_span, word in words if word in wanted), words

    return count


def best_snippet(
    paragraphs: list[str], highlight: tuple[str, ...], *, width: int = 40
) -> Snippet | None:
    """The paragraph with the most matched words, cut to about ``width`` words around them."""
    wanted = set(highlight)
    count = _counter(wanted)
    best: tuple[int, int, list[tuple[int, int, str]] | None] | None = None
    for number, paragraph in enumerate(paragraphs, start=1):
        hits, found = count(paragraph)
        if hits and (best is None or hits > best[0]):
            best = (hits, number, found)
    if best is None:
        return None
    _hits, number, found = best
    text = paragraphs[number - 1]
    words = found if found is not None else _words(text)
    first = next(i for i, (*_span, word) in enumerate(words) if word in wanted)
    lo = max(0, first - width // 4)
    hi = min(len(words), lo + width)
    start = words[lo][0] if lo else 0
    end = words[hi - 1][1] if hi < len(words) else len(text)
    pieces: list[str] = ["… " if start else ""]
    cursor = start
    for mark_start, mark_end in _marked_spans(words[lo:hi], wanted):
        pieces.append(escape(text[cursor:mark_start]))
        pieces.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append(" …")
    # Safe: every piece of the reader-visible text above went through escape().
    return Snippet(paragraph=number, html=mark_safe("".join(pieces)))


def highlight(text: str, highlight: tuple[str, ...]) -> SafeString:
    """The whole of a short text (a title, a summary), escaped, with matched words in <mark>."""
    wanted = set(highlight)
    hits, found = _counter(wanted)(text)
    if not hits:
        return escape(text)
    words = found if found is not None else _words(text)
    pieces: list[str] = []
    cursor = 0
    for mark_start, mark_end in _marked_spans(words, wanted):
        pieces.append(escape(text[cursor:mark_start]))
        pieces.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        cursor = mark_end
    pieces.append(escape(text[cursor:]))
    # Safe: every piece of the text went through escape(), as in best_snippet.
    return mark_safe("".join(pieces))
