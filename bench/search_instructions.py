"""Instructions per search request, by query class: two checkouts compared on one database.

Wall-clock timings need a quiet machine to resolve a few per cent; instruction
counts do not. Each checkout runs in one process under valgrind's callgrind:
it starts, builds its facet columns and sends every request once (warm-up);
then, class by class, the counters are zeroed (on entering ``math.gcd``), the
class's requests are sent ``--repeat`` times, and the counters are written out
(on leaving ``math.lcm``); the request path calls neither function. Divided by
the number of requests, that is what one request of the class costs in
instructions: the same count for the same code, data and inputs whatever else
the machine is doing.

    .venv/bin/python bench/search_instructions.py \
        --checkout before=../bench-before --checkout after=. \
        --database before=../bench-before/var/bench-100k.sqlite3 \
        --database after=var/bench-100k.sqlite3 --repeat 3

Each checkout serves its own database (its own migrations made it). The
requests are the benchmark's (``bench/search_bench.py``), sent through the
whole Django stack with the test client, DEBUG off, every cache off.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^summary: (\d+)", re.MULTILINE)


def _inner(app_dir: Path, classes: dict[str, list[str]], repeat: int) -> None:
    """Set the app up, send every path once (warm-up), then each class ``repeat`` times."""
    import math

    os.chdir(app_dir)
    sys.path.insert(0, str(app_dir))
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for path in ["/testimonies/?q=police", *(path for paths in classes.values() for path in paths)]:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    for paths in classes.values():
        math.gcd(1, 1)  # callgrind zeroes its counters here
        for _ in range(repeat):
            for path in paths:
                client.get(path)
        math.lcm(1, 1)  # and writes them out here


def _environment(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SECRET_KEY": "bench",
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{database.resolve()}",
        "DJANGO_SETTINGS_MODULE": "archive.settings.base",
        "LOG_LEVEL": "WARNING",
        "ARCHIVE_PAGE_CACHE_SECONDS": "0",
        "ARCHIVE_MATCH_CACHE_SIZE": "0",
        # Same dict and set layouts in every run, so the same work.
        "PYTHONHASHSEED": "0",
    }


def instructions(
    app_dir: Path, database: Path, classes: dict[str, list[str]], repeat: int
) -> dict[str, int]:
    """Instructions each class's requests took, all repeats together."""
    with tempfile.TemporaryDirectory() as tmp:
        argv = [
            "valgrind",
            "--tool=callgrind",
            "--zero-before=math_gcd",
            "--dump-after=math_lcm",
            f"--callgrind-out-file={tmp}/out",
            sys.executable,
            __file__,
            "--inner",
            str(app_dir),
            json.dumps(classes),
            str(repeat),
        ]
        done = subprocess.run(
            argv, env=_environment(database), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{app_dir}: exit {done.returncode}\n{done.stderr[-3000:]}")
        counts = {}
        for number, kind in enumerate(classes, start=1):
            dump = Path(tmp, f"out.{number}").read_text()
            found = SUMMARY.search(dump)
            if found is None:
                raise SystemExit(f"no instruction count in dump {number} of {app_dir}")
            counts[kind] = int(found.group(1))
    return counts


def _pairs(values: list[str], what: str) -> dict[str, Path]:
    pairs = {}
    for value in values:
        label, sep, path = value.partition("=")
        if not sep:
            raise SystemExit(f"--{what} takes LABEL=PATH, not {value!r}")
        pairs[label] = Path(path)
    return pairs


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--inner":
        _inner(Path(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", action="append", required=True, help="LABEL=DIR")
    parser.add_argument("--database", action="append", required=True, help="LABEL=SQLITE FILE")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", help="comma-separated classes (default: all)")
    parser.add_argument("--output", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    checkouts, databases = _pairs(args.checkout, "checkout"), _pairs(args.database, "database")
    sys.path.insert(0, str(ROOT / "bench"))
    from search_bench import KINDS, QUERIES

    kinds = args.kinds.split(",") if args.kinds else list(KINDS)
    for label, app_dir in checkouts.items():
        # DEBUG off needs the hashed static files' manifest, as a deployment has.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=app_dir,
            env=_environment(databases[label]),
            check=True,
        )
    classes = {
        kind: [query.archive_path() for query in QUERIES if query.kind == kind] for kind in kinds
    }
    results: dict[str, dict[str, float]] = {}
    for label, app_dir in checkouts.items():
        counts = instructions(app_dir, databases[label], classes, args.repeat)
        results[label] = {kind: counts[kind] / (args.repeat * len(classes[kind])) for kind in kinds}
        for kind in kinds:
            print(
                f"{kind:10} {label:8} {results[label][kind] / 1e6:10.2f} M instructions a request"
            )
    labels = list(checkouts)
    print(f"\n| class | {' | '.join(labels)} | {labels[-1]} / {labels[0]} |")
    print(f"|---|{'---|' * len(labels)}---|")
    for kind in kinds:
        row = [results[label][kind] for label in labels]
        cells = " | ".join(f"{value / 1e6:.2f} M" for value in row)
        print(f"| {kind} | {cells} | {row[-1] / row[0]:.3f} |")
    if args.output:
        args.output.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
