"""How big a seeded SQLite archive is, and its search indexes, against the text they index.

Run from the project root on a seeded benchmark database (read only):

    .venv/bin/python bench/corpus_sizes.py var/bench-10k.sqlite3

Prints a Markdown table: the file, the testimonies table, the indexed text,
the positional FTS5 index (``testimonies_searchdocument_fts``) and the table of
runs of words (``testimonies_searchdocument_terms``), each with its shadow
tables and indexes, in MB and as a multiple of the indexed text's size; and
how many distinct words and runs of words each index holds. Sizes are
SQLite's own page counts (the ``dbstat`` table), so free pages are counted
apart.
"""

import argparse
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

FTS = "testimonies_searchdocument_fts"
TERMS = "testimonies_searchdocument_terms"
# Each row: what the table shows, and the tables/indexes (by name prefix) it adds up.
GROUPS = (
    ("testimonies table (title, body and their sources) and its indexes", "testimonies_testimony"),
    ("indexed text (`testimonies_searchdocument`)", "testimonies_searchdocument"),
    (f"positional FTS5 index (`{FTS}`)", FTS),
    (f"runs of up to four words (`{TERMS}`)", TERMS),
)
MB = 1_000_000


def sizes(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes per table, its indexes included, from SQLite's page accounting."""
    owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_schema"))
    out: dict[str, int] = {}
    for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        table = owner.get(name, name)  # sqlite_schema is not listed in itself
        out[table] = out.get(table, 0) + int(size)
    return out


def group_of(name: str) -> str | None:
    # Longest prefix first: the FTS tables' names start with the search document's.
    for label, prefix in sorted(GROUPS, key=lambda g: -len(g[1])):
        if name == prefix or name.startswith(prefix + "_"):
            return label
    return None


def distinct_terms(conn: sqlite3.Connection, table: str) -> int:
    conn.execute(f"CREATE VIRTUAL TABLE temp.vocab_{table} USING fts5vocab(main, {table}, 'row')")
    return int(conn.execute(f"SELECT count(*) FROM temp.vocab_{table}").fetchone()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("database", type=Path, help="a seeded SQLite file")
    args = parser.parse_args()
    if not args.database.exists():
        raise SystemExit(f"{args.database} does not exist")
    with closing(sqlite3.connect(f"file:{args.database}?mode=ro", uri=True)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        file_bytes = conn.execute("PRAGMA page_count").fetchone()[0] * page_size
        free_bytes = conn.execute("PRAGMA freelist_count").fetchone()[0] * page_size
        testimonies, body_bytes = conn.execute(
            "SELECT count(*), sum(length(CAST(body AS BLOB))) FROM testimonies_testimony"
        ).fetchone()
        text_bytes = conn.execute(
            "SELECT sum(length(CAST(text AS BLOB))) FROM testimonies_searchdocument"
        ).fetchone()[0]
        per_group: dict[str, int] = {}
        for name, size in sizes(conn).items():
            label = group_of(name) or "everything else"
            per_group[label] = per_group.get(label, 0) + size
        words = distinct_terms(conn, FTS)
        runs = distinct_terms(conn, TERMS)

    print(f"{testimonies} testimonies; bodies {body_bytes / MB:.1f} MB of UTF-8, ", end="")
    print(f"indexed text {text_bytes / MB:.1f} MB (the ratios below are to this)")
    print()
    print("| what | MB | size / indexed text |")
    print("|---|---|---|")
    print(f"| the whole file | {file_bytes / MB:.1f} | {file_bytes / text_bytes:.2f} |")
    for label, _prefix in GROUPS:
        size = per_group.get(label, 0)
        print(f"| {label} | {size / MB:.1f} | {size / text_bytes:.2f} |")
    other = per_group.get("everything else", 0)
    print(f"| everything else | {other / MB:.1f} | {other / text_bytes:.2f} |")
    print(f"| free pages | {free_bytes / MB:.1f} | {free_bytes / text_bytes:.2f} |")
    print()
    print(
        f"Distinct terms: {words} words in the FTS5 index, "
        f"{runs} words and runs of words in the terms table."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
