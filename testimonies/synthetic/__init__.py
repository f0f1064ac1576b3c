"""A synthetic corpus for load and speed tests: testimony-like records, skewed facets.

Deterministic for a given seed, and streamed: one record at a time, so a corpus
of any size takes the memory of one document. Two kinds of text:

- ``natural`` (`natural.py`, the default): English words at their real
  frequencies, documents of realistic and varied lengths, a Thai paragraph in
  about one in ten, and domain words and phrases planted at known rates;
- ``template`` (`template.py`): about twenty fixed sentences, a few hundred
  distinct words, as the earlier benchmark figures were measured on.

The facet values (nationality, province, ...) are drawn the same way for both.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal, Protocol

from testimonies.vocabulary import Nationality, Province, WorkSetting

__all__ = ["TEXTS", "SyntheticTestimony", "TextKind", "generate"]

TextKind = Literal["natural", "template"]
TEXTS: tuple[TextKind, ...] = ("natural", "template")
SUMMARY = "A synthetic account generated for load and speed tests."


@dataclass(frozen=True)
class SyntheticTestimony:
    title: str
    pseudonym: str
    nationality: str
    age_group: str
    work_setting: str
    province: str
    year_of_events: int
    date_recorded: date
    language: str
    summary: str
    body: str
    published_at: datetime


class _Text(Protocol):
    def body(self, number: int, rng: random.Random) -> tuple[str, str]:
        """The body of record ``number`` and its language code."""
        ...

    def title(self, number: int, rng: random.Random) -> str: ...


def _weighted(rng: random.Random, values: list[str], skew: float = 1.2) -> str:
    weights = [1 / (rank + 1) ** skew for rank in range(len(values))]
    return rng.choices(values, weights=weights)[0]


def _text(kind: TextKind, seed: int) -> _Text:
    if kind == "template":
        from testimonies.synthetic.template import TemplateText

        return TemplateText()
    # Imported only when asked for: it loads word lists, and needs wordfreq.
    from testimonies.synthetic.natural import NaturalText

    return NaturalText(seed)


# Skewed as the real accounts are: most narrators Burmese, Shan or Thai.
_NATIONALITIES = [
    "burmese",
    "thai",
    "shan",
    *[n for n, _ in Nationality.choices if n not in ("burmese", "thai", "shan")],
]
_PROVINCES = [
    "chiang-mai",
    "tak",
    "bangkok",
    "chonburi",
    "chiang-rai",
    "phuket",
    "songkhla",
    "ranong",
    "udon-thani",
    "nong-khai",
    "kanchanaburi",
    "samut-sakhon",
    "surat-thani",
    "nonthaburi",
    "mae-hong-son",
    "khon-kaen",
    "rayong",
    "prachuap-khiri-khan",
    "krabi",
    "sa-kaeo",
]
assert set(_PROVINCES) <= {c for c, _ in Province.choices}


def generate(
    count: int, *, seed: int, text: TextKind = "natural", start: datetime | None = None
) -> Iterator[SyntheticTestimony]:
    """``count`` records, the same ones for the same seed and text.

    The text's word lists are loaded before this returns, so a missing
    dependency (``natural`` needs wordfreq) is an ImportError here, not at the
    first record.
    """
    source = _text(text, seed)
    return _records(count, seed=seed, source=source, start=start)


def _records(
    count: int, *, seed: int, source: _Text, start: datetime | None
) -> Iterator[SyntheticTestimony]:
    rng = random.Random(seed)
    start = start or datetime(2020, 1, 1, tzinfo=UTC)
    step = timedelta(minutes=max(1, (6 * 365 * 24 * 60) // max(count, 1)))
    for number in range(count):
        body, language = source.body(number, rng)
        year = rng.randint(2000, 2012)
        yield SyntheticTestimony(
            title=source.title(number, rng),
            pseudonym=rng.choice(["Noi", "Lek", "Mai", "Ploy", "Aye", "Nang", "Kham", "Jan"]),
            nationality=_weighted(rng, _NATIONALITIES),
            age_group=_weighted(rng, ["18-24", "25-34", "under-18", "35-44", "unknown", "45-plus"]),
            work_setting=_weighted(rng, [c for c, _ in WorkSetting.choices], skew=0.8),
            province=_weighted(rng, _PROVINCES, skew=1.0),
            year_of_events=year,
            date_recorded=date(min(year + rng.randint(0, 2), 2012), rng.randint(1, 12), 1),
            language=language,
            summary=SUMMARY,
            body=body,
            published_at=start + step * number,
        )
