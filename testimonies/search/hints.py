"""What a search page offers besides its results: a spelling, a facet, a law.

- A spelling ("Did you mean: shelter?") when a search finds fewer than
  ``FEW_RESULTS`` testimonies and a word of it is in no published testimony
  while a word one edit away is (``archive.search.spelling``; the engine's
  index says which words exist, so only published text is ever suggested).
- Facet values whose label holds the words (``protective custody`` is a
  violation's label), as links that apply the value instead of the words,
  also only for a search that found few.
- The laws and clauses a search names (``ATIPA``, ``ATIPA s. 29``, ``section
  29 ATIPA``, ``atipa-2008/s-29``), on every search: a reader who types a
  citation is likely looking for the law's page.
"""

import functools
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import translation

from archive.search.engine import get_engine
from archive.search.query import ParsedQuery, Phrase
from archive.search.spelling import MIN_WORD_LENGTH, edits, nearest
from archive.search.text import tokens
from laws.identifiers import citation
from laws.models import Clause, Law
from testimonies.search.columns import FacetData
from testimonies.search.facets import FACETS, FacetDefinition, FacetValue
from testimonies.search.results import SearchResult

# Fewer results than this and the page offers other words and facets.
FEW_RESULTS = 3
# Longer words are names, numbers or pasted text: no spelling is guessed for them.
MAX_WORD_LENGTH = 40
# Each unknown word costs the index a lookup of ~1,000 candidates (~40 ms).
MAX_WORDS_GUESSED = 3
MAX_FACET_HINTS = 5
MAX_LAW_HINTS = 3
# Words naming a kind of clause, dropped before comparing clause numbers:
# "s. 29", "section 29" and "29" all name section 29.
CLAUSE_WORDS = frozenset(
    {"s", "ss", "sec", "section", "art", "arts", "article", "guideline", "principle", "para"}
)
# The law facet is offered by the law hints, with the law's own page.
FACETS_HINTED = tuple(facet for facet in FACETS if facet.name != "law")


@dataclass(frozen=True)
class Spelling:
    text: str  # the search text with each unknown word replaced
    words: tuple[str, ...]  # the words put in place of the unknown ones


@dataclass(frozen=True)
class FacetHint:
    facet: FacetDefinition
    value: FacetValue


@dataclass(frozen=True)
class LawHint:
    label: str
    url: str


@dataclass(frozen=True)
class Hints:
    spelling: Spelling | None = None
    facets: tuple[FacetHint, ...] = ()
    laws: tuple[LawHint, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.spelling or self.facets or self.laws)


def search_hints(result: SearchResult, data: FacetData, *, pinned: Iterable[str] = ()) -> Hints:
    """What to offer beside this result; ``pinned`` facets (a law page's) are not offered."""
    parsed = result.params.parsed
    if not parsed.has_positive:
        return Hints()
    words = _positive_tokens(parsed)
    few = result.total < FEW_RESULTS
    return Hints(
        spelling=spelling(result.params.text, _spelling_units(parsed)) if few else None,
        facets=facet_hints(words, result, data, pinned=set(pinned)) if few else (),
        laws=law_hints(words, generation=data.generation),
    )


def _positive_tokens(parsed: ParsedQuery) -> list[str]:
    """The words looked for, in the order typed, once each (exclusions left out)."""
    seen: dict[str, None] = {}
    for group in parsed.groups:
        for phrase in group:
            seen.update(dict.fromkeys(phrase.tokens))
    return list(seen)


_THAI = re.compile(r"[\u0e00-\u0e7f]")


def _spelling_units(parsed: ParsedQuery) -> list[str]:
    """The words to check, in order: each word, but a Thai run as typed.

    A misspelt Thai word is no word of the segmenter's dictionary, so newmm
    cuts it into pieces that may each exist ("คุ้มครอ" becomes "คุ้ม" and
    "ครอ"): the run the pieces came from is what is one edit from a word.
    """
    seen: dict[str, None] = {}
    for group in parsed.groups:
        for phrase in group:
            if len(phrase.tokens) > 1 and all(_THAI.search(token) for token in phrase.tokens):
                seen["".join(phrase.tokens)] = None
            else:
                seen.update(dict.fromkeys(phrase.tokens))
    return list(seen)


def _held_in_another_form(word: str) -> bool:
    """The search finds the word as another form ("shelters" where "shelter" is written).

    ``word_counts`` knows the words as written; such a word is no slip to correct.
    """
    query = ParsedQuery(groups=((Phrase((word,)),),))
    return bool(get_engine().match_ids(query).size)


def spelling(text: str, words: Sequence[str]) -> Spelling | None:
    """The search text with every word no published testimony holds replaced, if it can be."""
    guessable = [
        word
        for word in words
        if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and not word.isdigit()
    ]
    if not guessable:
        return None
    engine = get_engine()
    known = engine.word_counts(guessable)
    unknown = [
        word for word in guessable if not known.get(word) and not _held_in_another_form(word)
    ][:MAX_WORDS_GUESSED]
    if not unknown:
        return None
    candidates = {word: edits(word) for word in unknown}
    # One question to the index for every candidate of every unknown word.
    counts = engine.word_counts(set().union(*candidates.values()))
    suggested: list[str] = []
    for word in unknown:
        best = nearest(word, {c: counts[c] for c in candidates[word] if c in counts})
        if best is None:
            continue
        replaced = _replace_word(text, word, best)
        if replaced != text:
            text = replaced
            suggested.append(best)
    return Spelling(text=text, words=tuple(suggested)) if suggested else None


def _replace_word(text: str, word: str, replacement: str) -> str:
    """``text`` with the typed forms of ``word`` replaced, its other words untouched."""
    if word.isascii():
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)
        return pattern.sub(replacement, text)
    # Thai is written without spaces: the word is replaced where it stands.
    return text.replace(word, replacement)


def facet_hints(
    words: Sequence[str], result: SearchResult, data: FacetData, *, pinned: set[str]
) -> tuple[FacetHint, ...]:
    """Facet values whose label, in either language, holds the words looked for, in order."""
    wanted = " ".join(words)
    if len(wanted) < MIN_WORD_LENGTH:
        return ()
    wanted = f" {wanted} "
    found: list[FacetHint] = []
    for facet in FACETS_HINTED:
        if facet.name in pinned:
            continue
        selected = set(result.params.selected.get(facet.name, ()))
        for value in data.columns[facet.name].values:
            if value.code in selected:
                continue
            if any(wanted in _label_words(label) for label in _labels(value)):
                found.append(FacetHint(facet=facet, value=value))
                if len(found) >= MAX_FACET_HINTS:
                    return tuple(found)
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _label_words(label: str) -> str:
    """A label's words, space-separated and space-ended; labels are few, and Thai is slow
    to segment, so each is segmented once per process."""
    return f" {' '.join(tokens(label))} "


def _labels(value: FacetValue) -> set[str]:
    """A value's label as the reader sees it, and in English, the archive's first language."""
    shown = str(value.label)
    with translation.override("en"):
        return {shown, str(value.label)}


@dataclass(frozen=True)
class _LawNames:
    law: Law
    names: tuple[tuple[str, ...], ...]  # the word sequences that name it, longest first
    clauses: dict[tuple[str, ...], Clause]  # a clause's number, without its kind


_law_lock = threading.Lock()
_law_names: tuple[str, list[_LawNames]] | None = None


def _read_law_names() -> list[_LawNames]:
    """Every law's names (short name, with and without its year, and slug) and clauses."""
    by_law: dict[int, dict[tuple[str, ...], Clause]] = {}
    for clause in Clause.objects.public().order_by("order", "id"):
        number = tuple(word for word in tokens(clause.number) if word not in CLAUSE_WORDS)
        by_law.setdefault(clause.law_id, {}).setdefault(number, clause)
    laws = []
    for law in Law.objects.public():
        short = tuple(tokens(law.short_name))
        names = {short, tuple(tokens(law.slug))}
        if len(short) > 1 and short[-1].isdigit() and len(short[-1]) == 4:
            names.add(short[:-1])  # "ATIPA" for "ATIPA 2008"
        names.discard(())
        laws.append(
            _LawNames(
                law=law,
                names=tuple(sorted(names, key=len, reverse=True)),
                clauses=by_law.get(law.pk, {}),
            )
        )
    return laws


def _laws(generation: str) -> list[_LawNames]:
    """The law names, read again whenever the generation token changes (a renamed law)."""
    global _law_names
    kept = _law_names
    if generation and kept is not None and kept[0] == generation:
        return kept[1]
    with _law_lock:
        laws = _read_law_names()
        if generation:
            _law_names = (generation, laws)
        return laws


def _find(words: Sequence[str], name: Sequence[str]) -> int:
    """Where ``name`` starts as a run of ``words``, or -1."""
    for start in range(len(words) - len(name) + 1):
        if tuple(words[start : start + len(name)]) == tuple(name):
            return start
    return -1


def law_hints(words: Sequence[str], *, generation: str) -> tuple[LawHint, ...]:
    """The laws the words name, or the clause of a law they cite."""
    found: list[LawHint] = []
    for entry in _laws(generation):
        for name in entry.names:
            start = _find(words, name)
            if start < 0:
                continue
            rest = [*words[:start], *words[start + len(name) :]]
            number = tuple(word for word in rest if word not in CLAUSE_WORDS)
            clause = entry.clauses.get(number) if number else None
            if clause is not None:
                label = f"{citation(entry.law.short_name, clause.number)}: {clause.heading}"
                found.append(LawHint(label=label, url=clause.get_absolute_url()))
            else:
                label = f"{entry.law.short_name}: {_law_title(entry.law)}"
                found.append(LawHint(label=label, url=entry.law.get_absolute_url()))
            break
        if len(found) >= MAX_LAW_HINTS:
            break
    return tuple(found)


def _law_title(law: Law) -> str:
    if translation.get_language() == "th" and law.title_th:
        return law.title_th
    return law.title_en
