"""Web-search syntax parser: a reader's text in, a ParsedQuery out, free of any database.

Syntax (everything else is a plain word):

- ``word word``: all words must match (AND).
- ``word``: the word in any of its English forms (``shelters`` finds ``shelter``: both
  are Snowball's ``shelter``, see :mod:`archive.search.forms`). Thai is not stemmed.
- ``"exact phrase"``: the words in this order, adjacent, each exactly as typed (a quoted
  single word too: ``"raided"`` does not find ``raid``). A quote with no closing quote
  makes the rest of the text a phrase. Curly quotes count as quotes.
- ``a OR b``: either. Only upper-case ``OR`` between two positive terms is an operator
  (``a OR b c`` is ``(a OR b) AND c``; repeated ``OR OR`` counts once). Otherwise, e.g. at
  the start or end, or next to an exclusion, it is the word "or".
- ``-word``, ``-"phrase"``: exclude. A "-" standing alone is junk and vanishes.
- ``NOT word``, ``NOT "phrase"``: the same as ``-word``. Only upper-case ``NOT`` directly
  before a term is an operator; a ``NOT`` at the end, before another keyword (``NOT NOT x``
  is the word "not" and ``-x``) or before an exclusion is the word "not".
- ``a AND b``: the same as ``a b``. Only upper-case ``AND`` between two terms (either may
  be excluded) is an operator; at the start or end, or next to another keyword, it is the
  word "and". Repeated ``AND AND`` counts once.

Keywords are upper case because people search for the words "not" and "and" in accounts
("I did not agree"); written in capitals they are taken as the operators most search
boxes know.

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

from archive.search.forms import stem
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
    """Tokens that must appear adjacent and in order; a single word is a 1-token phrase.

    ``exact`` (a quoted term) matches the tokens as typed; otherwise any form of
    each English word matches (its ``stems``).
    """

    tokens: tuple[str, ...]
    exact: bool = False

    def __post_init__(self) -> None:
        # Guarantees to_fts5/to_tsquery that nothing but word characters is ever quoted,
        # even for a Phrase built by hand rather than by parse().
        if not self.tokens or not all(isinstance(t, str) and is_token(t) for t in self.tokens):
            raise ValueError(f"Phrase tokens must be non-empty words: {self.tokens!r}")

    @property
    def stems(self) -> tuple[str, ...]:
        """The stem of each token, for matching any of its forms."""
        return tuple(stem(token) for token in self.tokens)


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
    def highlight_tokens(self) -> tuple[str, ...]:
        """Every token of the positive phrases, once each, in query order."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for phrase in group:
                seen.update(dict.fromkeys(phrase.tokens))
        return tuple(seen)

    @property
    def highlight_stems(self) -> frozenset[str]:
        """The stems of the positive phrases not quoted: a word with one of them matched."""
        return frozenset(
            stem
            for group in self.groups
            for phrase in group
            if not phrase.exact
            for stem in phrase.stems
        )


@dataclass(frozen=True, slots=True)
class _Term:
    text: str
    negated: bool = False
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class _Excluded:
    phrase: Phrase


class _Keyword:
    """An upper-case keyword (OR, AND, NOT), before we know whether it is an operator."""

    def __init__(self, word: str) -> None:
        self.word = word

    def as_phrase(self) -> Phrase:
        """The keyword taken as a plain word."""
        return Phrase((self.word.lower(),))


_OR: Final = _Keyword("OR")
_AND: Final = _Keyword("AND")
_NOT: Final = _Keyword("NOT")
_KEYWORDS: Final = {keyword.word: keyword for keyword in (_OR, _AND, _NOT)}

_Item = Phrase | _Excluded | _Keyword


def _lex(text: str) -> Iterator[_Term | _Keyword]:
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
            yield _Term(text[i + 1 : end], negated, quoted=True)
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] not in _QUOTES:
            end += 1
        word = text[i:end]
        keyword = None if negated else _KEYWORDS.get(word)
        yield keyword if keyword is not None else _Term(word, negated)
        i = end


def parse(text: str) -> ParsedQuery:
    """Parse user search text. Raises QueryTooLong; never lets raw text through."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(len(text))

    # Drop terms with no tokens first, so "a OR * b" is still "a OR b".
    items: list[_Item] = []
    for lexeme in _lex(clean(text)):
        if isinstance(lexeme, _Keyword):
            items.append(lexeme)
            continue
        words = tokens(lexeme.text)
        if words:
            phrase = Phrase(tuple(words), exact=lexeme.quoted)
            items.append(_Excluded(phrase) if lexeme.negated else phrase)
    # NOT first, so that "a AND NOT b" has a term on each side of its AND.
    items = _resolve_and(_resolve_not(items))

    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    seen: set[Phrase] = set()
    truncated = False
    join_next = False
    for index, item in enumerate(items):
        if isinstance(item, _Keyword):
            if _is_operator(items, index):
                join_next = True
                continue
            item = item.as_phrase()
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


def _is_operator(items: list[_Item], index: int) -> bool:
    """OR is an operator only with a positive term on each side (ignoring other ORs)."""
    before = next((x for x in reversed(items[:index]) if x is not _OR), None)
    after = next((x for x in items[index + 1 :] if x is not _OR), None)
    return isinstance(before, Phrase) and isinstance(after, Phrase)


def _resolve_not(items: list[_Item]) -> list[_Item]:
    """``NOT term`` becomes the term excluded; any other NOT is the word "not"."""
    resolved: list[_Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        following = items[index + 1] if index + 1 < len(items) else None
        if item is _NOT and isinstance(following, Phrase):
            resolved.append(_Excluded(following))
            index += 2
            continue
        resolved.append(item.as_phrase() if isinstance(item, _Keyword) and item is _NOT else item)
        index += 1
    return resolved


def _resolve_and(items: list[_Item]) -> list[_Item]:
    """AND between two terms is only a space; anywhere else it is the word "and".

    Repeated ANDs between two terms count once, as repeated ORs do.
    """
    resolved: list[_Item] = []
    for index, item in enumerate(items):
        if not isinstance(item, _Keyword) or item is not _AND:
            resolved.append(item)
            continue
        before = next((x for x in reversed(items[:index]) if x is not _AND), None)
        after = next((x for x in items[index + 1 :] if x is not _AND), None)
        if not (isinstance(before, Phrase | _Excluded) and isinstance(after, Phrase | _Excluded)):
            resolved.append(item.as_phrase())
    return resolved


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
