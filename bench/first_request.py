"""A gunicorn worker's first reader: how long the first search takes after a start.

    .venv/bin/python bench/first_request.py --database sqlite:///var/bench-10k.sqlite3 \
        --label first-10k-after --app-dir var/snapshot-after --starts 5

Starts gunicorn from the checkout ``--app-dir`` with its own deploy/gunicorn.conf.py
(one worker, so the first request surely meets a worker nothing has asked yet;
DEBUG off, every cache off), waits until the worker has finished starting (its
"Booting worker" line, then ``--settle`` seconds, without sending any request:
long enough for either checkout's start-up hook to have finished), then times a
first search, the same search again, and a different one. Stopped and started
``--starts`` times; prints each, and the median of each column. Writes
var/bench-results/<label>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from search_bench import (  # noqa: E402
    CACHE_MODES,
    RESULTS_DIR,
    Client,
    free_port,
    redact,
    server,
    sqlite_path,
)

FIRST = "/testimonies/?q=shelter"
OTHER = "/testimonies/?q=deported&province=bangkok"


def _wait_booted(log: Path, timeout: float = 600) -> float:
    """Seconds until gunicorn says it is booting its worker."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if log.exists() and "Booting worker" in log.read_text(errors="replace"):
            return time.monotonic() - started
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn not up after {timeout}s; see {log}")


def one_start(args: argparse.Namespace, number: int) -> dict[str, float]:
    app_dir = Path(args.app_dir).resolve()
    port = free_port()
    db = sqlite_path(args.database)
    database = f"sqlite:///{db}" if db is not None else args.database
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "archive.settings.base",
        "LOG_LEVEL": "WARNING",
        "ARCHIVE_HTTP_CACHE_SECONDS": "0",
        **CACHE_MODES["off"],
    }
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(app_dir / "deploy" / "gunicorn.conf.py"),
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
    ]
    log = RESULTS_DIR / f"{args.label}.{number}.gunicorn.log"
    with server("gunicorn", argv, env, log, cwd=app_dir):
        boot = _wait_booted(log)
        # The master listens from the start, so a connection says nothing of the
        # worker: give it time to finish starting whatever its hook does, as a
        # reader who comes some seconds after a restart would.
        time.sleep(args.settle)
        client = Client(port)
        try:
            row = {"boot_s": boot}
            for name, path in (("first_ms", FIRST), ("again_ms", FIRST), ("other_ms", OTHER)):
                status, _body, elapsed = client.get(path)
                if status != 200:
                    raise RuntimeError(f"{path}: HTTP {status}; see {log}")
                row[name] = elapsed
        finally:
            client.close()
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--app-dir", default=str(ROOT))
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--settle", type=float, default=15.0, help="seconds after boot")
    args = parser.parse_args()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    app_dir = Path(args.app_dir).resolve()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=app_dir,
        env={
            **os.environ,
            "SECRET_KEY": "bench",
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": args.database,
            "DJANGO_SETTINGS_MODULE": "archive.settings.base",
        },
        check=True,
    )
    load_before = os.getloadavg()
    rows = []
    for number in range(args.starts):
        row = one_start(args, number)
        rows.append(row)
        print(
            f"start {number}: first {row['first_ms']:.0f} ms, again {row['again_ms']:.0f} ms, "
            f"another search {row['other_ms']:.0f} ms",
            file=sys.stderr,
        )
    load_after = os.getloadavg()
    medians = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    result = {
        "label": args.label,
        "database": redact(args.database),
        "app_dir": str(app_dir),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "starts": rows,
        "median": medians,
        "loadavg_before": load_before,
        "loadavg_after": load_after,
    }
    out = RESULTS_DIR / f"{args.label}.json"
    out.write_text(json.dumps(result, indent=2))
    print(
        f"{args.label}: median first search {medians['first_ms']:.0f} ms, the same again "
        f"{medians['again_ms']:.0f} ms, another {medians['other_ms']:.0f} ms "
        f"({args.starts} starts); load average before "
        + "/".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + "/".join(f"{x:.2f}" for x in load_after)
    )
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
