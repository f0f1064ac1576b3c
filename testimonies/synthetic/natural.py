"""Natural text: real word frequencies, realistic lengths, domain words at known rates.

A template corpus of a few hundred distinct words flatters every index: each
word's list of documents is long and few, phrases repeat verbatim. Here:

- English words are drawn by their frequency in wordfreq's English list (the
  ``ENGLISH_WORDS`` most frequent words of letters only, Zipf-distributed as
  real text is), in sentences of varied length (log-normal, median
  ``SENTENCE_MEDIAN`` words) and paragraphs of 2 to 8 sentences;
- a document's length is log-normal, median ``MEDIAN_WORDS`` English words,
  clipped to ``MIN_WORDS``..``MAX_WORDS``;
- about one document in ten (``THAI_RATE``) has a Thai paragraph, its words
  drawn by frequency from the Thai National Corpus list that pythainlp ships,
  written as Thai is: no space between words, a space after each sentence;
- the domain words and phrases of ``PLANTED`` are planted at known rates, and
  a planted single word is left out of the background vocabulary, so its
  share of documents is its rate and nothing else (``planted_rate``).

Which documents carry a planted item is not a coin toss per document but a
Weyl sequence per item: document ``i`` carries it when ``frac(phase + i *
alpha) < rate``, ``alpha`` the fractional part of the square root of a prime of
its own. Any run of ``n`` documents then carries it in ``n * rate`` of them
give or take about one, whatever ``n``; and as the square roots of distinct
primes are rationally independent, the items fall independently of each other
in the long run (Weyl's equidistribution theorem). Each English item's phase
also puts it once in the first ``EARLY`` documents, so even a small corpus has
every rare word.
"""

import math
import random
import re
from dataclasses import dataclass
from functools import cache

import numpy as np

__all__ = [
    "ENGLISH_WORDS",
    "MAX_WORDS",
    "MEDIAN_WORDS",
    "MIN_WORDS",
    "PLANTED",
    "THAI_RATE",
    "THAI_WORDS",
    "NaturalText",
    "Planted",
    "Vocabulary",
    "english_vocabulary",
    "planted_rate",
    "thai_vocabulary",
]

ENGLISH_WORDS = 30_000
THAI_WORDS = 20_000
MEDIAN_WORDS = 650
# With 0.7, about 1% of documents are clipped to MIN_WORDS and 0.1% to MAX_WORDS;
# the mean is about 830 words.
LENGTH_SIGMA = 0.7
MIN_WORDS = 120
MAX_WORDS = 6_000
SENTENCE_MEDIAN = 14
THAI_RATE = 0.10
EARLY = 100

_ENGLISH_WORD = re.compile(r"[a-z]+")
_THAI_WORD = re.compile(r"[\u0e01-\u0e4e]+")


@dataclass(frozen=True)
class Planted:
    """A word or phrase planted in a share of documents.

    ``rate``: the share of documents that carry it; for a Thai item, the share
    of Thai paragraphs. ``repeats``: how many more times, on average, a
    document of median length that carries it says it (longer ones more).
    ``kind``: the benchmark's query class it is planted for.
    """

    text: str
    rate: float
    kind: str
    repeats: float = 0.0

    @property
    def thai(self) -> bool:
        return _THAI_WORD.fullmatch(self.text) is not None


# The benchmark's query classes (bench/search_bench.py) each need words at a
# known share of documents: common (most documents), medium (a few percent), rare
# (a few in a thousand), phrases (adjacent words the background never puts
# together), and Thai. OR and exclusion queries combine these.
PLANTED: tuple[Planted, ...] = (
    Planted("police", 0.90, "common", repeats=2.0),
    Planted("shelter", 0.65, "common", repeats=1.0),
    Planted("money", 0.60, "common", repeats=1.0),
    Planted("raid", 0.40, "common", repeats=0.5),
    Planted("deportation", 0.05, "medium", repeats=0.3),
    Planted("passport", 0.04, "medium", repeats=0.3),
    Planted("interpreter", 0.03, "medium", repeats=0.3),
    Planted("lawyer", 0.03, "medium", repeats=0.3),
    Planted("tattoo", 0.02, "medium"),
    Planted("harmonica", 0.004, "rare"),
    Planted("violin", 0.004, "rare"),
    Planted("umbrella", 0.004, "rare"),
    Planted("sit on the floor", 0.25, "phrase"),
    Planted("immigration officer", 0.15, "phrase", repeats=0.3),
    Planted("medical examination", 0.10, "phrase", repeats=0.3),
    Planted("kept in one room", 0.10, "phrase"),
    Planted("took an x-ray", 0.02, "phrase"),
    Planted("no interpreter", 0.01, "phrase"),
    Planted("ตำรวจ", 0.60, "thai"),  # police
    Planted("การค้ามนุษย์", 0.40, "thai"),  # trafficking in persons
    Planted("ค่าจ้าง", 0.30, "thai"),  # wages
    Planted("บุกค้น", 0.20, "thai"),  # raid (to storm and search)
    Planted("ล่าม", 0.15, "thai"),  # interpreter
)
_ENGLISH = tuple(item for item in PLANTED if not item.thai)
_THAI = tuple(item for item in PLANTED if item.thai)


def planted_rate(phrase: str) -> float:
    """The share of documents expected to contain ``phrase`` through planting.

    Every planted item that contains it counts (``interpreter`` is also in ``no
    interpreter``); items fall independently. For a planted single word or a
    planted phrase this is its whole rate: the background never holds them.
    """
    missing = 1.0
    if _THAI_WORD.fullmatch(phrase):
        for item in _THAI:
            if phrase in item.text:
                missing *= 1 - THAI_RATE * item.rate
    else:
        words = _words(phrase)
        for item in _ENGLISH:
            if words and _contains(_words(item.text), words):
                missing *= 1 - item.rate
    return 1 - missing


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


@dataclass(frozen=True)
class Vocabulary:
    """Words and their cumulative weights, for drawing by frequency."""

    words: np.ndarray  # of str objects
    cumulative: np.ndarray  # float64, last element the total weight

    def draw(self, rng: np.random.Generator, count: int) -> list[str]:
        points = rng.random(count) * self.cumulative[-1]
        # side="right": a point equal to a boundary belongs to the next word.
        indexes = np.searchsorted(self.cumulative, points, side="right")
        return self.words[indexes].tolist()


def _vocabulary(frequencies: dict[str, float], size: int, excluded: set[str]) -> Vocabulary:
    # Sorted by frequency, then spelling: the same list whatever the source's order.
    ranked = sorted(
        (word for word in frequencies if word not in excluded), key=lambda w: (-frequencies[w], w)
    )[:size]
    words = np.array(ranked, dtype=object)
    cumulative = np.cumsum(np.array([frequencies[w] for w in ranked], dtype=np.float64))
    return Vocabulary(words, cumulative)


@cache
def english_vocabulary() -> Vocabulary:
    """The ENGLISH_WORDS most frequent English words of letters only, less planted words."""
    try:
        from wordfreq import get_frequency_dict
    except ImportError as error:
        raise ImportError(
            "The natural text draws its English words from wordfreq, a development "
            "requirement: pip install -r requirements-dev.txt"
        ) from error
    frequencies = {
        word: frequency
        for word, frequency in get_frequency_dict("en", wordlist="large").items()
        if _ENGLISH_WORD.fullmatch(word)
    }
    # "I" is the one word always written in capitals; the index folds case anyway.
    frequencies["I"] = frequencies.pop("i")
    excluded = {item.text for item in _ENGLISH if " " not in item.text}
    return _vocabulary(frequencies, ENGLISH_WORDS, excluded)


@cache
def thai_vocabulary() -> Vocabulary:
    """The THAI_WORDS most frequent words of the Thai National Corpus, in Thai letters only.

    A word holding a planted Thai item ("สถานีตำรวจ", police station) is left
    out as well: newmm might split it and find the item there.
    """
    from pythainlp.corpus import tnc

    frequencies: dict[str, float] = {}
    for word, count in tnc.word_freqs():
        if _THAI_WORD.fullmatch(word):
            frequencies[word] = frequencies.get(word, 0) + float(count)
    excluded = {word for word in frequencies if any(item.text in word for item in _THAI)}
    return _vocabulary(frequencies, THAI_WORDS, excluded)


def _primes(count: int) -> list[int]:
    found: list[int] = []
    candidate = 2
    while len(found) < count:
        if all(candidate % p for p in found if p * p <= candidate):
            found.append(candidate)
        candidate += 1
    return found


class NaturalText:
    """Bodies and titles of natural text for one seed; record ``i`` is the same in any run."""

    def __init__(self, seed: int) -> None:
        self.english = english_vocabulary()
        self.thai = thai_vocabulary()
        # Its own generator, apart from the records' facets: numpy draws whole arrays
        # of words at once, which is what makes this fast.
        self.rng = np.random.default_rng(seed)
        primes = _primes(len(PLANTED) + 1)
        self._thai_alpha = math.sqrt(primes[0]) % 1
        self._thai_phase = float(self.rng.random())
        self._alphas = [math.sqrt(p) % 1 for p in primes[1:]]
        self._phases = []
        for item, alpha in zip(PLANTED, self._alphas, strict=True):
            if item.thai:
                # Thai items ride on the Thai paragraphs: no early placement.
                self._phases.append(float(self.rng.random()))
                continue
            first = int(self.rng.integers(min(EARLY, math.ceil(1 / item.rate))))
            self._phases.append((float(self.rng.random()) * item.rate - first * alpha) % 1)

    def _carries(self, index: int, number: int) -> bool:
        return (self._phases[index] + number * self._alphas[index]) % 1 < PLANTED[index].rate

    def has_thai(self, number: int) -> bool:
        return (self._thai_phase + number * self._thai_alpha) % 1 < THAI_RATE

    def body(self, number: int, rng: random.Random) -> tuple[str, str]:
        """Record ``number``'s body and language; ``rng``, the facets' generator, is not used."""
        length = self.rng.lognormal(math.log(MEDIAN_WORDS), LENGTH_SIGMA)
        words = int(min(max(round(length), MIN_WORDS), MAX_WORDS))
        sentences = self._sentences(self.english.draw(self.rng, words), SENTENCE_MEDIAN, 3, 60)
        thai_items = []
        for index, item in enumerate(PLANTED):
            if not self._carries(index, number):
                continue
            if item.thai:
                thai_items.append(item)
                continue
            times = 1 + int(self.rng.poisson(item.repeats * words / MEDIAN_WORDS))
            for _ in range(times):
                sentence = sentences[int(self.rng.integers(len(sentences)))]
                sentence.insert(int(self.rng.integers(len(sentence) + 1)), item.text)
        paragraphs = self._paragraphs([self._english_sentence(s) for s in sentences])
        language = "en"
        if self.has_thai(number):
            paragraphs.insert(
                int(self.rng.integers(len(paragraphs) + 1)), self._thai_paragraph(thai_items)
            )
            if self.rng.random() < 0.5:
                language = "th"
        return "\n\n".join(paragraphs), language

    def title(self, number: int, rng: random.Random) -> str:
        words = self.english.draw(self.rng, int(self.rng.integers(3, 8)))
        return f"Synthetic account {number + 1}: {_capitalised(' '.join(words))}"

    def _sentences(
        self, words: list[str], median: float, shortest: int, longest: int
    ) -> list[list[str]]:
        # More lengths than can be needed (every sentence is at least `shortest` words).
        lengths = self.rng.lognormal(math.log(median), 0.5, len(words) // shortest + 1)
        bounds = np.cumsum(np.clip(np.rint(lengths), shortest, longest).astype(np.int64))
        cut = int(np.searchsorted(bounds, len(words)))
        starts = [0, *bounds[:cut].tolist()]
        sentences = [words[a:b] for a, b in zip(starts, [*starts[1:], len(words)], strict=True)]
        sentences = [s for s in sentences if s]
        # The cut leaves a stub of whatever was left over: it joins the sentence before.
        if len(sentences) > 1 and len(sentences[-1]) < shortest:
            sentences[-2].extend(sentences.pop())
        return sentences

    def _english_sentence(self, words: list[str]) -> str:
        if len(words) >= 8 and self.rng.random() < 0.4:
            at = int(self.rng.integers(2, len(words) - 2))
            words[at] += ","
        end = "?" if self.rng.random() < 0.05 else "."
        return _capitalised(" ".join(words)) + end

    def _paragraphs(self, sentences: list[str]) -> list[str]:
        paragraphs = []
        start = 0
        while start < len(sentences):
            size = int(self.rng.integers(2, 9))
            paragraphs.append(" ".join(sentences[start : start + size]))
            start += size
        return paragraphs

    def _thai_paragraph(self, items: list[Planted]) -> str:
        words = self.thai.draw(self.rng, int(self.rng.integers(40, 201)))
        sentences = self._sentences(words, 12, 4, 30)
        for item in items:
            sentence = sentences[int(self.rng.integers(len(sentences)))]
            sentence.insert(int(self.rng.integers(len(sentence) + 1)), item.text)
        # Thai writes no space between words and one between sentences.
        return " ".join("".join(sentence) for sentence in sentences)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
