"""What the law in practice costs a page: its grouped queries against the reads beside them.

Run against a seeded database (docs/benchmarks.md, "Running it end to end"):

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:///var/bench-100k.sqlite3 \\
        .venv/bin/python bench/practice_bench.py --repeat 15

For each query string (everything, a filter, a word), p50 and p95 in
milliseconds of: the law index's rankings, the busiest law's and clause's
picture, and, as peers measured in the same run, the search those pages
already run (``search_from_query``) and the law index's existing counts.
The facet columns are built once before timing, as a worker holds them.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402

from laws import practice  # noqa: E402
from laws import selectors as law_selectors  # noqa: E402
from laws.models import Clause, Law  # noqa: E402
from testimonies.search import search_from_query  # noqa: E402
from testimonies.search.columns import facet_data  # noqa: E402

QUERIES = ["", "nationality=burmese", "q=shelter", "province=tak&year_from=2010"]


def percentiles(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm: the first call pays for imports and caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    repeat = parser.parse_args().repeat
    settings.ARCHIVE_MATCH_CACHE_SIZE = 0  # every search asks the engine
    data = facet_data()
    print(f"{settings.DATABASES['default']['ENGINE']}, {data.size:,} published testimonies")
    busiest_law = Law.objects.annotate(n=Count("clauses__testimony_links")).order_by("-n").first()
    busiest_clause = Clause.objects.annotate(n=Count("testimony_links")).order_by("-n").first()
    assert busiest_law is not None and busiest_clause is not None
    laws = list(practice.public_laws())
    print(f"busiest law {busiest_law.slug}, busiest clause {busiest_clause.citation}")
    print("| query | what | p50 ms | p95 ms | p50 / search |")
    print("|---|---|---|---|---|")
    for text in QUERIES:
        query = QueryDict(text)
        cases: dict[str, Callable[[], object]] = {
            "search (peer)": lambda query=query: search_from_query(query),
            "law index counts (peer)": lambda: list(law_selectors.laws_with_counts()),
            "rankings": lambda query=query: practice.law_rankings(query, laws=laws),
            "law by year": lambda query=query: practice.law_by_year(query, law=busiest_law),
            "clause by year": lambda query=query: practice.clause_by_year(
                query, clause=busiest_clause
            ),
        }
        search_p50 = None
        for name, run in cases.items():
            p50, p95 = percentiles(run, repeat)
            search_p50 = search_p50 or p50
            label = text or "(none)"
            print(f"| `{label}` | {name} | {p50:.1f} | {p95:.1f} | {p50 / search_p50:.2f} |")


if __name__ == "__main__":
    main()
