"""What a search page's hints cost: the spelling lookup, the facet labels, the laws.

Run against a seeded database (docs/benchmarks.md, "Running it end to end"):

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:///var/bench-100k.sqlite3 \\
        .venv/bin/python bench/hints_bench.py

Prints the median of seven runs, in milliseconds, of the search alone and of
its hints, and of the engine's lookup of each misspelt word's candidates.
"""

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
from django.http import QueryDict  # noqa: E402

from archive.search.engine import get_engine  # noqa: E402
from archive.search.spelling import edits  # noqa: E402
from testimonies.search.columns import facet_data  # noqa: E402
from testimonies.search.faceted import search_from_query  # noqa: E402
from testimonies.search.hints import search_hints  # noqa: E402

QUERIES = ["sheltr", "deportaion", "trafficed", "protective custody", "ATIPA s. 29", "shelter"]


def median_ms(run: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    settings.ARCHIVE_MATCH_CACHE_SIZE = 0  # every search asks the engine
    engine = get_engine()
    data = facet_data()
    print(f"{settings.DATABASES['default']['ENGINE']}, {data.size:,} published testimonies")
    for word in ["sheltr", "deportaion", "trafficed"]:
        candidates = edits(word)
        found = engine.word_counts(candidates)
        took = median_ms(lambda candidates=candidates: engine.word_counts(candidates))
        print(f"  word_counts, {len(candidates)} candidates of {word!r}: {took:.1f} ms -> {found}")
    for text in QUERIES:
        query = QueryDict(mutable=True)
        query["q"] = text
        result = search_from_query(query)
        hints = search_hints(result, data)
        searched = median_ms(lambda query=query: search_from_query(query))
        hinted = median_ms(lambda result=result: search_hints(result, data))
        spelling = hints.spelling.text if hints.spelling else None
        print(
            f"  {text!r}: {result.total:,} found; search {searched:.1f} ms, hints {hinted:.1f} ms"
            f" (spelling {spelling!r}, {len(hints.facets)} facet(s), {len(hints.laws)} law(s))"
        )


if __name__ == "__main__":
    main()
