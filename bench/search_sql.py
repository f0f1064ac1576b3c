"""The SQL each benchmark request sends, from two checkouts, compared statement by statement.

What a search costs the database server is the SQL it is sent: where two
checkouts send the same statements for every request of the benchmark's mix,
the server does the same work for both, whatever changed in the Python around
them. For PostgreSQL, whose work happens outside the app's process (so
``search_instructions.py`` does not count it). Each checkout runs on its own
database, migrated by its own migrations, with the sample archive loaded:

    .venv/bin/python bench/search_sql.py \
        --checkout before=../bench-before --database before=postgres://postgres@127.0.0.1/sql_a \
        --checkout after=. --database after=postgres://postgres@127.0.0.1/sql_b

Prints how many statements are the same, and for the others how they differ
(a difference only in the columns a SELECT reads is reported as such).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

SELECT_LIST = re.compile(r"^SELECT (.*?) FROM ", re.S)


def _inner(app_dir: Path) -> None:
    """Every request of the mix, once; print the SQL each sent, as JSON."""
    os.chdir(app_dir)
    sys.path[:0] = [str(app_dir), str(app_dir / "bench")]
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from search_bench import QUERIES

    setup_test_environment()
    client = Client()
    client.get("/testimonies/?q=police")  # the facet build, before anything is counted
    sent = {}
    for query in QUERIES:
        with CaptureQueriesContext(connection) as captured:
            client.get(query.archive_path())
        sent[query.archive_path()] = [entry["sql"] for entry in captured.captured_queries]
    print(json.dumps(sent))


def statements(app_dir: Path, database: str) -> dict[str, list[str]]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "archive.settings.base",
        "ARCHIVE_PAGE_CACHE_SECONDS": "0",
        "ARCHIVE_MATCH_CACHE_SIZE": "0",
    }
    for command in (["migrate", "-v0"], ["load_archive"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=app_dir,
            env=env,
            check=True,
            capture_output=True,
        )
    done = subprocess.run(
        [sys.executable, __file__, "--inner", str(app_dir)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def _columns(sql: str) -> set[str] | None:
    found = SELECT_LIST.match(sql)
    return set(found.group(1).split(", ")) if found else None


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--inner":
        _inner(Path(sys.argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", action="append", required=True, help="LABEL=DIR")
    parser.add_argument("--database", action="append", required=True, help="LABEL=URL")
    args = parser.parse_args()
    checkouts = dict(value.split("=", 1) for value in args.checkout)
    databases = dict(value.split("=", 1) for value in args.database)
    (first, second) = list(checkouts)
    old = statements(Path(checkouts[first]), databases[first])
    new = statements(Path(checkouts[second]), databases[second])
    same = total = 0
    differences: set[str] = set()
    for path, old_sql in old.items():
        new_sql = new.get(path, [])
        if len(old_sql) != len(new_sql):
            differences.add(f"{path}: {len(old_sql)} statements against {len(new_sql)}")
        for before, after in zip(old_sql, new_sql, strict=False):
            total += 1
            if before == after:
                same += 1
                continue
            old_columns, new_columns = _columns(before), _columns(after)
            rest = SELECT_LIST.sub("", before) == SELECT_LIST.sub("", after)
            if old_columns is not None and new_columns is not None and rest:
                added = ", ".join(sorted(new_columns - old_columns)) or "none"
                dropped = ", ".join(sorted(old_columns - new_columns)) or "none"
                differences.add(f"only the columns read: added {added}; dropped {dropped}")
            else:
                differences.add(f"{path}: {before[:200]} | {after[:200]}")
    print(f"{same} of {total} statements the same, over {len(old)} requests")
    for difference in sorted(differences):
        print(f"- {difference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
