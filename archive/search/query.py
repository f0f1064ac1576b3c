"""Web-search syntax parser and its translation to FTS5 and PostgreSQL tsquery.

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
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from archive.search.terms import RUN_JOINER, TERM_MAX_WORDS, phrase_terms
from archive.search.text import clean, is_token, tokens

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "ParsedQuery",
    "Phrase",
    "QueryTooLong",
    "parse",
    "to_fts5",
    "to_fts5_terms",
    "to_terms_tsquery",
    "to_tsquery",
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
        """At least one group: required by to_fts5() and to_tsquery()."""
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
    for item in _lex(clean(text)):
        if isinstance(item, _Or):
            items.append(item)
            continue
        words = tokens(item.text)
        if words:
            phrase = Phrase(tuple(words))
            items.append(_Excluded(phrase) if item.negated else phrase)

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


def _check(parsed: ParsedQuery) -> None:
    if not parsed.has_positive:
        raise ValueError("The query has no positive terms; handle exclusion-only queries apart.")


def _fts5_phrase(phrase: Phrase) -> str:
    # Tokens are word characters only (see Phrase), so the doubling is belt and braces.
    # One quoted string of space-separated tokens is an FTS5 phrase.
    return '"' + " ".join(phrase.tokens).replace('"', '""') + '"'


def _fts5_term(phrase: Phrase) -> str:
    # A phrase of up to TERM_MAX_WORDS words is one term of the terms table.
    return '"' + RUN_JOINER.join(phrase.tokens).replace('"', '""') + '"'


def _fts5_group(group: tuple[Phrase, ...], render: Callable[[Phrase], str]) -> str:
    if len(group) == 1:
        return render(group[0])
    return "(" + " OR ".join(render(p) for p in group) + ")"


def _fts5(parsed: ParsedQuery, render: Callable[[Phrase], str]) -> str:
    _check(parsed)
    positive = " AND ".join(_fts5_group(group, render) for group in parsed.groups)
    if not parsed.excluded:
        return positive
    if len(parsed.groups) > 1:
        # FTS5's NOT is binary and binds tighter than AND: "a AND b NOT c" is a AND (b NOT c).
        positive = f"({positive})"
    return positive + "".join(f" NOT {render(p)}" for p in parsed.excluded)


def to_fts5(parsed: ParsedQuery) -> str:
    """An SQLite FTS5 MATCH expression; every token is inside a double-quoted string.

    Thai vowels and tone marks are category Mn, which FTS5's default unicode61 treats as
    separators: declare the table with ``tokenize="unicode61 categories 'L* M* N* Co'"``
    so it keeps our tokens whole.
    """
    return _fts5(parsed, _fts5_phrase)


def to_fts5_terms(parsed: ParsedQuery) -> str | None:
    """The same expression over SQLite's terms table, where each phrase is one term.

    None when a phrase is longer than the runs of words the table holds: only
    word positions can tell whether such a phrase is there.
    """
    if parsed.has_phrase_longer_than_a_term:
        return None
    return _fts5(parsed, _fts5_term)


def _ts_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(phrase: Phrase) -> str:
    if len(phrase.tokens) == 1:
        return _ts_lexeme(phrase.tokens[0])
    return "(" + " <-> ".join(_ts_lexeme(t) for t in phrase.tokens) + ")"


def _ts_group(group: tuple[Phrase, ...]) -> str:
    if len(group) == 1:
        return _ts_phrase(group[0])
    return "(" + " | ".join(_ts_phrase(p) for p in group) + ")"


def to_tsquery(parsed: ParsedQuery) -> str:
    """A query for PostgreSQL ``to_tsquery('simple', %s)``; every lexeme single-quoted."""
    _check(parsed)
    parts = [_ts_group(group) for group in parsed.groups]
    parts.extend(f"!{_ts_phrase(p)}" for p in parsed.excluded)
    return " & ".join(parts)


# PostgreSQL's limit on a lexeme: the terms index leaves longer terms out, and a
# query cannot even name one. The length limit on a query does not keep terms
# below it, as NFKC can make four characters of one ("\u3300" is "アパート").
MAX_TERM_BYTES: Final = 2047
# A lexeme in no document (no term starts with a space), standing for a term
# too long to be indexed.
_UNINDEXABLE_TERM: Final = "' unindexable'"


def _terms_lexeme(term: Sequence[str]) -> str:
    text = " ".join(term)
    return _ts_lexeme(text) if len(text.encode()) <= MAX_TERM_BYTES else _UNINDEXABLE_TERM


def _terms_phrase(phrase: Phrase) -> str:
    lexemes = [_terms_lexeme(term) for term in phrase_terms(phrase.tokens)]
    return lexemes[0] if len(lexemes) == 1 else "(" + " & ".join(lexemes) + ")"


def to_terms_tsquery(parsed: ParsedQuery) -> tuple[str, bool]:
    """A query over PostgreSQL's terms index, for a plain ``%s::tsquery`` cast.

    Also says whether matches must still be checked against the text: a phrase
    longer than TERM_MAX_WORDS becomes the runs it is made of, and they can all
    be in a document without being one phrase. So an excluded long phrase is
    left out here, or it would exclude too much; the check excludes it.
    """
    _check(parsed)
    parts = [
        "(" + " | ".join(_terms_phrase(phrase) for phrase in group) + ")" for group in parsed.groups
    ]
    parts.extend(
        f"!{_terms_phrase(phrase)}"
        for phrase in parsed.excluded
        if len(phrase.tokens) <= TERM_MAX_WORDS
    )
    return " & ".join(parts), parsed.has_phrase_longer_than_a_term
