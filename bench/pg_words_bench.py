"""PostgreSQL: what phrases of common words and "Did you mean ...?" cost, statement and request.

Run against a seeded database (docs/benchmarks.md, "Running it end to end"),
from the checkout to measure (``--app-dir``, the project root by default):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_pg_words_bench \\
        .venv/bin/python bench/pg_words_bench.py --repeat 9

For each query: the engine's statement alone (``match_ids`` for a phrase,
``word_counts`` of the misspelt word's candidates for a spelling), and the
whole search request through Django's test client, with nothing remembered
(no page cache, no match cache). Prints p50 and p95 in milliseconds, per query
and per class, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

PHRASES = ['"sit on the floor"', '"in the shelter"', '"the police"', '"ตำรวจ การค้ามนุษย์"']
MISSPELT = ["sheltr", "deportaion", "trafficed"]


def _times(run: Callable[[], object], repeat: int) -> list[float]:
    run()  # warm: the first run reads pages the others find cached
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _line(label: str, times: list[float]) -> str:
    return f"{label:<34} p50 {_p(times, 0.5):7.1f}  p95 {_p(times, 0.95):7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-dir", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    app_dir = args.app_dir.resolve()
    os.chdir(app_dir)
    sys.path.insert(0, str(app_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["ARCHIVE_PAGE_CACHE_SECONDS"] = "0"
    os.environ["ARCHIVE_MATCH_CACHE_SIZE"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from archive.search.engine import get_engine
    from archive.search.query import parse
    from archive.search.spelling import edits

    setup_test_environment()
    settings.ARCHIVE_MATCH_CACHE_SIZE = 0
    client = Client()
    engine = get_engine()
    print("load before:", os.getloadavg())
    client.get("/testimonies/?q=police")  # the facet build, before anything is timed
    classes: dict[str, tuple[list[float], list[float]]] = {
        "phrase": ([], []),
        "did-you-mean": ([], []),
    }

    def request(text: str) -> Callable[[], object]:
        return lambda: client.get("/testimonies/?" + urlencode({"q": text}))

    for text in PHRASES:
        parsed = parse(text)
        found = len(engine.match_ids(parsed))
        statement = _times(lambda parsed=parsed: engine.match_ids(parsed), args.repeat)
        whole = _times(request(text), args.repeat)
        classes["phrase"][0].extend(statement)
        classes["phrase"][1].extend(whole)
        print(f"{text} ({found:,} found)")
        print("  " + _line("statement", statement))
        print("  " + _line("request", whole))
    for word in MISSPELT:
        candidates = edits(word)
        counts = engine.word_counts(candidates)
        statement = _times(lambda c=candidates: engine.word_counts(c), args.repeat)
        whole = _times(request(word), args.repeat)
        classes["did-you-mean"][0].extend(statement)
        classes["did-you-mean"][1].extend(whole)
        best = max(counts, key=counts.__getitem__) if counts else None
        print(f"{word} ({len(candidates)} candidates, {len(counts)} held, best {best!r})")
        print("  " + _line("statement", statement))
        print("  " + _line("request", whole))
    for name, (statement, whole) in classes.items():
        print(_line(f"class {name}, statement", statement))
        print(_line(f"class {name}, request", whole))
    print("load after:", os.getloadavg())


if __name__ == "__main__":
    main()
