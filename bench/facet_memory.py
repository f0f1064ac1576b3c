"""Facet columns: a worker's start-up build, its memory, and the cost of one publication.

    # Read from a database, as a worker does at start-up:
    DATABASE_URL=sqlite:///var/bench-100k.sqlite3 .venv/bin/python bench/facet_memory.py --read
    # Synthetic columns of N testimonies, built without a database:
    .venv/bin/python bench/facet_memory.py --testimonies 1000000

Each run is one fresh process. It reports the process's resident memory
(VmRSS) before and after the columns exist, the arrays' own bytes, and the
time ``merge_documents`` takes to add one newly published testimony (what a
worker does after a publication, once the testimony's rows are read: a few
milliseconds of queries, not included), against the time the two sorts of a
full build's ranks take alone. Synthetic columns have the shape of the
100,000-testimony template corpus (per testimony: 1.47 violations, 1.82
clause links, 0.41 raid links; 20 violation types, 18 laws, 200 clauses, 6
authorities, 92 raids), with random values.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django

django.setup()

from testimonies.search import columns, index  # noqa: E402
from testimonies.search.documents import LINK_RELATIONS, Documents, Vocabulary  # noqa: E402
from testimonies.search.facets import SINGLE_VALUED_FIELDS, FacetValue  # noqa: E402

PER_TESTIMONY = {
    "violation": 1.47,
    "law": 1.2,
    "clause": 1.82,
    "authority": 0.6,
    "raid": 0.41,
    "practice": 1.9,  # clause links with their relation: a link or two more than clauses
}
WIDTH = {"violation": 20, "law": 18, "clause": 200, "authority": 6, "raid": 92}
WIDTH["practice"] = WIDTH["clause"] * len(LINK_RELATIONS)


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert match
    return int(match.group(1)) / 1024


def array_bytes(data: columns.FacetData) -> int:
    arrays = [
        data.ids,
        data.years,
        data.published_order,
        data.recorded_order,
        data.published_key,
        data.recorded_key,
        data.raids.doc_index,
        data.raids.raid_index,
        data.practice.doc_index,
        data.practice.link_index,
    ]
    for column in data.columns.values():
        arrays += [a for a in (column.codes, column.doc_index, column.value_index) if a is not None]
    return sum(a.nbytes for a in arrays)


def synthetic_pairs(rng: np.random.Generator, ids: np.ndarray, name: str) -> np.ndarray:
    count = int(len(ids) * PER_TESTIMONY[name])
    keys = rng.choice(ids, count) * WIDTH[name] + rng.integers(0, WIDTH[name], count)
    return np.unique(keys)


def synthetic_documents(rng: np.random.Generator, ids: np.ndarray) -> Documents:
    return Documents(
        ids=ids,
        codes={
            name: rng.integers(0, len(choices.choices), len(ids))
            for name, choices in SINGLE_VALUED_FIELDS.items()
        },
        years=rng.integers(1990, 2025, len(ids)),
        published_key=np.sort(rng.integers(1_500_000_000, 1_700_000_000, len(ids))) * 1_000_000,
        recorded_key=rng.integers(-1_000_000, 20_000, len(ids)),
        pairs={name: synthetic_pairs(rng, ids, name) for name in WIDTH},
    )


def synthetic(n: int) -> tuple[columns.FacetData, Documents, Vocabulary]:
    rng = np.random.default_rng(1)
    values = {
        name: [FacetValue(code, label) for code, label in choices.choices]
        for name, choices in SINGLE_VALUED_FIELDS.items()
    }
    for name in ("violation", "law", "clause", "authority"):
        values[name] = [FacetValue(f"{name}-{i}", f"{name} {i}") for i in range(WIDTH[name])]
    vocabulary = Vocabulary(
        values=values,
        violation_of_type=np.arange(WIDTH["violation"]),
        law_of_clause=np.zeros(WIDTH["clause"], dtype=np.int64),
        clause_of_pk=np.arange(WIDTH["clause"]),
        law_of_clause_index=np.zeros(WIDTH["clause"], dtype=np.int64),
        raid_of_pk=np.arange(WIDTH["raid"]),
        raid_years=rng.integers(2000, 2025, WIDTH["raid"]),
        raid_authorities=np.zeros((0, 2), dtype=np.int64),
    )
    documents = synthetic_documents(rng, np.arange(1, n + 1, dtype=np.int64))
    widths = columns._widths(vocabulary)
    pairs = {
        name: columns._pairs_at(keys, widths[name], documents.ids)
        for name, keys in documents.pairs.items()
    }
    data = columns._assemble("synthetic", vocabulary, documents, pairs, None)
    fresh = synthetic_documents(rng, np.array([n + 1], dtype=np.int64))
    fresh.published_key[:] = data.published_key[-1] + 1  # the newest publication
    return data, fresh, vocabulary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--read", action="store_true", help="build from DATABASE_URL")
    group.add_argument("--testimonies", type=int, help="synthetic columns of N testimonies")
    args = parser.parse_args()
    before = rss_mb()
    started = time.perf_counter()
    if args.read:
        data = columns.build_facet_data(index.current_generation(), index.last_change())
        fresh = None
    else:
        data, fresh, _vocabulary = synthetic(args.testimonies)
    built = time.perf_counter() - started
    after = rss_mb()
    print(
        f"{data.size} testimonies: built in {built * 1000:.0f} ms; RSS {before:.0f} -> "
        f"{after:.0f} MB (+{after - before:.0f}); arrays {array_bytes(data) / 2**20:.1f} MB"
    )
    if fresh is not None:
        merges, sorts = [], []
        for _ in range(5):
            started = time.perf_counter()
            columns.merge_documents(data, fresh.ids, fresh, generation="next", change=None)
            merges.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            columns._rank(data.published_key)
            columns._rank(data.recorded_key)
            sorts.append((time.perf_counter() - started) * 1000)
        print(
            f"  one publication merged in {sorted(merges)[2]:.1f} ms (median of 5); "
            f"a full build's two rank sorts alone: {sorted(sorts)[2]:.1f} ms"
        )


if __name__ == "__main__":
    main()
