"""How big a seeded archive is, and its search indexes, against the text they index.

Run from the project root on a seeded benchmark database (it only reads):

    .venv/bin/python bench/corpus_sizes.py var/bench-10k.sqlite3
    .venv/bin/python bench/corpus_sizes.py postgres://postgres@127.0.0.1:5432/archive_bench_10k

Prints a Markdown table of sizes in MB and as a multiple of the indexed text
(``testimonies_searchdocument.text``, UTF-8). SQLite: the file, the
testimonies table, the stored search documents (the indexed text and, since
testimonies migration 0020, its stems), the positional FTS5 index
(``testimonies_searchdocument_fts``) and, on a database from before 0020, the
table of runs of words (``testimonies_searchdocument_terms``), each with its
shadow tables and indexes, from SQLite's own page counts (``dbstat``), and how
many distinct terms each index holds. PostgreSQL: the database, the
testimonies table with its TOAST and indexes, the search documents (text,
stems and tsvector), the bytes of each of their columns, each index of the
search documents, and the vocabulary of words for spelling suggestions.
"""

import argparse
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

FTS = "testimonies_searchdocument_fts"
TERMS = "testimonies_searchdocument_terms"
# Each row: what the table shows, and the tables (by name prefix) it adds up.
SQLITE_GROUPS = (
    ("testimonies table (title, body and their sources) and its indexes", "testimonies_testimony"),
    ("indexed text (`testimonies_searchdocument`)", "testimonies_searchdocument"),
    (f"positional FTS5 index (`{FTS}`)", FTS),
    (f"runs of up to four words (`{TERMS}`)", TERMS),
)
# PostgreSQL: what the table shows, and the size expression; then each index of the
# search documents (the runs-of-words GIN index, `testimonies_searchdocument_terms`).
POSTGRES_ROWS = (
    ("the whole database", "pg_database_size(current_database())"),
    (
        "testimonies table (title, body and their sources), TOAST and indexes",
        "pg_total_relation_size('testimonies_testimony')",
    ),
    (
        "search documents: text and stored tsvector (`testimonies_searchdocument`, with TOAST)",
        "pg_table_size('testimonies_searchdocument')",
    ),
)
MB = 1_000_000


def _sqlite_sizes(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes per table, its indexes included, from SQLite's page accounting."""
    owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_schema"))
    out: dict[str, int] = {}
    for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        table = owner.get(name, name)  # sqlite_schema is not listed in itself
        out[table] = out.get(table, 0) + int(size)
    return out


def _group_of(name: str) -> str:
    # Longest prefix first: the FTS tables' names start with the search document's.
    for label, prefix in sorted(SQLITE_GROUPS, key=lambda g: -len(g[1])):
        if name == prefix or name.startswith(prefix + "_"):
            return label
    return "everything else"


def _distinct_terms(conn: sqlite3.Connection, table: str) -> int:
    conn.execute(f"CREATE VIRTUAL TABLE temp.vocab_{table} USING fts5vocab(main, {table}, 'row')")
    return int(conn.execute(f"SELECT count(*) FROM temp.vocab_{table}").fetchone()[0])


def _row(label: str, size: int, text_bytes: int) -> str:
    return f"| {label} | {size / MB:.1f} | {size / text_bytes:.2f} |"


def sqlite_report(path: Path) -> list[str]:
    if not path.exists():
        raise SystemExit(f"{path} does not exist")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
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
        for name, size in _sqlite_sizes(conn).items():
            per_group[_group_of(name)] = per_group.get(_group_of(name), 0) + size
        stems_bytes = 0
        columns = {row[1] for row in conn.execute("PRAGMA table_info(testimonies_searchdocument)")}
        if "stems" in columns:
            stems_bytes = conn.execute(
                "SELECT sum(length(CAST(stems AS BLOB))) FROM testimonies_searchdocument"
            ).fetchone()[0]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
        words = _distinct_terms(conn, FTS)
        runs = _distinct_terms(conn, TERMS) if TERMS in tables else None
    lines = _header(testimonies, body_bytes, text_bytes)
    lines.append(_row("the whole file", file_bytes, text_bytes))
    for label, _prefix in SQLITE_GROUPS:
        lines.append(_row(label, per_group.get(label, 0), text_bytes))
    lines.append(_row("everything else", per_group.get("everything else", 0), text_bytes))
    lines.append(_row("free pages", free_bytes, text_bytes))
    lines.append(_row("stems column (inside the search documents above)", stems_bytes, text_bytes))
    indexes = per_group.get(SQLITE_GROUPS[2][0], 0) + per_group.get(SQLITE_GROUPS[3][0], 0)
    lines.append(
        _row(
            "**all search indexes: FTS5, runs of words, stems column**",
            indexes + stems_bytes,
            text_bytes,
        )
    )
    lines += ["", f"Distinct terms: {words} in the FTS5 index (words and stems)"]
    if runs is not None:
        lines[-1] += f", {runs} words and runs of words in the terms table"
    lines[-1] += "."
    return lines


def postgres_report(url: str) -> list[str]:
    import psycopg  # the archive's own driver (requirements.txt)

    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), sum(octet_length(body)) FROM testimonies_testimony",
        )
        testimonies, body_bytes = cursor.fetchone() or (0, 0)
        cursor.execute("SELECT sum(octet_length(text)) FROM testimonies_searchdocument")
        text_bytes = (cursor.fetchone() or (0,))[0]
        sizes = []
        for label, expression in POSTGRES_ROWS:
            cursor.execute(f"SELECT {expression}")
            sizes.append((label, int((cursor.fetchone() or (0,))[0])))
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'testimonies_searchdocument'"
        )
        stored = ("text", "stems", "tsv", "head_tsv")
        columns = [row[0] for row in cursor.fetchall() if row[0] in stored]
        for column in columns:
            # pg_column_size: the bytes stored, after TOAST compression.
            cursor.execute(f"SELECT sum(pg_column_size({column})) FROM testimonies_searchdocument")
            sizes.append((f"column `{column}` as stored", int((cursor.fetchone() or (0,))[0] or 0)))
        cursor.execute(
            "SELECT indexname, pg_relation_size(format('%I', indexname)::regclass) "
            "FROM pg_indexes WHERE tablename = 'testimonies_searchdocument' ORDER BY indexname"
        )
        indexes = [(f"index `{name}`", int(size)) for name, size in cursor.fetchall()]
        # The vocabulary for spelling suggestions (testimonies migration 0025), with its key.
        cursor.execute(
            "SELECT coalesce(pg_total_relation_size(to_regclass('testimonies_searchword')), 0)"
        )
        vocabulary = int((cursor.fetchone() or (0,))[0])
        if vocabulary:
            indexes.append(
                ("vocabulary table `testimonies_searchword`, with its index", vocabulary)
            )
        sizes += indexes
        search = sum(size for _label, size in indexes if "pkey" not in _label) + sum(
            size
            for label, size in sizes
            if label
            in ("column `stems` as stored", "column `tsv` as stored", "column `head_tsv` as stored")
        )
        sizes.append(
            (
                "**all search indexes: GIN indexes, vocabulary, stored stems and tsvector**",
                search,
            )
        )
    lines = _header(testimonies, int(body_bytes), int(text_bytes))
    lines += [_row(label, size, int(text_bytes)) for label, size in sizes]
    return lines


def _header(testimonies: int, body_bytes: int, text_bytes: int) -> list[str]:
    return [
        f"{testimonies} testimonies; bodies {body_bytes / MB:.1f} MB of UTF-8, "
        f"indexed text {text_bytes / MB:.1f} MB (the ratios below are to this)",
        "",
        "| what | MB | size / indexed text |",
        "|---|---|---|",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("database", help="a seeded SQLite file, or a postgres:// URL")
    args = parser.parse_args()
    if args.database.startswith(("postgres://", "postgresql://")):
        lines = postgres_report(args.database)
    else:
        lines = sqlite_report(Path(args.database))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
