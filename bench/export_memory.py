"""Memory of the CSV export: does it stay flat however many rows are streamed?

Run from the project root against a seeded database (seed_synthetic):

    DATABASE_URL=sqlite:///var/bench-100k.sqlite3 DJANGO_DEBUG=1 \
        .venv/bin/python bench/export_memory.py

For each search it streams /testimonies/export.csv through Django's test
client in this process and prints the rows, the bytes, the seconds and the
growth of the process's resident memory over the warm baseline (sampled
while the rows stream). Flat means the growth for the whole archive is about
that of a small search, not proportional to the rows.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

SEARCHES = ["province=tak&language=th", "nationality=burmese", "q=shelter", ""]
PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    # Warm up: facet columns, the match cache, templates; then the baseline.
    b"".join(client.get("/testimonies/export.csv?province=tak").streaming_content)
    baseline = resident_bytes()
    print(f"baseline resident memory: {baseline / 2**20:.1f} MiB")
    print(f"{'search':<28} {'rows':>8} {'MiB out':>8} {'seconds':>8} {'peak growth MiB':>16}")
    for query in SEARCHES:
        cache.clear()  # the export rate limit is not what is measured here
        started = time.perf_counter()
        response = client.get(f"/testimonies/export.csv?{query}")
        assert response.status_code == 200, response.status_code
        peak, size, lines = resident_bytes(), 0, 0
        for chunk in response.streaming_content:  # one chunk per 500 rows
            size += len(chunk)
            lines += chunk.count(b"\n")
            peak = max(peak, resident_bytes())
        peak = max(peak, resident_bytes())
        elapsed = time.perf_counter() - started
        print(
            f"{query or '(everything)':<28} {lines - 1:>8} {size / 2**20:>8.1f} "
            f"{elapsed:>8.1f} {(peak - baseline) / 2**20:>16.1f}"
        )


if __name__ == "__main__":
    main()
