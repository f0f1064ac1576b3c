"""Snippets for the hits shown on a page: the best paragraph, matched words in <mark>;
and a hit's title and summary with the same words marked.

Made in Python for the twenty hits shown rather than by the engine, so both
databases give the same snippet, Thai text keeps its original spelling (the
index holds it segmented with spaces), and the snippet can name the paragraph
it comes from, for a link straight to it.
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from archive.search.forms import stem
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


def _marked_spans(words: list[tuple[int, int, str]], wanted: "_Wanted") -> list[tuple[int, int]]:
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


class _Wanted:
    """Which words to mark: these words as written, and any word with one of these stems."""

    def __init__(self, words: Collection[str], stems: Collection[str]) -> None:
        self.words = frozenset(words)
        self.stems = frozenset(stems)
        # The words whose stem matched or not, so each distinct word is stemmed once.
        self._seen: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self.words:
            return True
        if not self.stems or not word.isascii():
            # Stems are ASCII (forms.stem keeps anything else as it is): set lookups
            # above already decide for every other word.
            return word in self.stems
        known = self._seen.get(word)
        if known is None:
            known = self._seen[word] = stem(word) in self.stems
        return known

    def ascii_pattern(self) -> re.Pattern[str] | None:
        """A regex finding the wanted words and forms in ASCII text, or None if not all ASCII.

        A word's form begins with its stem less the stem's last letter (Snowball
        rewrites a final "y" to "i": "raid" from "raided", "happi" from
        "happy"), so the pattern finds every word starting so; ``__contains__``
        then says which are wanted.
        """
        if not self.words and not self.stems:
            return None
        if not all(word.isascii() for word in self.words | self.stems):
            return None
        alternatives = [re.escape(word) for word in self.words]
        alternatives += [re.escape(s[:-1]) + "[A-Za-z0-9]*" for s in self.stems if len(s) > 1]
        alternatives += [re.escape(s) + "[A-Za-z0-9]*" for s in self.stems if len(s) <= 1]
        return re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(alternatives) + r")(?![A-Za-z0-9])",
            re.IGNORECASE,
        )


def _counter(
    wanted: _Wanted,
) -> Callable[[str], tuple[int, list[tuple[int, int, str]] | None]]:
    """A fast hit counter for a paragraph; exact tokenisation only where it matters.

    For an all-ASCII query on an ASCII paragraph a regex with word edges finds
    the candidates tokenising would, far faster; anything else is tokenised.
    """
    pattern = wanted.ascii_pattern()

    def count(paragraph: str) -> tuple[int, list[tuple[int, int, str]] | None]:
        """Hits, and the paragraph's words when they had to be found anyway."""
        if pattern is not None and paragraph.isascii():
            hits = sum(1 for found in pattern.findall(paragraph) if found.lower() in wanted)
            return hits, None
        # Segmenting Thai is the costly part: only where a wanted word can be inside.
        folded = normalise(paragraph)
        if not any(word in folded for word in wanted.words) and not (
            wanted.stems and any(s[:-1] in folded for s in wanted.stems)
        ):
            return 0, None
        words = _words(paragraph)
        return sum(1 for *_span, word in words if word in wanted), words

    return count


def best_snippet(
    paragraphs: list[str],
    highlight: tuple[str, ...],
    *,
    stems: Collection[str] = (),
    width: int = 40,
) -> Snippet | None:
    """The paragraph with the most matched words, cut to about ``width`` words around them.

    A word is matched if it is one of ``highlight`` as written, or has one of
    ``stems`` for its stem (the forms of the words searched for without quotes).
    """
    wanted = _Wanted(highlight, stems)
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


def highlight(text: str, highlight: tuple[str, ...], *, stems: Collection[str] = ()) -> SafeString:
    """The whole of a short text (a title, a summary), escaped, with matched words in <mark>."""
    wanted = _Wanted(highlight, stems)
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
