"""Grow a seeded SQLite archive to N published testimonies by copying rows in SQL.

    .venv/bin/python bench/grow_corpus.py var/bench-2k.sqlite3 --testimonies 100000

For benchmarks of the facet columns when ``seed_synthetic`` is too slow (on a
machine shared with other work it wrote 20 testimonies a second). Each copy
of a testimony keeps every facet value, date, clause link, violation and raid
link of its original, under a new id and public id. The copies get no search
document: a word search finds only the originals, while the facet columns,
the counts and a search without words (or with facets only) cover every
copy. Say so next to any figure measured on such a file.
"""

import argparse
import sqlite3
from pathlib import Path

TESTIMONY = "testimonies_testimony"
# Tables whose rows belong to one testimony (copied with it), and the column naming it.
LINKS = {
    "testimonies_testimonyclause": "testimony_id",
    "testimonies_rightsviolation": "testimony_id",
    "testimonies_raidincident_testimonies": "testimony_id",
}
# Unique per testimony: given a new value, or left empty.
RENUMBERED = {"public_id": "'T-' || ({id})", "external_ref": "NULL", "import_key": "NULL"}


def columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def copy_round(db: sqlite3.Connection, shift: int, originals: int) -> None:
    names = columns(db, TESTIMONY)
    values = []
    for name in names:
        if name == "id":
            values.append(f"id + {shift}")
        elif name in RENUMBERED:
            values.append(RENUMBERED[name].format(id=f"id + {shift}"))
        else:
            values.append(name)
    db.execute(
        f"INSERT INTO {TESTIMONY} ({', '.join(names)}) SELECT {', '.join(values)} "
        f"FROM {TESTIMONY} WHERE id <= {originals} AND status = 'published' "
        "AND public_id IS NOT NULL"
    )
    for table, column in LINKS.items():
        names = [name for name in columns(db, table) if name != "id"]
        values = [f"{name} + {shift}" if name == column else name for name in names]
        db.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {table} "
            f"WHERE {column} <= {originals} AND {column} + {shift} IN (SELECT id FROM {TESTIMONY})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--testimonies", type=int, required=True)
    args = parser.parse_args()
    db = sqlite3.connect(args.file, isolation_level=None)
    originals = db.execute(f"SELECT max(id) FROM {TESTIMONY}").fetchone()[0]
    published = f"SELECT count(*) FROM {TESTIMONY} WHERE status = 'published'"
    round_ = 1
    while db.execute(published).fetchone()[0] < args.testimonies:
        db.execute("BEGIN")
        copy_round(db, round_ * originals, originals)
        db.execute("COMMIT")
        round_ += 1
    # Trim the last round's excess, newest first, so the count is exact.
    excess = db.execute(published).fetchone()[0] - args.testimonies
    if excess > 0:
        db.execute("BEGIN")
        doomed = f"SELECT id FROM {TESTIMONY} ORDER BY id DESC LIMIT {excess}"
        for table, column in LINKS.items():
            db.execute(f"DELETE FROM {table} WHERE {column} IN ({doomed})")
        db.execute(f"DELETE FROM {TESTIMONY} WHERE id IN ({doomed})")
        db.execute("COMMIT")
    # The next public id must come after the copies'.
    top = db.execute(f"SELECT max(id) FROM {TESTIMONY}").fetchone()[0]
    db.execute("UPDATE testimonies_publicidcounter SET last_number = ? WHERE prefix = 'T'", (top,))
    print(f"{db.execute(published).fetchone()[0]} published testimonies in {args.file}")


if __name__ == "__main__":
    main()
