"""Permalink benchmark: the archive's testimony page against Datasette's row page.

Run from the project root with the app's virtualenv, on a SQLite database seeded
as for the search benchmark (`manage.py seed_synthetic --testimonies N --seed 1
--text natural`, see docs/benchmarks.md):

    .venv/bin/python bench/permalink_bench.py --database sqlite:///var/bench-10k.sqlite3 \
        --label permalink-10k --sample 200 --repeat 3 --app-dir var/snapshot
    .venv/bin/python bench/permalink_bench.py --database sqlite:///var/bench-10k.sqlite3 \
        --label permalink-10k --sample 50 --instructions

It starts gunicorn (2 sync workers, DEBUG off, nothing remembered: no page cache,
no match-set cache, HTTP caching at 0 seconds) and Datasette (immutable mode) on
the same file, draws a random sample of published testimonies (the same for the
same --seed), and asks both servers for each record in turn, interleaved record
by record so a disturbance on a shared machine lands on both: the archive's
/testimonies/<public id>/ and Datasette's HTML row page for the same row. Neither
request asks for compression. Prints p50/p95 of each and the ratio; writes
var/bench-results/<label>.json.

With --instructions it measures instead, under valgrind's callgrind, how many
instructions one permalink request takes through the whole Django stack (test
client, the same settings): a count that other work on the machine does not move.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from search_bench import (  # noqa: E402
    RESULTS_DIR,
    TABLE,
    Client,
    Sample,
    add_server_arguments,
    fmt,
    redact,
    run_stopping_servers,
    sqlite_path,
    start_archive,
    start_datasette,
    summarise,
)

# Nothing remembered between requests: besides the page and match-set caches that
# --cache off turns off, no HTTP caching (a reader's browser or a proxy would
# otherwise answer repeats; the benchmark's client never revalidates anyway).
NOTHING_REMEMBERED = {"ARCHIVE_HTTP_CACHE_SECONDS": "0"}


def sample_records(db: Path, size: int, seed: int) -> list[tuple[int, str]]:
    """``size`` published testimonies (row id, public id), the same for the same seed."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        rows = conn.execute(
            f"SELECT id, public_id FROM {TABLE} WHERE status = 'published' ORDER BY id"
        ).fetchall()
    if not rows:
        raise SystemExit(f"{db} holds no published testimony: seed it first.")
    return random.Random(seed).sample(rows, min(size, len(rows)))


def _archive_check(public_id: str):
    marker = f'<p class="pid">{public_id}'.encode()

    def check(status: int, body: bytes) -> tuple[str | None, None]:
        if status != 200:
            return f"HTTP {status}", None
        return (None if marker in body else "public id not on the page"), None

    return check


def _datasette_check(status: int, body: bytes) -> tuple[str | None, None]:
    return (None if status == 200 else f"HTTP {status}: {body[:200]!r}"), None


def _measure(client: Client, sample: Sample, check: Any, *, warmup: bool) -> None:
    # search_bench.measure, for checks that need no hit count.
    try:
        status, body, elapsed = client.get(sample.path)
    except OSError as error:
        sample.errors.append(f"{type(error).__name__}: {error}")
        return
    error, _ = check(status, body)
    if warmup:
        sample.warmup_ms = elapsed
    else:
        sample.ms.append(elapsed)
    if error:
        sample.errors.append(error)


def run(args: argparse.Namespace) -> dict[str, Any]:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    db = sqlite_path(args.database)
    if db is None or not db.exists():
        raise SystemExit("--database must be an existing sqlite:/// file: Datasette serves SQLite.")
    records = sample_records(db, args.sample, args.seed)
    os.environ.update(NOTHING_REMEMBERED)
    args.cache = "off"
    load_before = os.getloadavg()
    with contextlib.ExitStack() as stack:
        archive = Client(start_archive(stack, args))
        stack.callback(archive.close)
        ds_port, ds_db = start_datasette(stack, args, db)
        datasette = Client(ds_port)
        stack.callback(datasette.close)
        pairs = [
            (Sample(f"/testimonies/{public_id}/"), Sample(f"/{ds_db}/{TABLE}/{row_id}"), public_id)
            for row_id, public_id in records
        ]
        # One warm-up request per record and server (first-use code paths, the OS's
        # file cache); then rounds over the whole sample, interleaved record by record.
        for round_number in range(args.repeat + 1):
            for a_sample, d_sample, public_id in pairs:
                warmup = round_number == 0
                _measure(archive, a_sample, _archive_check(public_id), warmup=warmup)
                _measure(datasette, d_sample, _datasette_check, warmup=warmup)
            print(f"round {round_number}/{args.repeat} done", file=sys.stderr)
    load_after = os.getloadavg()
    a = summarise([pair[0] for pair in pairs])
    d = summarise([pair[1] for pair in pairs])
    result = {
        "label": args.label,
        "database": redact(args.database),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": len(records),
        "repeat": args.repeat,
        "seed": args.seed,
        "workers": args.workers,
        "app_dir": str(Path(args.app_dir).resolve()),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "archive": a,
        "datasette": d,
        "p50_ratio": a["p50_ms"] / d["p50_ms"] if a["p50_ms"] and d["p50_ms"] else None,
        "p95_ratio": a["p95_ms"] / d["p95_ms"] if a["p95_ms"] and d["p95_ms"] else None,
        "samples": [
            {"archive": pa.path, "datasette": pd.path, "archive_ms": pa.ms, "datasette_ms": pd.ms}
            for pa, pd, _ in pairs
        ],
        "errors": [e for pa, pd, _ in pairs for e in (*pa.errors, *pd.errors)][:20],
    }
    out = RESULTS_DIR / f"{args.label}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"\n# {args.label}: {result['database']}, {len(records)} records x {args.repeat} rounds")
    print("| server | requests | errors | p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    for name, row in (("archive", a), ("Datasette", d)):
        print(
            f"| {name} | {row['requests']} | {row['errors']} | {fmt(row['p50_ms'])} | "
            f"{fmt(row['p95_ms'])} |"
        )
    for what in ("p50", "p95"):
        ratio = result[f"{what}_ratio"]
        print(f"archive / Datasette, {what}: {'n/a' if ratio is None else f'{ratio:.2f}'}")
    print(
        "load average (1/5/15 min) before "
        + "/".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + "/".join(f"{x:.2f}" for x in load_after)
    )
    print(f"Wrote {out}")
    return result


def count_instructions(args: argparse.Namespace) -> int:
    """Instructions a permalink request takes, the sample's average, under callgrind."""
    from search_instructions import instructions

    db = sqlite_path(args.database)
    if db is None or not db.exists():
        raise SystemExit("--database must be an existing sqlite:/// file")
    app_dir = Path(args.app_dir).resolve()
    paths = [
        f"/testimonies/{public_id}/" for _, public_id in sample_records(db, args.sample, args.seed)
    ]
    os.environ.update(NOTHING_REMEMBERED)
    counts = instructions(app_dir, db, {"permalink": paths}, args.repeat)
    per_request = counts["permalink"] / (len(paths) * args.repeat)
    print(
        f"{args.label}: {per_request / 1e6:.2f} M instructions a permalink request "
        f"({len(paths)} records x {args.repeat})"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_server_arguments(parser)
    parser.add_argument("--sample", type=int, default=200, help="records asked for")
    parser.add_argument("--repeat", type=int, default=3, help="measured rounds over the sample")
    parser.add_argument("--seed", type=int, default=1, help="which random sample")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under callgrind instead"
    )
    args = parser.parse_args()
    if args.sample < 1 or args.repeat < 1:
        parser.error("--sample and --repeat must be at least 1")
    if args.instructions:
        return count_instructions(args)
    result = run_stopping_servers(run, args)
    if result is None:
        return 130
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
