"""The natural synthetic corpus: real word frequencies, realistic lengths, planted words.

The benchmark's figures are only as honest as the corpus: these tests hold the
generator to what docs/benchmarks.md says of it, and check that every query
class of bench/search_bench.py finds something in a small corpus of it.
"""

import importlib.util
import math
import re
import statistics
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from archive.search.engine import get_engine
from archive.search.query import parse
from testimonies.models import Testimony
from testimonies.synthetic import generate
from testimonies.synthetic.natural import (
    ENGLISH_WORDS,
    MAX_WORDS,
    MEDIAN_WORDS,
    MIN_WORDS,
    PLANTED,
    THAI_RATE,
    english_vocabulary,
    planted_rate,
)

SIZE = 200
SEED = 5
THAI_LETTERS = re.compile(r"[\u0e00-\u0e7f]")
LATIN_WORD = re.compile(r"[A-Za-z]+")


def _bench():
    """bench/search_bench.py, which is a script and not a package."""
    path = Path(__file__).resolve().parents[2] / "bench" / "search_bench.py"
    spec = importlib.util.spec_from_file_location("search_bench", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("search_bench", module)
    spec.loader.exec_module(module)
    return module


def _thai_paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if THAI_LETTERS.search(p)]


def _english_words(body: str) -> int:
    return sum(len(LATIN_WORD.findall(p)) for p in body.split("\n\n") if not THAI_LETTERS.search(p))


@pytest.fixture(scope="module")
def records():
    return list(generate(SIZE, seed=SEED))


def test_the_same_seed_gives_the_same_text(records):
    assert list(generate(SIZE, seed=SEED)) == records
    other = list(generate(SIZE, seed=SEED + 1))
    assert [r.body for r in other] != [r.body for r in records]
    # Record i's text does not depend on how many are made (its date is spread over the
    # corpus's years): a larger corpus extends a smaller one.
    assert [(r.title, r.body, r.nationality) for r in generate(SIZE // 2, seed=SEED)] == [
        (r.title, r.body, r.nationality) for r in records[: SIZE // 2]
    ]


def test_words_come_from_a_large_vocabulary(records):
    vocabulary = english_vocabulary()
    assert len(vocabulary.words) == ENGLISH_WORDS
    planted_words = {item.text for item in PLANTED if " " not in item.text}
    assert planted_words.isdisjoint(vocabulary.words.tolist())
    distinct = {w.lower() for r in records for w in LATIN_WORD.findall(r.body)}
    # The template corpus has a few hundred distinct words in any number of documents.
    assert len(distinct) > 8_000
    # Zipf: the most frequent word is far more frequent than a word of middling rank.
    counts: dict[str, int] = {}
    for r in records[:20]:
        for w in LATIN_WORD.findall(r.body.lower()):
            counts[w] = counts.get(w, 0) + 1
    assert max(counts, key=counts.__getitem__) == "the"


def test_lengths_are_log_normal_around_the_median():
    lengths = [_english_words(r.body) for r in generate(1_000, seed=SEED)]
    planted_allowance = 60  # planted words and phrases come on top of the drawn words
    assert min(lengths) >= MIN_WORDS
    assert max(lengths) <= MAX_WORDS + planted_allowance
    median = statistics.median(lengths)
    assert 0.9 * MEDIAN_WORDS <= median <= 1.15 * MEDIAN_WORDS
    # A log-normal of sigma 0.7: the quartiles are a factor exp(0.674 * 0.7) = 1.6 from
    # the median, so the middle half spans 400 to 1,000 words, not a narrow band.
    q1, _, q3 = statistics.quantiles(lengths, n=4)
    assert 1.3 < math.sqrt(q3 / q1) < 2.0
    assert sum(length > 2_000 for length in lengths) >= 10
    assert sum(length < 300 for length in lengths) >= 50


def test_about_one_in_ten_has_a_thai_paragraph_written_as_thai_is(records):
    with_thai = [r for r in records if _thai_paragraphs(r.body)]
    assert abs(len(with_thai) - THAI_RATE * SIZE) <= 3
    for record in with_thai:
        (paragraph,) = _thai_paragraphs(record.body)
        assert not LATIN_WORD.search(paragraph)
        # Words run together; a space ends a sentence, so sentences are long runs.
        sentences = paragraph.split(" ")
        assert len(sentences) >= 2 and all(len(s) >= 8 for s in sentences)
    thai_language = {r.language for r in with_thai}
    assert thai_language == {"en", "th"}
    assert {r.language for r in records if r not in with_thai} == {"en"}


@pytest.fixture(scope="module")
def natural_archive(django_db_setup, django_db_blocker):
    """The laws and samples, and SIZE natural testimonies; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_archive", stdout=StringIO())
        samples = set(Testimony.objects.values_list("pk", flat=True))
        call_command("seed_synthetic", testimonies=SIZE, seed=SEED, stdout=StringIO())
        synthetic = set(Testimony.objects.public().values_list("pk", flat=True)) - samples
        yield synthetic
        transaction.set_rollback(True)


def _tolerance(expected: float) -> float:
    # A Weyl sequence puts an English item in `expected` documents give or take one (and
    # once more early on); the Thai items also depend on which documents have Thai, so
    # allow a binomial spread, and a little for newmm segmenting a word with its neighbour.
    return 3 * math.sqrt(expected * (1 - expected / SIZE)) + 2


@pytest.mark.django_db
def test_planted_words_are_found_at_their_rates(natural_archive):
    engine = get_engine()
    for item in PLANTED:
        query = f'"{item.text}"' if " " in item.text else item.text
        found = len(set(engine.match_ids(parse(query))) & natural_archive)
        expected = planted_rate(item.text) * SIZE
        assert abs(found - expected) <= _tolerance(expected), (item.text, found, expected)


@pytest.mark.django_db
def test_every_query_class_of_the_benchmark_finds_something(natural_archive, client):
    bench = _bench()
    found: dict[str, int] = {}
    for query in bench.QUERIES:
        response = client.get(query.archive_path())
        error, total = bench.check_archive(response.status_code, response.content)
        assert error is None, (query.name, error)
        assert total is not None, query.name
        found[query.kind] = found.get(query.kind, 0) + total
    assert set(found) == set(bench.KINDS)
    assert all(found[kind] > 0 for kind in bench.KINDS), found
