"""A ParsedQuery written as a PostgreSQL tsquery; every lexeme single-quoted."""

from typing import Final

from archive.search.query import ParsedQuery, Phrase, require_positive

__all__ = ["MAX_TERM_BYTES", "to_index_tsquery", "to_tsquery", "ts_lexeme"]

# PostgreSQL's limit on a lexeme: a tsvector leaves longer words out, and a query
# cannot even name one. The length limit on a query does not keep words below it,
# as NFKC can make four characters of one ("\u3300" is "アパート").
MAX_TERM_BYTES: Final = 2047
# A lexeme in no document (no lexeme starts with a space), standing for a word
# too long to be indexed.
_UNINDEXABLE: Final = "' unindexable'"


def ts_lexeme(token: str) -> str:
    """A token as one single-quoted tsquery lexeme."""
    if len(token.encode()) > MAX_TERM_BYTES:
        return _UNINDEXABLE
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(phrase: Phrase) -> str:
    # The stems even of a quoted phrase: the tsvector holds stems only, and the
    # tokens as written are then checked on the text (see the engine).
    lexemes = [ts_lexeme(stem) for stem in phrase.stems]
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"


def _ts_group(group: tuple[Phrase, ...]) -> str:
    if len(group) == 1:
        return _ts_phrase(group[0])
    return "(" + " | ".join(_ts_phrase(p) for p in group) + ")"


def to_tsquery(parsed: ParsedQuery) -> str:
    """A query for ``%s::tsquery`` over the stems' tsvector, for ranking."""
    require_positive(parsed)
    parts = [_ts_group(group) for group in parsed.groups]
    parts.extend(f"!{_ts_phrase(p)}" for p in parsed.excluded)
    return " & ".join(parts)


def _index_phrase(phrase: Phrase) -> str:
    lexemes = [ts_lexeme(stem) for stem in dict.fromkeys(phrase.stems)]
    return lexemes[0] if len(lexemes) == 1 else "(" + " & ".join(lexemes) + ")"


def needs_text_check(phrase: Phrase) -> bool:
    """Word positions or the words as written decide: the index alone cannot."""
    return phrase.exact or len(phrase.tokens) > 1


def to_index_tsquery(parsed: ParsedQuery) -> str:
    """A query the GIN index answers without positions: each phrase as all its stems.

    It finds every match and possibly more (the stems apart, or in other forms
    than quoted); the engine checks those on the text. So only an excluded
    single word not quoted is excluded here; other exclusions would exclude too
    much, and the check excludes them.
    """
    require_positive(parsed)
    parts = [
        "(" + " | ".join(_index_phrase(phrase) for phrase in group) + ")" for group in parsed.groups
    ]
    parts.extend(
        f"!{_index_phrase(phrase)}" for phrase in parsed.excluded if not needs_text_check(phrase)
    )
    return " & ".join(parts)
