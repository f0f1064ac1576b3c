"""Tokenizer shared by indexing and querying, so that both always see the same words.

The database tokenizer (FTS5 unicode61 or PostgreSQL 'simple') never has to understand
Thai: we store and query only our own tokens, separated by single spaces.
"""

import re
import unicodedata
from collections.abc import Iterator

from pythainlp.tokenize import newmm

from archive.search.thai import split_compounds

__all__ = ["clean", "index_text", "is_token", "normalise", "segment", "tokens", "warm_up"]

_WHITESPACE_CONTROLS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85")
_SPACE_CONTROLS = str.maketrans(dict.fromkeys(_WHITESPACE_CONTROLS, " "))

# NFKC splits SARA AM into NIKHAHIT + SARA AA (and the Lao equivalent likewise); the
# newmm dictionary spells words with SARA AM, so put it back or "ทำ" would never match.
_RECOMPOSE = (("\u0e4d\u0e32", "\u0e33"), ("\u0ecd\u0eb2", "\u0eb3"))

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")


def clean(text: str) -> str:
    """Drop lone surrogates, control and format characters; control whitespace becomes " ".

    Nothing else changes (no case folding), so the query parser can still see "OR".
    """
    if text.isprintable():
        # isprintable() is False for every C* category, so there is nothing to drop.
        return text
    spaced = text.translate(_SPACE_CONTROLS)
    if spaced.isprintable():
        # The common case for stored text: only newlines and tabs to turn into spaces.
        return spaced
    out: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] != "C" or category in ("Co", "Cn"):
            out.append(ch)
        elif category == "Cc" and ch in _WHITESPACE_CONTROLS:
            out.append(" ")
        # Cs (lone surrogates) cannot be encoded for the database; Cc/Cf (NUL, soft
        # hyphen, zero-width space, bidi marks) are invisible, so dropping them makes
        # the text match what a reader sees.
    return "".join(out)


def normalise(text: str) -> str:
    """NFKC, casefold, drop control characters and lone surrogates, collapse whitespace."""
    text = clean(text)
    # Casefolding can produce text that is not NFKC (and NFKC can produce new upper-case
    # forms), so normalise on both sides to make normalise() idempotent.
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    for decomposed, composed in _RECOMPOSE:
        text = text.replace(decomposed, composed)
    return " ".join(text.split())


def _segment_run(run: str) -> str:
    # newmm itself rather than word_tokenize(): a run holds no spaces and no digits, so
    # word_tokenize's passes over the result (spaces, "1,234") change nothing, and its
    # wrapping cost 40 µs a call, two thirds of segmenting a one-word run (docs/benchmarks.md).
    words = newmm.segment(run)
    # Compounds on the curated list come apart, so their parts are found alone.
    return " ".join(split_compounds(word for word in (w.strip() for w in words) if word))


def segment(text: str) -> str:
    """Word-segment the Thai runs of `text` with newmm; Thai digits become ASCII digits.

    A Thai run glued to Latin letters or digits is set off by a space, so it becomes a
    separate word. Text outside Thai runs is otherwise unchanged.
    """
    text = text.translate(_THAI_DIGITS)
    pieces: list[str] = []
    last = 0
    for match in _THAI_RUN.finditer(text):
        start, end = match.span()
        pieces.append(text[last:start])
        # Only a glued letter or digit needs a space; punctuation already separates.
        if start > 0 and _is_word_char(text[start - 1]):
            pieces.append(" ")
        pieces.append(_segment_run(match.group()))
        if end < len(text) and _is_word_char(text[end]):
            pieces.append(" ")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _is_word_char(ch: str) -> bool:
    # Letters, marks (Thai vowels and tone marks are Mn) and digits; Python's \w would
    # split Thai words at every combining mark.
    return unicodedata.category(ch)[0] in "LMN"


def _mark_class() -> str:
    """A regex character class of every combining mark (Unicode category M*)."""
    ranges: list[tuple[int, int]] = []
    # Planes 0-3 hold every script in use; the rest is unassigned or private use.
    for code in range(0x40000):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
        for lo, hi in ranges
    )


# A word is a run of letters, digits and combining marks. [^\W_] is Python's own
# letters-and-digits class (fast, in C); the marks are added so Thai vowels and
# tone marks stay inside their word. ASCII text, the usual case, takes a simpler path.
_WORD = re.compile(f"(?:[^\\W_]|[{_mark_class()}])+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def _split_words(text: str) -> list[str]:
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def word_matches(text: str) -> Iterator[re.Match[str]]:
    """Where the words of unnormalised text are, as the tokeniser sees word edges."""
    return (_ASCII_WORD if text.isascii() else _WORD).finditer(text)


def tokens(text: str) -> list[str]:
    """Normalise and segment `text`, then split it into runs of letters, marks and digits."""
    return _split_words(segment(normalise(text)))


def is_token(word: str) -> bool:
    """True if `word` could have come out of tokens(): non-empty letters, marks, digits."""
    return _WORD.fullmatch(word) is not None


def index_text(*parts: str) -> str:
    """The text to store in the search index column: all tokens, separated by single spaces."""
    return " ".join(token for part in parts for token in tokens(part))


def warm_up() -> None:
    """Load newmm's dictionary now (about a second) rather than on the first request."""
    _segment_run("ทดสอบภาษาไทย")
