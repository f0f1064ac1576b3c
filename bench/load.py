"""Load test: the rate the archive sustains within its latency target, then 3x that.

Run from the project root with the app's virtualenv:

    .venv/bin/python bench/load.py --database sqlite:///var/bench-10k.sqlite3 \
        --label load-sqlite-10k
    .venv/bin/python bench/load.py --database postgres://postgres@127.0.0.1/archive_bench_10k \
        --label load-postgres-10k

It starts gunicorn as bench/search_bench.py does (deploy/gunicorn.conf.py, DEBUG off,
127.0.0.1 only), finds real paths on it (testimony permalinks, raid, law and clause
pages, facet values), then drives a reader mix (searches in English and Thai, facet
clicks, permalinks, record pages; with --open-data also the JSON API and the CSV
export) at a rising request rate, one bench/loadgen.py run per step. A step passes when the
search requests' p95 is within the target (50 ms SQLite, 120 ms PostgreSQL) and no
request failed. The last passing rate is the sustained rate; the run ends with a
step at --overload times that rate, where the server should shed load with fast
503s (deploy/gunicorn.conf.py) rather than let requests time out. Every request is
bounded by a time-out and every step by its duration; the servers are stopped at
the end, on error, on Ctrl-C and on SIGTERM. Results: a table per step and
var/bench-results/<label>.json. See docs/benchmarks.md, "Load".
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import math
import os
import random
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The same server start-up, client and percentiles as the search benchmark.
import search_bench as sb

ROOT = sb.ROOT
LOADGEN = Path(__file__).resolve().parent / "loadgen.py"
SEARCH_CLASSES = ("search-en", "search-th", "facet")
SHED = (429, 503)
TARGET_MS = {"sqlite": 50.0, "postgresql": 120.0}

ENGLISH = [
    "police",
    "shelter",
    "raid",
    "interpreter",
    "passport",
    "wages",
    "deported",
    '"immigration officer"',
    "police -money",
    "interpreter OR lawyer",
]
THAI = ["ตำรวจ", "ล่าม", "ค่าจ้าง", "สถานสงเคราะห์", "ผู้เสียหาย"]
# A researcher exports a narrowed search (2-4% of the natural synthetic corpus each).
# A whole-archive export (a common word: 100,000 rows, 35 MB) is a few seconds of
# one core; at 5% of all requests it would be most of the load, which no reader
# mix resembles, and the per-client export limit keeps it rare in practice.
EXPORT_WORDS = ["interpreter", "passport", "tattoo"]
WEIGHTS = {
    "search-en": 25,
    "search-th": 10,
    "facet": 20,
    "permalink": 20,
    "record": 15,
    "home": 5,
    "api": 10,
    "export": 5,
}
FACET_RE = re.compile(r'<input type="checkbox" name="([a-z_]+)" value="([^"]+)"')


def _links(client: sb.Client, path: str, pattern: str) -> list[str]:
    status, body, _ms = client.get(path)
    if status != 200:
        raise SystemExit(f"{path} answered HTTP {status} while collecting paths")
    return sorted(set(re.findall(pattern, body.decode())))


def discover(client: sb.Client, args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Real paths of each request class, read from the server's own pages."""
    permalinks = _links(client, "/testimonies/?sort=newest", r'href="(/testimonies/[A-Z]-\d+/)"')
    permalinks += _links(client, "/testimonies/?sort=year-asc", r'href="(/testimonies/[A-Z]-\d+/)"')
    incidents = _links(client, "/incidents/", r'href="(/incidents/[A-Z]-\d+/)"')
    laws = _links(client, "/laws/", r'href="(/laws/[a-z0-9-]+/)"')
    clauses: list[str] = []
    for law in laws[:5]:
        clauses += _links(client, law, r'href="(/laws/[a-z0-9-]+/[a-z0-9-]+/)"')
    status, body, _ms = client.get("/testimonies/")
    facets = sorted({(n, html.unescape(v)) for n, v in FACET_RE.findall(body.decode())})
    if not permalinks or not facets:
        raise SystemExit("no testimonies or facet values found: is the database loaded?")

    rng = random.Random(1)
    facet_paths = []
    for _ in range(60):
        chosen = rng.sample(facets, k=rng.choice([1, 1, 2]))
        query = [("q", rng.choice(ENGLISH))] if rng.random() < 0.5 else []
        facet_paths.append("/testimonies/?" + urlencode(query + chosen))
    mix: dict[str, list[str]] = {
        "search-en": ["/testimonies/?" + urlencode({"q": q}) for q in ENGLISH],
        "search-th": ["/testimonies/?" + urlencode({"q": q}) for q in THAI],
        "facet": facet_paths,
        "permalink": sorted(set(permalinks)),
        "record": incidents + laws + clauses,
        "home": ["/"],
    }
    if args.open_data:
        mix["api"] = [f"{args.api_path}?{urlencode({'q': q})}" for q in ENGLISH[:5]]
        mix["api"] += [args.api_path]
        mix["export"] = [f"{args.export_path}?{urlencode({'q': q})}" for q in EXPORT_WORDS]
    # Only paths that answer 200 now: anything else in a step is then the load's doing.
    checked: dict[str, dict[str, Any]] = {}
    for name, paths in mix.items():
        good = []
        for path in paths:
            status, _body, _ms = client.get(path)
            if status == 200:
                good.append(path)
            else:
                print(f"skipping {path}: HTTP {status}", file=sys.stderr)
        if not good and name in ("api", "export"):
            raise SystemExit(f"--open-data: no {name} path answered 200 ({paths[0]})")
        checked[name] = {"weight": WEIGHTS[name], "paths": good}
    return checked


def summarise(samples: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    ms = [s["ms"] for s in samples]
    shed = sum(1 for s in samples if s["status"] in SHED)
    failed = [s for s in samples if s["status"] != 200]
    return {
        "requests": len(samples),
        "rps": len(samples) / seconds if seconds else 0.0,
        "p50_ms": sb.percentile(ms, 50),
        "p95_ms": sb.percentile(ms, 95),
        "p99_ms": sb.percentile(ms, 99),
        "max_ms": max(ms) if ms else None,
        "errors": len(failed),
        "shed": shed,
        "shed_p95_ms": sb.percentile([s["ms"] for s in failed if s["status"] in SHED], 95),
        "timeouts_or_resets": sum(1 for s in failed if s["status"] == 0),
    }


def run_step(args: argparse.Namespace, port: int, paths_file: Path, rate: float, tag: str) -> dict:
    users = max(1, math.ceil(rate * args.pacing))
    samples_file = sb.RESULTS_DIR / f"{args.label}.{tag}.samples.jsonl"
    argv = [
        sys.executable,
        str(LOADGEN),
        str(paths_file),
        str(samples_file),
        "--port",
        str(port),
        "--rate",
        str(rate),
        "--pacing",
        str(args.pacing),
        "--seconds",
        str(args.warmup + args.step_seconds),
        "--timeout",
        str(args.request_timeout),
    ]
    started = time.time()
    log = sb.RESULTS_DIR / f"{args.label}.{tag}.loadgen.log"
    with log.open("wb") as out:
        result = subprocess.run(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=args.warmup + args.step_seconds + args.request_timeout + 120,
        )
    if result.returncode != 0:
        raise RuntimeError(f"the load generator exited with {result.returncode}; see {log}")
    rows = [json.loads(line) for line in samples_file.read_text().splitlines() if line]
    # Readers start spread over one pacing period: only the steady part is measured.
    window_start = started + args.warmup
    measured = [r for r in rows if r["t"] is not None and r["t"] >= window_start]
    # Measure over the time requests were really sent.
    seconds = max((r["t"] for r in measured), default=window_start) - window_start
    by_class = {}
    for name in sorted({r["class"] for r in measured}):
        by_class[name] = summarise([r for r in measured if r["class"] == name], seconds)
    search = [r for r in measured if r["class"] in SEARCH_CLASSES]
    errors = sorted({r["error"] or f"HTTP {r['status']}" for r in measured if r["status"] != 200})
    return {
        "offered_rps": rate,
        "users": users,
        "seconds": seconds,
        "all": summarise(measured, seconds),
        "search": summarise(search, seconds),
        "classes": by_class,
        "error_kinds": errors[:10],
    }


def passes(step: dict, target_ms: float) -> bool:
    p95 = step["search"]["p95_ms"]
    return step["all"]["errors"] == 0 and p95 is not None and p95 <= target_ms


def fmt_row(tag: str, step: dict, target_ms: float | None) -> str:
    a, s = step["all"], step["search"]
    verdict = "" if target_ms is None else ("pass" if passes(step, target_ms) else "FAIL")
    return (
        f"| {tag} | {step['offered_rps']:.1f} | {a['rps']:.1f} | {sb.fmt(a['p50_ms'])} | "
        f"{sb.fmt(a['p95_ms'])} | {sb.fmt(a['p99_ms'])} | {sb.fmt(s['p95_ms'])} | {a['errors']} | "
        f"{a['shed']} | {a['timeouts_or_resets']} | {verdict} |"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    sb.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    db = sb.sqlite_path(args.database)
    if db is not None and not db.exists():
        raise SystemExit(f"{db} does not exist: seed it first (see docs/benchmarks.md).")
    vendor = "sqlite" if db is not None else "postgresql"
    target_ms = args.target_ms or TARGET_MS[vendor]
    # The load comes from one address, where real readers come from
    # many, each within its own limit: lift the per-client limits (tested in
    # tests/api and tests/opendata) so that the run measures capacity, not them.
    for variable in ("API_RATE_LIMIT", "ARCHIVE_EXPORT_RATE"):
        os.environ.setdefault(variable, "1000000/minute")
    load_before = os.getloadavg()
    steps: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        port = sb.start_archive(stack, args)
        client = sb.Client(port)
        stack.callback(client.close)
        mix = discover(client, args)
        paths_file = sb.RESULTS_DIR / f"{args.label}.paths.json"
        paths_file.write_text(json.dumps(mix, indent=1, ensure_ascii=False))
        print(
            "| step | offered req/s | achieved req/s | p50 | p95 | p99 | search p95 | errors "
            "| shed 429/503 | time-outs | within target |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        rate, best = args.start_rate, None
        while rate <= args.max_rate:
            step = run_step(args, port, paths_file, rate, f"rate-{rate:g}")
            step["kind"] = "step"
            steps.append(step)
            print(fmt_row(f"{rate:g}/s", step, target_ms), flush=True)
            if not passes(step, target_ms):
                break
            best = rate
            rate = round(rate * args.step_factor, 1)
        overload_rate = args.overload * (best or args.start_rate)
        step = run_step(args, port, paths_file, overload_rate, "overload")
        step["kind"] = "overload"
        steps.append(step)
        print(fmt_row(f"{args.overload:g}x", step, None), flush=True)
    result = {
        "label": args.label,
        "database": sb.redact(args.database),
        "vendor": vendor,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "workers": args.workers,
        "cache": args.cache,
        "target_search_p95_ms": target_ms,
        "sustained_rps": best,
        "overload_rps": overload_rate,
        "step_seconds": args.step_seconds,
        "open_data": args.open_data,
        "mix": {name: {"weight": e["weight"], "paths": len(e["paths"])} for name, e in mix.items()},
        "machine": {
            "cpus": os.cpu_count(),
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg(),
        },
        "steps": steps,
    }
    out = sb.RESULTS_DIR / f"{args.label}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    over = steps[-1]["all"]
    print()
    print(f"Sustained: {best if best is not None else 'none'} req/s within p95 {target_ms:g} ms")
    print(
        f"At {overload_rate:g} req/s offered: {over['rps']:.1f} answered, {over['shed']} shed "
        f"(p95 {sb.fmt(over['shed_p95_ms'])} ms), {over['timeouts_or_resets']} time-outs or resets"
    )
    print(f"Machine load average before {load_before}, after {os.getloadavg()}")
    print(f"Wrote {out}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sb.add_server_arguments(parser)
    parser.add_argument("--target-ms", type=float, help="search p95 target (default by database)")
    parser.add_argument("--start-rate", type=float, default=5, help="first step, requests/s")
    parser.add_argument("--step-factor", type=float, default=1.5, help="each step's rate factor")
    parser.add_argument("--max-rate", type=float, default=2000, help="stop climbing here")
    parser.add_argument("--step-seconds", type=float, default=60, help="measured time per step")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured start of each step")
    parser.add_argument("--overload", type=float, default=3, help="final step: this x sustained")
    parser.add_argument(
        "--pacing", type=float, default=2, help="seconds between a reader's requests"
    )
    parser.add_argument("--request-timeout", type=float, default=10, help="per request, seconds")
    parser.add_argument("--open-data", action="store_true", help="add API and CSV export paths")
    parser.add_argument("--api-path", default="/api/testimonies/")
    parser.add_argument("--export-path", default="/testimonies/export.csv")
    args = parser.parse_args()
    if args.step_factor <= 1 or args.start_rate <= 0:
        parser.error("--step-factor must be above 1 and --start-rate above 0")
    args.pacing = max(args.pacing, 0.1)
    result = sb.run_stopping_servers(run, args)
    if result is None:
        return 130
    return 0 if result["sustained_rps"] is not None else 1


if __name__ == "__main__":
    sys.exit(main())
