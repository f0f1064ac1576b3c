"""Publish-then-search: what readers see in the seconds after an editor publishes.

Run from the project root with the app's virtualenv, on a seeded database:

    .venv/bin/python bench/publish_then_search.py \
        --database sqlite:///var/bench-100k.sqlite3 --label publish-sqlite-100k

It starts gunicorn as bench/search_bench.py does (deploy/gunicorn.conf.py, 2
workers, DEBUG off, nothing remembered by default: --cache off), records each
worker's facet build at start-up (from the gunicorn log) and its resident
memory once warm, and sends warm-up searches from two clients at once so both
workers serve. Then, --rounds times: bench/publish_one.py publishes a new
testimony through the workflow (in its own process, as an editor's request
would), and from the moment it has committed two clients at once search for
the word only that testimony carries, then for a mix of common words. It
records every search's latency in the first --after searches, and when each
client first found the new testimony and when both had found it three times
in a row (two clients at once: gunicorn hands concurrent requests to both
workers). Results: a table, and var/bench-results/<label>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_bench as sb  # the same server start-up, client and percentiles

ROOT = sb.ROOT
# Words, and two searches by facets alone (every testimony counted, no text searched).
MIX = [
    "/testimonies/?q=police",
    "/testimonies/?nationality=burmese",
    "/testimonies/?q=shelter",
    "/testimonies/?q=wages",
    "/testimonies/?q=interpreter+OR+lawyer",
    "/testimonies/?province=chiang-mai&expand=clause",
]
BUILD_RE = re.compile(r"\[(\d+)\] \[INFO\] facet data for (\d+) testimonies built in (\d+) ms")
BOOT_RE = re.compile(r"Booting worker with pid: (\d+)")


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else None


def workers(log: Path) -> tuple[list[int], list[dict[str, int]]]:
    text = log.read_text(errors="replace")
    pids = [int(pid) for pid in BOOT_RE.findall(text)]
    builds = [
        {"pid": int(pid), "testimonies": int(size), "ms": int(ms)}
        for pid, size, ms in BUILD_RE.findall(text)
    ]
    return pids, builds


def search_path(query: str) -> str:
    return "/testimonies/?" + urlencode({"q": query})


def both_clients(port: int, job: Any) -> list[Any]:
    """Run ``job(client, index)`` in two threads at once; their results, in order."""
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        client = sb.Client(port)
        try:
            results[index] = job(client, index)
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def publish(
    args: argparse.Namespace, word: str
) -> tuple[dict[str, Any], float, subprocess.Popen[str]]:
    """Publish through bench/publish_one.py: its result, the moment it committed, the process.

    The process is left to exit while the searches run: its interpreter's
    teardown is no part of the publication.
    """
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "archive.settings.base",
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "publish_one.py"), "--word", word],
        cwd=Path(args.app_dir).resolve(),
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    committed = time.perf_counter()
    if not line:
        proc.wait(timeout=120)
        raise RuntimeError(f"publish_one.py printed nothing (exit {proc.returncode})")
    return json.loads(line), committed, proc


def after_publication(
    port: int, public_id: str, word: str, committed: float, after: int
) -> list[dict[str, Any]]:
    """Each client's searches from the commit on: latencies, and when it found the testimony."""

    def job(client: sb.Client, index: int) -> dict[str, Any]:
        latencies: list[float] = []
        first_found = found_at = None
        in_a_row = 0
        requests = 0
        # Look for the new testimony until found three times in a row, then the mix.
        while in_a_row < 3 and time.perf_counter() - committed < 30:
            status, body, ms = client.get(search_path(word))
            requests += 1
            latencies.append(ms)
            if status == 200 and public_id.encode() in body:
                in_a_row += 1
                if first_found is None:
                    first_found, found_at = time.perf_counter() - committed, requests
            else:
                in_a_row = 0
        settled = time.perf_counter() - committed
        for query in MIX[index::2] * after:
            if len(latencies) >= after:
                break
            status, _body, ms = client.get(query)
            latencies.append(ms)
        return {
            "latencies_ms": [round(ms, 1) for ms in latencies[:after]],
            "first_found_s": round(first_found, 3) if first_found is not None else None,
            "found_three_in_a_row_s": round(settled, 3),
            "found_by_search": found_at,  # 1: the first search after the commit
        }

    return both_clients(port, job)


def warm(port: int, rounds: int) -> list[float]:
    def job(client: sb.Client, index: int) -> list[float]:
        return [client.get(path)[2] for path in MIX * rounds]

    return [ms for result in both_clients(port, job) for ms in result]


def run(args: argparse.Namespace) -> dict[str, Any]:
    sb.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    db = sb.sqlite_path(args.database)
    args.database_url = f"sqlite:///{db}" if db is not None else args.database
    with contextlib.ExitStack() as stack:
        port = sb.start_archive(stack, args)
        log = sb.RESULTS_DIR / f"{args.label}.gunicorn.log"
        warm_ms = warm(port, args.warm)
        pids, builds = workers(log)
        memory = {pid: rss_mb(pid) for pid in pids}
        rounds = []
        for number in range(1, args.rounds + 1):
            word = f"zqxbench{int(time.time())}r{number}"
            published, committed, proc = publish(args, word)
            searches = after_publication(port, published["public_id"], word, committed, args.after)
            proc.wait(timeout=120)
            rounds.append({"word": word, **published, "clients": searches})
            time.sleep(args.pause)
        steady_ms = warm(port, 1)
        memory_after = {pid: rss_mb(pid) for pid in pids}
    return {
        "label": args.label,
        "database": sb.redact(args.database),
        "corpus": args.corpus,
        "cache": args.cache,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average": os.getloadavg(),
        "start_up_builds": builds,
        "worker_rss_mb": memory,
        "worker_rss_after_mb": memory_after,
        "warm_p50_ms": sb.percentile(warm_ms, 50),
        "warm_p95_ms": sb.percentile(warm_ms, 95),
        "steady_after_p95_ms": sb.percentile(steady_ms, 95),
        "rounds": rounds,
    }


def report(result: dict[str, Any]) -> None:
    print(f"{result['label']}: {result['database']} ({result['corpus']} corpus)")
    for build in result["start_up_builds"]:
        rss = result["worker_rss_mb"].get(build["pid"])
        print(
            f"  worker {build['pid']}: built {build['testimonies']} testimonies in "
            f"{build['ms']} ms at start-up; RSS once warm {rss:.0f} MB"
            if rss
            else f"  worker {build['pid']}: built in {build['ms']} ms"
        )
    print(
        f"  warm searches: p50 {sb.fmt(result['warm_p50_ms'])} ms, "
        f"p95 {sb.fmt(result['warm_p95_ms'])} ms"
    )
    after: list[float] = []
    for number, round_ in enumerate(result["rounds"], start=1):
        print(f"  round {number}: publish {round_['publish_ms']} ms ({round_['public_id']})")
        for index, client in enumerate(round_["clients"]):
            after += client["latencies_ms"]
            print(
                f"    client {index}: found after {client['first_found_s']} s, "
                f"three in a row after {client['found_three_in_a_row_s']} s; "
                f"searches (ms): {', '.join(f'{ms:.0f}' for ms in client['latencies_ms'])}"
            )
    print(
        f"  every search after a publication: p50 {sb.fmt(sb.percentile(after, 50))} ms, "
        f"p95 {sb.fmt(sb.percentile(after, 95))} ms, max {max(after):.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sb.add_server_arguments(parser)
    parser.set_defaults(cache="off")
    parser.add_argument("--rounds", type=int, default=3, help="publications")
    parser.add_argument("--after", type=int, default=6, help="searches timed per client")
    parser.add_argument("--warm", type=int, default=3, help="rounds of the mix before")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between rounds")
    parser.add_argument("--corpus", default="template", help="only labels the results")
    args = parser.parse_args()
    result = sb.run_stopping_servers(run, args)
    if result is None:
        return 130
    (sb.RESULTS_DIR / f"{args.label}.json").write_text(json.dumps(result, indent=2))
    report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
