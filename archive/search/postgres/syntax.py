"""A ParsedQuery written as a PostgreSQL tsquery; every lexeme single-quoted."""

from collections.abc import Sequence
from typing import Final

from archive.search.query import ParsedQuery, Phrase, require_positive
from archive.search.terms import TERM_MAX_WORDS, phrase_terms

__all__ = ["MAX_TERM_BYTES", "to_terms_tsquery", "to_tsquery", "ts_lexeme"]


def ts_lexeme(token: str) -> str:
    """A token as one single-quoted tsquery lexeme."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(phrase: Phrase) -> str:
    if len(phrase.tokens) == 1:
        return ts_lexeme(phrase.tokens[0])
    return "(" + " <-> ".join(ts_lexeme(t) for t in phrase.tokens) + ")"


def _ts_group(group: tuple[Phrase, ...]) -> str:
    if len(group) == 1:
        return _ts_phrase(group[0])
    return "(" + " | ".join(_ts_phrase(p) for p in group) + ")"


def to_tsquery(parsed: ParsedQuery) -> str:
    """A query for PostgreSQL ``to_tsquery('simple', %s)``; every lexeme single-quoted."""
    require_positive(parsed)
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
    return ts_lexeme(text) if len(text.encode()) <= MAX_TERM_BYTES else _UNINDEXABLE_TERM


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
    require_positive(parsed)
    parts = [
        "(" + " | ".join(_terms_phrase(phrase) for phrase in group) + ")" for group in parsed.groups
    ]
    parts.extend(
        f"!{_terms_phrase(phrase)}"
        for phrase in parsed.excluded
        if len(phrase.tokens) <= TERM_MAX_WORDS
    )
    return " & ".join(parts), parsed.has_phrase_longer_than_a_term
