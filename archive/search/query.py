"""Web-search syntax parser: a reader's text in, a ParsedQuery out, free of any database.

Syntax (everything else is a plain word):

- ``word word``: all words must match (AND).
- ``"exact phrase"``: the words in this order, adjacent. A quote with no closing quote
  makes the rest of the text a phrase. Curly quotes count as quotes.
- ``a OR b``: either. Only upper-case ``OR`` between two positive terms is an operator
  (``a OR b c`` is ``(a OR b) AND c``; repeated ``OR OR`` counts once). Otherwise, e.g. at
  the start or end, or next to an exclusion, it is the word "or".
- ``-word``, ``-"phrase"``: exclude. A "-" standing alone is junk and vanishes.

Terms are reduced to tokens with :func:`archive.search.text.tokens`, so operators of the
database syntaxes (``*``, ``^``, ``:``, ``NEAR(...)``, ``&``, ``!``, ``<->``, quotes,
backslashes) lose their punctuation and never reach the database. A term of several
tokens (``anti-trafficking``, a Thai compound, mixed Thai and English) becomes a phrase.

Each database writes a ParsedQuery in its own syntax, in its own package:
``archive.search.sqlite.syntax`` (FTS5) and ``archive.search.postgres.syntax`` (tsquery).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from archive.search.terms import TERM_MAX_WORDS
from archive.search.text import clean, is_token, tokens

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "ParsedQuery",
    "Phrase",
    "QueryTooLong",
    "parse",
    "require_positive",
]

MAX_QUERY_LENGTH: Final = 500
MAX_TERMS: Final = 32

# NFKC is not applied before lexing, so list the quotes people actually type (phones
# turn " into curly quotes); the fullwidth quote is included for IME users.
_QUOTES: Final = frozenset('"\u201c\u201d\u201e\uff02')


class QueryTooLong(ValueError):
    """The search text exceeds MAX_QUERY_LENGTH characters."""

    def __init__(self, length: int) -> None:
        self.length = length
        super().__init__(
            f"Your search is too long ({length} characters). "
            f"Please use at most {MAX_QUERY_LENGTH} characters."
        )


@dataclass(frozen=True, slots=True)
class Phrase:
    """Tokens that must appear adjacent and in order; a single word is a 1-token phrase."""

    tokens: tuple[str, ...]

    def __post_init__(self) -> None:
        # Guarantees to_fts5/to_tsquery that nothing but word characters is ever quoted,
        # even for a Phrase built by hand rather than by parse().
        if not self.tokens or not all(isinstance(t, str) and is_token(t) for t in self.tokens):
            raise ValueError(f"Phrase tokens must be non-empty words: {self.tokens!r}")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """Groups are AND-ed; the phrases inside a group are OR-ed; `excluded` are NOT-ed."""

    groups: tuple[tuple[Phrase, ...], ...] = ()
    excluded: tuple[Phrase, ...] = ()
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        """Nothing to search for and nothing to exclude."""
        return not self.groups and not self.excluded

    @property
    def has_positive(self) -> bool:
        """At least one group: required by every database syntax (see require_positive)."""
        return bool(self.groups)

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        """Every phrase, looked for or excluded."""
        return (*(phrase for group in self.groups for phrase in group), *self.excluded)

    @property
    def has_phrase_longer_than_a_term(self) -> bool:
        """A phrase longer than the runs of words the engines index as one term."""
        return any(len(phrase.tokens) > TERM_MAX_WORDS for phrase in self.phrases)

    @property
    def highlight_tokens(self) -> tuple[str, ...]:
        """Every token of the positive phrases, once each, in query order."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for phrase in group:
                seen.update(dict.fromkeys(phrase.tokens))
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class _Excluded:
    phrase: Phrase


class _Or:
    """The upper-case OR keyword, before we know whether it is an operator."""


_OR: Final = _Or()


def _lex(text: str) -> Iterator[_Term | _Or]:
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = ch == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
            ch = text[i]
        if ch in _QUOTES:
            end = i + 1
            while end < n and text[end] not in _QUOTES:
                end += 1
            # Without a closing quote the rest of the text is the phrase.
            yield _Term(text[i + 1 : end], negated)
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] not in _QUOTES:
            end += 1
        word = text[i:end]
        yield _OR if word == "OR" and not negated else _Term(word, negated)
        i = end


def parse(text: str) -> ParsedQuery:
    """Parse user search text. Raises QueryTooLong; never lets raw text through."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(len(text))

    # Drop terms with no tokens first, so "a OR * b" is still "a OR b".
    items: list[Phrase | _Excluded | _Or] = []
    for lexeme in _lex(clean(text)):
        if isinstance(lexeme, _Or):
            items.append(lexeme)
            continue
        words = tokens(lexeme.text)
        if words:
            phrase = Phrase(tuple(words))
            items.append(_Excluded(phrase) if lexeme.negated else phrase)

    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    seen: set[Phrase] = set()
    truncated = False
    join_next = False
    for index, item in enumerate(items):
        if isinstance(item, _Or):
            if _is_operator(items, index):
                join_next = True
                continue
            item = Phrase(("or",))
        negated = isinstance(item, _Excluded)
        phrase = item.phrase if isinstance(item, _Excluded) else item
        if phrase not in seen:
            if len(seen) >= MAX_TERMS:
                truncated = True
                break
            seen.add(phrase)
        if negated:
            if phrase not in excluded:
                excluded.append(phrase)
        elif join_next and groups:
            if phrase not in groups[-1]:
                groups[-1].append(phrase)
        else:
            groups.append([phrase])
        join_next = False

    return ParsedQuery(
        groups=_simplify(groups),
        excluded=tuple(excluded),
        truncated=truncated,
    )


def _is_operator(items: list[Phrase | _Excluded | _Or], index: int) -> bool:
    """OR is an operator only with a positive term on each side (ignoring other ORs)."""
    before = next((x for x in reversed(items[:index]) if not isinstance(x, _Or)), None)
    after = next((x for x in items[index + 1 :] if not isinstance(x, _Or)), None)
    return isinstance(before, Phrase) and isinstance(after, Phrase)


def _simplify(groups: list[list[Phrase]]) -> tuple[tuple[Phrase, ...], ...]:
    """Drop repeated groups and groups implied by another: a AND (a OR b) is just a."""
    sets = [frozenset(group) for group in groups]
    kept = []
    for i, group in enumerate(groups):
        redundant = any(
            other < sets[i] or (other == sets[i] and j < i) for j, other in enumerate(sets)
        )
        if not redundant:
            kept.append(tuple(group))
    return tuple(kept)


def require_positive(parsed: ParsedQuery) -> None:
    """Refuse a query with nothing to look for: no database syntax can write a lone NOT."""
    if not parsed.has_positive:
        raise ValueError("The query has no positive terms; handle exclusion-only queries apart.")
