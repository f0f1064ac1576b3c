"""Thai compounds split at a curated list of prefixes, so a word is found inside them.

newmm segments Thai by the longest dictionary words, and its dictionary holds
many compounds of a nominaliser or a classifier and a word: it reads
``การบุกค้น`` ("the raid") as ``การบุก ค้น`` and ``การค้ามนุษย์`` as
``การค้า มนุษย์``, so ``บุกค้น`` and ``ค้ามนุษย์`` found nothing. After newmm,
a word that starts with one of PREFIXES is written as the prefix and the rest
(``การ บุก ค้น``), at indexing and at querying alike (both call
``archive.search.text.tokens``), so the rest is found alone and the whole
compound is still found, as the phrase it has become.

The split is taken only when the rest is itself a dictionary word, or newmm
reads it wholly as dictionary words: ``การ์ด`` (card) or ``สถานี`` (station)
start with the letters of a prefix but are not a prefix and a word. Words in
NEVER_SPLIT keep their one piece, because their parts mean something else
than the whole: ``โรงแรม`` is a hotel, but ``แรม`` alone is the waning moon of
lunar dates. The list was drawn from the compounds these prefixes make in the
Thai statutes the archive cites (ATIPA, the Penal Code, the Prostitution,
Entertainment Places, Immigration, Labour Protection, Alien Workers and Child
Protection Acts); docs/architecture.md gives the reasons for each choice.

Only prefixes split: a word is never cut in its middle or end, so ``มา``
("come") cannot match ``มาตรา`` (section). ``มาตรา`` is listed all the same, to
keep it whole should a prefix ever be added that starts it.
"""

from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from pythainlp.corpus import thai_words
from pythainlp.tokenize import newmm

__all__ = ["NEVER_SPLIT", "PREFIXES", "compound_parts", "split_compounds"]

# Each prefix makes compounds whose meaning holds the rest's meaning.
PREFIXES: Final = frozenset(
    {
        "การ",  # nominaliser of actions: การบุกค้น (raiding), การค้ามนุษย์ (trafficking)
        "ความ",  # nominaliser of states: ความยินยอม (consent), ความผิด (offence)
        "ผู้",  # the person who: ผู้เสียหาย (the injured person), ผู้ต้องหา (the accused)
        "นัก",  # the one whose trade it is: นักสังคมสงเคราะห์ (social worker)
        "โรง",  # the building for: โรงพัก (police station), โรงพยาบาล (hospital)
        "สถาน",  # the place for: สถานบริการ (service venue), สถานสงเคราะห์ (welfare home)
    }
)

# Compounds whose rest, alone, means something else: a search for the rest
# must not find them.
NEVER_SPLIT: Final = frozenset(
    {
        "มาตรา",  # section of a law; มา is "come"
        "การเมือง",  # politics; เมือง is a town
        "การบ้าน",  # homework; บ้าน is a house
        "ความหลัง",  # one's past; หลัง is the back, or after
        "ความหมาย",  # a meaning; หมาย is a warrant (หมายค้น, หมายจับ)
        "ผู้ว่า",  # a governor; ว่า is "say" or "that"
        "ผู้ใหญ่",  # an adult, an elder, a village head; ใหญ่ is "big"
        "ผู้ดี",  # the gentry; ดี is "good"
        "ผู้สำเร็จราชการแทนพระองค์",  # the regent; สำเร็จ is "succeed"
        "นักหนา",  # "very much"; หนา is "thick"
        "โรงแรม",  # a hotel; แรม is the waning moon of lunar dates, or to stay overnight
        "สถานการณ์",  # a situation; การณ์ is no word a reader looks for
    }
)

_PREFIX_LENGTHS: Final = sorted({len(prefix) for prefix in PREFIXES})
_WORDS: Final = thai_words()


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """``word`` as the pieces it is indexed under: itself, or a prefix and the rest's pieces."""
    if word in NEVER_SPLIT:
        return (word,)
    for length in _PREFIX_LENGTHS:
        prefix, rest = word[:length], word[length:]
        if prefix not in PREFIXES or not rest:
            continue
        if rest in _WORDS:
            return (prefix, *compound_parts(rest))
        pieces = newmm.segment(rest)
        if pieces and all(piece in _WORDS for piece in pieces):
            return (prefix, *(part for piece in pieces for part in compound_parts(piece)))
    return (word,)


def split_compounds(words: Iterable[str]) -> list[str]:
    """Segmented Thai words with each compound on the curated list split into its parts."""
    return [part for word in words for part in compound_parts(word)]
