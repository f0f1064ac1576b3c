"""What ordering one page by relevance costs, query by query, apart from the rest of a search.

The full request (``search_bench.py``) adds Django, the facet counts and the
snippets to it; this times only the step that puts the matches in order, in
one process, with nothing remembered between repetitions:

- ``rank all``: the engine ranks every match (the facet-filtered ones when
  there are filters) and returns the top 20, what ordering by relevance cost
  with no limit on the number of matches;
- ``page 1`` / ``page 50``: the order the search page actually uses for that
  query (``testimonies.search.faceted``), whatever it decides for a large match
  set, at the first page and at the 50th.

    .venv/bin/python bench/rank_bench.py --database sqlite:///var/bench-100k.sqlite3 --repeat 9

Queries are the benchmark's mix (``search_bench.QUERIES``) with a text query,
and a few more: words in nearly every testimony and two common words together.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent

EXTRA = [
    ("the", "the"),
    ("was", "was"),
    ("police shelter", "police shelter"),
    ("police money", "police money"),
    ("shelter OR money", "shelter OR money"),
]


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a DATABASE_URL")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.chdir(ROOT)
    import django

    django.setup()
    from django.http import QueryDict
    from search_bench import QUERIES

    from archive.search.engine import get_engine
    from testimonies.search import faceted
    from testimonies.search.columns import facet_data
    from testimonies.search.params import search_params

    data = facet_data()
    engine = get_engine()
    cases = [(q.name, q.archive_path().partition("?")[2]) for q in QUERIES if q.q]
    cases += [(name, urlencode({"q": q})) for name, q in EXTRA]
    prepared = []
    for name, query_string in cases:
        params = search_params(QueryDict(query_string), facet_data=data)
        if not params.parsed.has_positive:
            continue
        matched = faceted._match_mask(params, data)
        final = faceted._all_but(matched, faceted._selection_masks(params, data), skip="")
        among = data.ids[final].tolist() if params.has_filters else None
        if hasattr(faceted, "_ordering"):
            effective = faceted._ordering(params, data, matched, final)
            notice = effective.notice
        else:  # before head-first ranking: newest first above a fixed limit
            effective, notice = faceted._effective_sort(params, matched)
        prepared.append((name, params, effective, final, among, int(matched.sum()), notice))

    timings: dict[tuple[str, str], list[float]] = {}
    for _round in range(args.repeat + 1):  # the first round warms up, and is dropped
        for name, params, effective, final, among, _words, _notice in prepared:
            steps = {
                "rank all": lambda p=params, a=among: engine.ranked_ids(
                    p.parsed, among=a, limit=20, offset=0
                ),
                "page 1": lambda e=effective, f=final: faceted._order(e, data, f, 0, 20),
                "page 50": lambda e=effective, f=final: faceted._order(e, data, f, 980, 20),
            }
            for step, run in steps.items():
                started = time.perf_counter()
                run()
                elapsed = (time.perf_counter() - started) * 1000
                if _round:
                    timings.setdefault((name, step), []).append(elapsed)

    print(f"load average before the report: {os.getloadavg()}")
    header = f"{'query':28} {'words':>7} {'final':>7}"
    for step in ("rank all", "page 1", "page 50"):
        header += f" {step + ' p50/p95':>18}"
    print(header + "  notice")
    for name, _params, _effective, final, _among, words, notice in prepared:
        line = f"{name:28} {words:7d} {int(final.sum()):7d}"
        for step in ("rank all", "page 1", "page 50"):
            samples = timings[(name, step)]
            line += f" {_p(samples, 0.5):8.1f}/{_p(samples, 0.95):8.1f}"
        print(line + ("  (notice)" if notice else ""))


if __name__ == "__main__":
    main()
