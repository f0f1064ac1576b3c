"""A ParsedQuery written as an SQLite FTS5 MATCH expression; every token quoted."""

from collections.abc import Callable

from archive.search.query import ParsedQuery, Phrase, require_positive
from archive.search.terms import RUN_JOINER

__all__ = ["to_fts5", "to_fts5_terms"]


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
    require_positive(parsed)
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
