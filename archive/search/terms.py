"""Index terms that answer phrases without word positions.

Every word of a document, and every run of up to TERM_MAX_WORDS adjacent
words, is one term. A phrase of up to that many words is then a single term,
which an inverted index answers from its list of documents alone, where
matching word positions (FTS5's phrases, PostgreSQL's tsvector) re-reads the
positions of every document holding all the words: for "sit on the floor",
in 85% of 100,000 testimonies, 25 ms on SQLite and 280 ms on PostgreSQL.

SQLite builds its terms table with :func:`fts5_terms` (testimonies migration
0015); PostgreSQL computes the same terms in SQL (migration 0014).
"""

from collections.abc import Iterator, Sequence
from typing import Any, Final

__all__ = [
    "RUN_JOINER",
    "TERM_MAX_WORDS",
    "fts5_terms",
    "phrase_terms",
    "provide_sqlite_functions",
    "runs",
]

TERM_MAX_WORDS: Final = 4

# Joins the words of a run into one FTS5 token: a private-use character, which
# the tokenizer keeps inside a token (category Co) and no word ever contains.
RUN_JOINER: Final = "\ue000"

# The SQL name of fts5_terms() in SQLite, used by the terms table's triggers.
SQLITE_TERMS_FUNCTION: Final = "archive_search_terms"


def runs(words: Sequence[str]) -> Iterator[Sequence[str]]:
    """Each word, and each run of 2 to TERM_MAX_WORDS adjacent words."""
    for start in range(len(words)):
        for end in range(start + 1, min(start + TERM_MAX_WORDS, len(words)) + 1):
            yield words[start:end]


def phrase_terms(words: Sequence[str]) -> list[Sequence[str]]:
    """The terms a document must all hold to contain the phrase ``words``.

    A phrase of up to TERM_MAX_WORDS words is one term, and holding it is
    containing the phrase. A longer one gives its runs of TERM_MAX_WORDS words,
    which a document can hold apart: its matches need checking.
    """
    if len(words) <= TERM_MAX_WORDS:
        return [words]
    return [
        words[start : start + TERM_MAX_WORDS] for start in range(len(words) - TERM_MAX_WORDS + 1)
    ]


def fts5_terms(text: str) -> str:
    """The terms of an indexed text (tokens separated by spaces), once each.

    SQLite deletes a row from a contentless FTS5 table by being given again
    what was inserted, so the triggers call this on the old text: a change to
    what it returns must come with a migration that rebuilds the terms table.
    """
    return " ".join(dict.fromkeys(RUN_JOINER.join(run) for run in runs(text.split())))


def provide_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every new SQLite connection fts5_terms(), which the triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_TERMS_FUNCTION, 1, fts5_terms, deterministic=True
        )
