"""A ParsedQuery written as an SQLite FTS5 MATCH expression; every token quoted."""

from archive.search.query import ParsedQuery, Phrase, require_positive

__all__ = ["EXACT_COLUMN", "STEMS_COLUMN", "to_fts5"]

# The FTS5 table's two columns (testimonies migration 0020): the tokens as
# written, for quoted terms, and their stems, for every other term.
EXACT_COLUMN = "text"
STEMS_COLUMN = "stems"


def _fts5_phrase(phrase: Phrase) -> str:
    # Tokens are word characters only (see Phrase), so the doubling is belt and braces.
    # One quoted string of space-separated tokens is an FTS5 phrase, and the column
    # filter {column} keeps it to the tokens as written or to their stems.
    column, words = (EXACT_COLUMN, phrase.tokens) if phrase.exact else (STEMS_COLUMN, phrase.stems)
    return "{" + column + '} : "' + " ".join(words).replace('"', '""') + '"'


def _fts5_group(group: tuple[Phrase, ...]) -> str:
    if len(group) == 1:
        return _fts5_phrase(group[0])
    return "(" + " OR ".join(_fts5_phrase(p) for p in group) + ")"


def to_fts5(parsed: ParsedQuery) -> str:
    """An SQLite FTS5 MATCH expression; every token is inside a double-quoted string.

    Thai vowels and tone marks are category Mn, which FTS5's default unicode61 treats as
    separators: declare the table with ``tokenize="unicode61 categories 'L* M* N* Co'"``
    so it keeps our tokens whole.
    """
    require_positive(parsed)
    positive = " AND ".join(_fts5_group(group) for group in parsed.groups)
    if not parsed.excluded:
        return positive
    if len(parsed.groups) > 1:
        # FTS5's NOT is binary and binds tighter than AND: "a AND b NOT c" is a AND (b NOT c).
        positive = f"({positive})"
    return positive + "".join(f" NOT {_fts5_phrase(p)}" for p in parsed.excluded)
