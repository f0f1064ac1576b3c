"""Search benchmark: the archive's GET /testimonies/ against Datasette on the same data.

Run from the project root with the app's virtualenv, on a database seeded with
`manage.py seed_synthetic --testimonies 10000 --seed 1` (natural text, the
default; `--text template` for the earlier corpus: pass `--corpus template`
here too, so the results say so):

    .venv/bin/python bench/search_bench.py --database sqlite:///var/bench-10k.sqlite3 \
        --label sqlite-10k --datasette --repeat 7
    .venv/bin/python bench/search_bench.py \
        --database postgres://postgres@127.0.0.1/archive_bench_10k --label postgres-10k

It starts gunicorn (2 sync workers, DEBUG off) on a free port of 127.0.0.1 and,
with --datasette, Datasette from its own virtualenv on the same SQLite file;
sends a fixed mix of queries sequentially from one client; prints p50/p95 per
query class and writes var/bench-results/<label>.json. Both servers are
stopped at the end, on error and on Ctrl-C. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The app's interpreter (this one) serves the archive; Datasette has its own venv so
# its dependencies never meet the app's.
DATASETTE_BIN = ROOT / "var" / "bench-venv" / "bin" / "datasette"
RESULTS_DIR = ROOT / "var" / "bench-results"
FTS_TABLE = "testimonies_searchdocument_fts"
TABLE = "testimonies_testimony"
SINGLE_VALUED = ("nationality", "age_group", "work_setting", "province", "language")
MANY_VALUED = ("violation", "law", "clause", "authority")
DATASETTE_FACETS = (*SINGLE_VALUED, "year_of_events")
HEADING = b'id="results-heading"'
TOTAL_RE = re.compile(rb'id="results-heading"[^>]*>\s*(\d+) testimon')
STARTUP_SECONDS = 600  # building facet data at 100k can take a while
REQUEST_TIMEOUT = 300.0

sys.path.insert(0, str(ROOT))
# The archive's own parser translates our web-search syntax into the FTS5 expression
# Datasette is given, so both engines are asked exactly the same question.
from archive.search.query import parse  # noqa: E402
from archive.search.sqlite.syntax import to_fts5  # noqa: E402


@dataclass(frozen=True)
class Query:
    name: str
    kind: str  # the query class the table groups by
    q: str = ""
    facets: tuple[tuple[str, str], ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def archive_path(self) -> str:
        params: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        params.extend(self.facets)
        if self.year_from is not None:
            params.append(("year_from", str(self.year_from)))
        if self.year_to is not None:
            params.append(("year_to", str(self.year_to)))
        return "/testimonies/" + (f"?{urlencode(params)}" if params else "")

    def dropped_for_datasette(self) -> list[str]:
        """Filters on many-valued facets: Datasette's table has no column for them."""
        return [f"{name}={value}" for name, value in self.facets if name in MANY_VALUED]

    def datasette_path(self, db_name: str) -> str | None:
        """The same search through Datasette's JSON API; None if it cannot express it."""
        params: list[tuple[str, str]] = [("status__exact", "published")]
        if self.q:
            parsed = parse(self.q)
            if not parsed.has_positive:
                return None  # FTS5 has no unary NOT and Datasette offers no other way
            # Raw mode for every text query: the expression is ours, tokens already quoted.
            params += [("_search", to_fts5(parsed)), ("_searchmode", "raw")]
        chosen: dict[str, list[str]] = {}
        for name, value in self.facets:
            if name in SINGLE_VALUED:
                chosen.setdefault(name, []).append(value)
        for name, values in chosen.items():
            if len(values) == 1:
                params.append((f"{name}__exact", values[0]))
            else:
                params.append((f"{name}__in", ",".join(values)))
        if self.year_from is not None:
            params.append(("year_of_events__gte", str(self.year_from)))
        if self.year_to is not None:
            params.append(("year_of_events__lte", str(self.year_to)))
        params += [("_facet", name) for name in DATASETTE_FACETS]
        params.append(("_size", "20"))
        return f"/{db_name}/{TABLE}.json?{urlencode(params)}"


# A FIXED mix, chosen from the natural corpus (`seed_synthetic --text natural`, the
# default; testimonies/synthetic/natural.py, whose PLANTED table gives each word's share
# of documents): "police" in 90%, "shelter" 65%, "money" 60%; "interpreter" ~4%,
# "passport" 4%, "lawyer" 3%, "tattoo" 2%; "harmonica", "violin", "umbrella" 0.4% each;
# the phrases 1-25%; the Thai words in 1.5-6% (a Thai paragraph in 10% of documents).
# The same words are in the template corpus (--text template, testimonies/synthetic/
# template.py), at the shares docs/benchmarks.md gives for its figures. Facet values are
# the skewed heads and tails of the facets' distributions, so filters keep both large
# and small parts of the match set.
QUERIES: tuple[Query, ...] = (
    Query("common", "common", "police"),
    Query("common+nationality", "common", "police", (("nationality", "burmese"),)),
    Query(
        "common+province+setting",
        "common",
        "money",
        (("province", "chiang-mai"), ("work_setting", "karaoke")),
    ),
    Query(
        "common+violation+years",
        "common",
        "shelter",
        (("violation", "arb-det-police"),),
        2004,
        2008,
    ),
    Query("medium", "medium", "interpreter"),
    Query("medium+clause", "medium", "passport", (("clause", "constitution-2007:s-26"),)),
    Query("rare", "rare", "harmonica"),
    Query("rare+nationality", "rare", "violin", (("nationality", "burmese"),)),
    Query(
        "rare+province+setting",
        "rare",
        "umbrella",
        (("province", "chiang-mai"), ("work_setting", "bar")),
    ),
    Query("phrase-common", "phrase", '"sit on the floor"'),
    Query("phrase-medium", "phrase", '"took an x-ray"'),
    Query("phrase-two-words", "phrase", '"immigration officer"'),
    Query("phrase+nationality", "phrase", '"no interpreter"', (("nationality", "shan"),)),
    Query(
        "phrase+violation+years",
        "phrase",
        '"kept in one room"',
        (("violation", "witness-hold"),),
        2003,
        2007,
    ),
    Query("or-rare", "or", "harmonica OR violin"),
    Query("or+province", "or", "interpreter OR lawyer", (("province", "bangkok"),)),
    Query("or+authority+years", "or", "tattoo OR passport", (("authority", "police"),), 2005, 2010),
    Query("exclude-common", "exclusion", "police -money"),
    Query("exclude+nationality", "exclusion", "lawyer -interpreter", (("nationality", "thai"),)),
    Query(
        "exclude+province+setting",
        "exclusion",
        "shelter -passport",
        (("province", "chiang-mai"), ("work_setting", "massage")),
    ),
    Query("exclude-only", "exclusion", "-police"),
    Query("thai", "thai", "ตำรวจ"),
    Query("thai+language", "thai", "ล่าม", (("language", "th"),)),
    Query(
        "thai+nationality+province",
        "thai",
        "ค่าจ้าง",
        (("nationality", "burmese"), ("province", "tak")),
    ),
    Query("browse-all", "browse", ""),
    Query("browse+nationality", "browse", "", (("nationality", "burmese"),)),
    Query(
        "browse+province+setting",
        "browse",
        "",
        (("province", "tak"), ("work_setting", "karaoke")),
    ),
    Query("browse+violation+years", "browse", "", (("violation", "arb-det-police"),), 2005, 2008),
    Query(
        "browse+law+authority",
        "browse",
        "",
        (("law", "constitution-2007"), ("authority", "police")),
    ),
)
KINDS = ("common", "medium", "rare", "phrase", "or", "exclusion", "thai", "browse")


@dataclass
class Sample:
    """Every request's latency for one query on one server."""

    path: str
    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    total: int | None = None  # hits reported by the server (last response)
    warmup_ms: float | None = None


def free_port() -> int:
    # Bound and released at once: a small race, acceptable for a loopback benchmark.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlite_path(database: str) -> Path | None:
    """The file of a sqlite:/// URL, resolved as the app resolves it (from the project root)."""
    parts = urlsplit(database)
    if parts.scheme != "sqlite":
        return None
    # As dj-database-url reads it: sqlite:///var/x is "var/x", sqlite:////tmp/x is "/tmp/x".
    path = Path(parts.path[1:])
    return path if path.is_absolute() else ROOT / path


def redact(database: str) -> str:
    parts = urlsplit(database)
    if parts.password:
        return database.replace(f":{parts.password}@", ":***@")
    return database


@contextlib.contextmanager
def server(
    name: str, argv: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT
) -> Iterator[None]:
    """Run a server in its own process group and always stop the whole group."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited early ({proc.returncode}); see {log}")
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=15)


def wait_ready(port: int, path: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            if response.status == 200:
                return
            # Up but failing: waiting longer will not help.
            raise RuntimeError(f"{path} answered HTTP {response.status} at start-up; see {log}")
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
        finally:
            conn.close()
    raise RuntimeError(f"server on port {port} not ready after {STARTUP_SECONDS}s; see {log}")


class Client:
    """One keep-alive connection, reopened by http.client whenever the server closes it."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # a fresh connection for the next request
            raise
        elapsed = (time.perf_counter() - started) * 1000
        if response.will_close:
            self.conn.close()
        return response.status, body, elapsed

    def close(self) -> None:
        self.conn.close()


def check_archive(status: int, body: bytes) -> tuple[str | None, int | None]:
    if status != 200:
        return f"HTTP {status}", None
    if HEADING not in body:
        return "no results heading", None
    match = TOTAL_RE.search(body)
    return None, int(match.group(1)) if match else None


def check_datasette(status: int, body: bytes) -> tuple[str | None, int | None]:
    if status != 200:
        return f"HTTP {status}: {body[:200]!r}", None
    data = json.loads(body)
    if data.get("facets_timed_out"):
        return f"facets timed out: {data['facets_timed_out']}", None
    missing = set(DATASETTE_FACETS) - set(data.get("facet_results", {}))
    if missing:
        return f"facets missing: {sorted(missing)}", None
    return None, data.get("filtered_table_rows_count")


def measure(client: Client, sample: Sample, check: Any, *, warmup: bool = False) -> None:
    try:
        status, body, elapsed = client.get(sample.path)
    except (OSError, http.client.HTTPException) as error:
        sample.errors.append(f"{type(error).__name__}: {error}")
        return
    error, total = check(status, body)
    if warmup:
        sample.warmup_ms = elapsed
    else:
        sample.ms.append(elapsed)
    if error:
        sample.errors.append(error)
    else:
        sample.total = total


def percentile(values: list[float], pct: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), stdlib only."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(samples: list[Sample]) -> dict[str, Any]:
    values = [ms for sample in samples for ms in sample.ms]
    return {
        "requests": len(values),
        "errors": sum(len(sample.errors) for sample in samples),
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
        "max_ms": max(values) if values else None,
    }


def fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


# What the archive may remember between requests (see testimonies/pagecache.py).
CACHE_MODES = {
    # Every request computed from the engine: no page cache, no match-set cache.
    "off": {"ARCHIVE_PAGE_CACHE_SECONDS": "0", "ARCHIVE_MATCH_CACHE_SIZE": "0"},
    # As configured by default: each worker remembers its own pages and match sets.
    "process": {},
    # As a deployment with Redis would run: one page cache shared by the workers.
    "redis": {},
}


def results_label(value: str) -> str:
    if not re.fullmatch(r"[\w.-]+", value):
        raise argparse.ArgumentTypeError("letters, digits, '.', '_' and '-' only (it names files)")
    return value


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """What ``start_archive`` reads, as options shared by search_bench and load."""
    parser.add_argument("--database", required=True, help="DATABASE_URL for the archive")
    parser.add_argument(
        "--label", required=True, type=results_label, help="name of the results files"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--app-dir",
        default=str(ROOT),
        help="checkout to serve (default: this one); e.g. a `git archive HEAD` snapshot, "
        "so edits in progress in the work tree cannot break or change a run",
    )
    parser.add_argument(
        "--cache",
        choices=sorted(CACHE_MODES),
        default="process",
        help="off: compute every request; process: each worker's own caches (default); "
        "redis: a page cache shared by the workers (--redis-url, emptied first)",
    )
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/1", help="page cache for --cache redis"
    )


def cache_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(CACHE_MODES[args.cache])
    if args.cache == "redis":
        import redis  # the archive's own requirement, for its Redis cache

        # A page left by an earlier run on the same data would be a free hit.
        redis.Redis.from_url(args.redis_url).flushdb()
        env["ARCHIVE_PAGE_CACHE_URL"] = args.redis_url
    return env


def run_stopping_servers(
    run: Callable[[argparse.Namespace], dict[str, Any]], args: argparse.Namespace
) -> dict[str, Any] | None:
    """``run(args)``, or None if it was interrupted (the servers are stopped by then)."""

    # SIGTERM (a CI timeout, `kill`) must stop the servers too: make it unwind like Ctrl-C.
    def on_term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return None


def start_archive(stack: contextlib.ExitStack, args: argparse.Namespace) -> int:
    port = free_port()
    app_dir = Path(args.app_dir).resolve()
    database = args.database
    db = sqlite_path(database)
    if db is not None:
        # Absolute, so the file is the same whichever checkout serves it.
        database = f"sqlite:///{db}"
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "archive.settings.base",
        "LOG_LEVEL": "WARNING",  # per-request logging would be measured too
        **cache_env(args),
    }
    # With DEBUG off the templates need the hashed static files' manifest: collect them
    # (into the git-ignored staticfiles/) as a deployment would.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=app_dir,
        env=env,
        check=True,
        timeout=300,
    )
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "archive.wsgi",
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{port}",
        # Its default path is shared by every gunicorn of this user; we never need it.
        "--no-control-socket",
    ]
    log = RESULTS_DIR / f"{args.label}.gunicorn.log"
    stack.enter_context(server("gunicorn", argv, env, log, cwd=app_dir))
    wait_ready(port, "/testimonies/?q=police", log)
    return port


def start_datasette(
    stack: contextlib.ExitStack, args: argparse.Namespace, db: Path
) -> tuple[int, str]:
    if not DATASETTE_BIN.exists():
        raise SystemExit(
            f"{DATASETTE_BIN} not found: create it first (see docs/benchmarks.md):\n"
            "  .venv/bin/python -m venv var/bench-venv\n"
            "  var/bench-venv/bin/pip install -r bench/requirements.txt"
        )
    # Immutable mode (-i) reads the file without locks; fold the WAL into it first so
    # nothing committed lives only in the -wal file, which immutable mode ignores.
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_name = db.stem
    metadata = {
        "databases": {
            db_name: {"tables": {TABLE: {"fts_table": FTS_TABLE, "fts_pk": "id"}}},
        }
    }
    metadata_path = RESULTS_DIR / f"{args.label}.datasette-metadata.json"
    metadata_path.write_text(json.dumps(metadata, indent=2))
    port = free_port()
    argv = [
        str(DATASETTE_BIN),
        "serve",
        "-i",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--metadata",
        str(metadata_path),
        # High limits, so every facet is really computed rather than timed out.
        "--setting",
        "sql_time_limit_ms",
        "60000",
        "--setting",
        "facet_time_limit_ms",
        "60000",
        # Suggested facets are extra queries the archive never runs: leave them out.
        "--setting",
        "suggest_facets",
        "off",
    ]
    log = RESULTS_DIR / f"{args.label}.datasette.log"
    stack.enter_context(server("datasette", argv, dict(os.environ), log))
    wait_ready(port, f"/{db_name}.json", log)
    return port, db_name


def print_report(result: dict[str, Any], with_datasette: bool) -> None:
    print()
    print(
        f"# {result['label']}: {result['database']}, {result['corpus']} corpus, "
        f"repeat {result['repeat']}"
    )
    header = "| class | queries | archive p50 | archive p95 |"
    rule = "|---|---|---|---|"
    if with_datasette:
        header += " Datasette p50 | Datasette p95 | Datasette p95 / archive p95 |"
        rule += "---|---|---|"
    print(header)
    print(rule)
    for kind, row in result["classes"].items():
        line = (
            f"| {kind} | {row['queries']} | {fmt(row['archive']['p50_ms'])} | "
            f"{fmt(row['archive']['p95_ms'])} |"
        )
        if with_datasette:
            ds = row["datasette"]
            ratio = ds.get("p95_ratio")
            line += (
                f" {fmt(ds['p50_ms'])} | {fmt(ds['p95_ms'])} | "
                f"{'n/a' if ratio is None else f'{ratio:.2f}'} |"
            )
        print(line)
    print()
    print("Per query (ms):")
    header = "| query | archive p50 | archive p95 | hits |"
    rule = "|---|---|---|---|"
    if with_datasette:
        header += " Datasette p50 | Datasette p95 | hits | note |"
        rule += "---|---|---|---|"
    print(header)
    print(rule)
    for row in result["queries"]:
        line = (
            f"| {row['name']} | {fmt(row['archive']['p50_ms'])} | "
            f"{fmt(row['archive']['p95_ms'])} | {row['archive']['total']} |"
        )
        if with_datasette:
            ds = row.get("datasette") or {}
            line += (
                f" {fmt(ds.get('p50_ms'))} | {fmt(ds.get('p95_ms'))} | "
                f"{ds.get('total', 'n/a')} | {row.get('note', '')} |"
            )
        print(line)
    errors = result["errors"]
    machine = result["machine"]
    print()
    print(
        f"Machine: {machine['cpus']} CPUs; load average (1/5/15 min) before "
        + "/".join(f"{x:.2f}" for x in machine["loadavg_before"])
        + ", after "
        + "/".join(f"{x:.2f}" for x in machine["loadavg_after"])
    )
    print(f"Errors: archive {errors['archive']}, Datasette {errors['datasette']}")
    for note in result["notes"]:
        print(f"Note: {note}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    db = sqlite_path(args.database)
    if args.datasette and db is None:
        raise SystemExit("--datasette needs a sqlite:/// database: Datasette serves SQLite only.")
    if db is not None and not db.exists():
        raise SystemExit(f"{db} does not exist: seed it first (see docs/benchmarks.md).")

    # Other work on this 2-core machine inflates every figure: record the load around the
    # run so a reader can tell a quiet run from a disturbed one.
    load_before = os.getloadavg()
    with contextlib.ExitStack() as stack:
        archive_port = start_archive(stack, args)
        archive = Client(archive_port)
        stack.callback(archive.close)
        ds_client: Client | None = None
        ds_db = ""
        if args.datasette:
            assert db is not None
            ds_port, ds_db = start_datasette(stack, args, db)
            ds_client = Client(ds_port)
            stack.callback(ds_client.close)

        archive_samples = [Sample(query.archive_path()) for query in QUERIES]
        ds_samples: list[Sample | None] = []
        for query in QUERIES:
            path = query.datasette_path(ds_db) if ds_client else None
            ds_samples.append(Sample(path) if path else None)

        # Warm-up: one request per query on each server (caches, first-use code paths).
        for a_sample, d_sample in zip(archive_samples, ds_samples, strict=True):
            measure(archive, a_sample, check_archive, warmup=True)
            if ds_client and d_sample:
                measure(ds_client, d_sample, check_datasette, warmup=True)
        # Rounds over the whole mix, interleaving the two servers query by query, so a
        # disturbance on the machine lands on both rather than on one query class.
        for round_number in range(1, args.repeat + 1):
            for a_sample, d_sample in zip(archive_samples, ds_samples, strict=True):
                measure(archive, a_sample, check_archive)
                if ds_client and d_sample:
                    measure(ds_client, d_sample, check_datasette)
            print(f"round {round_number}/{args.repeat} done", file=sys.stderr)

    load_after = os.getloadavg()
    notes = []
    if args.datasette:
        notes += [
            "Datasette computes 6 facets (5 columns + year_of_events) and no ranking; the archive "
            "computes 9 disjunctive facets, a year histogram, relevance ranking of the page "
            "and snippets: the comparison favours Datasette.",
            "Datasette ran with -i (immutable: no locking, read-only) after a WAL checkpoint, "
            "suggest_facets off, sql_time_limit_ms and facet_time_limit_ms 60000.",
            "Filters on many-valued facets (violation, law, clause, authority) were dropped "
            "for Datasette: its table has no column for them.",
        ]
    queries_out: list[dict[str, Any]] = []
    for query, a_sample, d_sample in zip(QUERIES, archive_samples, ds_samples, strict=True):
        row: dict[str, Any] = {
            "name": query.name,
            "class": query.kind,
            "archive": {
                "path": a_sample.path,
                "samples_ms": a_sample.ms,
                "warmup_ms": a_sample.warmup_ms,
                "errors": a_sample.errors,
                "total": a_sample.total,
                **summarise([a_sample]),
            },
        }
        notes_here = []
        if args.datasette:
            if d_sample is None:
                notes_here.append("not expressible in Datasette (exclusion only)")
                row["datasette"] = None
            else:
                row["datasette"] = {
                    "path": d_sample.path,
                    "samples_ms": d_sample.ms,
                    "warmup_ms": d_sample.warmup_ms,
                    "errors": d_sample.errors,
                    "total": d_sample.total,
                    **summarise([d_sample]),
                }
                dropped = query.dropped_for_datasette()
                if dropped:
                    notes_here.append(f"Datasette without {', '.join(dropped)}")
                elif d_sample.total != a_sample.total:
                    notes_here.append("hit counts differ")
        row["note"] = "; ".join(notes_here)
        queries_out.append(row)

    classes: dict[str, Any] = {}
    for kind in (*KINDS, "all"):
        members = [i for i, query in enumerate(QUERIES) if kind in ("all", query.kind)]
        if not members:
            continue
        a = summarise([archive_samples[i] for i in members])
        entry: dict[str, Any] = {"queries": len(members), "archive": a}
        if args.datasette:
            present = [s for i in members if (s := ds_samples[i]) is not None]
            d = summarise(present)
            d["queries"] = len(present)
            d["p95_ratio"] = (
                d["p95_ms"] / a["p95_ms"] if d["p95_ms"] is not None and a["p95_ms"] else None
            )
            entry["datasette"] = d
        classes[kind] = entry

    result: dict[str, Any] = {
        "label": args.label,
        "database": redact(args.database),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "repeat": args.repeat,
        "corpus": args.corpus,
        "workers": args.workers,
        "cache": args.cache,
        "app_dir": str(Path(args.app_dir).resolve()),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            # 1, 5 and 15-minute load averages; our own servers and client add about 1.
            "loadavg_before": load_before,
            "loadavg_after": load_after,
        },
        "classes": classes,
        "queries": queries_out,
        "errors": {
            "archive": sum(len(s.errors) for s in archive_samples),
            "datasette": sum(len(s.errors) for s in ds_samples if s is not None),
        },
        "notes": notes,
    }
    out = RESULTS_DIR / f"{args.label}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_report(result, args.datasette)
    print(f"\nWrote {out}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_server_arguments(parser)
    parser.add_argument("--datasette", action="store_true", help="also measure Datasette")
    parser.add_argument("--repeat", type=int, default=7, help="measured requests per query")
    parser.add_argument(
        "--corpus",
        choices=("natural", "template"),
        default="natural",
        help="the text the database was seeded with (seed_synthetic --text); recorded only",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    result = run_stopping_servers(run, args)
    if result is None:
        return 130
    return 1 if any(result["errors"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
