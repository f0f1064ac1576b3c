"""A ParsedQuery written as an SQLite FTS5 MATCH expression; every token quoted."""

from archive.search.query import ParsedQuery, Phrase, require_positive

__all__ = ["EXACT_COLUMN", "HEAD_COLUMN", "STEMS_COLUMN", "to_fts5", "to_fts5_head"]

# The FTS5 table's columns (testimonies migrations 0020 and 0024): the tokens as
# written, for quoted terms, and their stems, for every other term; and the stems
# of the head (title, pseudonym, summary) alone, to weigh them more.
EXACT_COLUMN = "text"
STEMS_COLUMN = "stems"
HEAD_COLUMN = "head"


def _fts5_phrase(phrase: Phrase, *, ranked: bool = False) -> str:
    # Tokens are word characters only (see Phrase), so the doubling is belt and braces.
    # One quoted string of space-separated tokens is an FTS5 phrase, and the column
    # filter {column} keeps it to the tokens as written or to their stems. Ranked,
    # a term not quoted is also looked for in the head, whose stems are also in the
    # stems column: the same documents match, and bm25 counts the head's hits apart.
    if phrase.exact:
        column, words = EXACT_COLUMN, phrase.tokens
    else:
        column = f"{STEMS_COLUMN} {HEAD_COLUMN}" if ranked else STEMS_COLUMN
        words = phrase.stems
    return "{" + column + '} : "' + " ".join(words).replace('"', '""') + '"'


def _fts5_group(group: tuple[Phrase, ...], *, ranked: bool = False) -> str:
    if len(group) == 1:
        return _fts5_phrase(group[0], ranked=ranked)
    return "(" + " OR ".join(_fts5_phrase(p, ranked=ranked) for p in group) + ")"


def to_fts5_head(parsed: ParsedQuery) -> str:
    """Documents with any of the query's phrases in their head (as stems, even quoted)."""
    require_positive(parsed)
    phrases = [
        "{" + HEAD_COLUMN + '} : "' + " ".join(p.stems).replace('"', '""') + '"'
        for group in parsed.groups
        for p in group
    ]
    return " OR ".join(phrases)


def to_fts5(parsed: ParsedQuery, *, ranked: bool = False) -> str:
    """An SQLite FTS5 MATCH expression; every token is inside a double-quoted string.

    Thai vowels and tone marks are category Mn, which FTS5's default unicode61 treats as
    separators: declare the table with ``tokenize="unicode61 categories 'L* M* N* Co'"``
    so it keeps our tokens whole. ``ranked`` gives the same matches, with the
    head's hits of terms not quoted counted in the head column too, for bm25.
    """
    require_positive(parsed)
    positive = " AND ".join(_fts5_group(group, ranked=ranked) for group in parsed.groups)
    if not parsed.excluded:
        return positive
    if len(parsed.groups) > 1:
        # FTS5's NOT is binary and binds tighter than AND: "a AND b NOT c" is a AND (b NOT c).
        positive = f"({positive})"
    return positive + "".join(f" NOT {_fts5_phrase(p)}" for p in parsed.excluded)
