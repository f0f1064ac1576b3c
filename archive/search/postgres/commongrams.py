"""Pairs of adjacent stems that start with a common word ("CommonGrams"), for phrases.

A phrase is found by the GIN index as all its stems, and every document found
is then read to check the phrase. For a phrase of common words ("sit on the
floor", "the police") that is most of the archive. PostgreSQL also indexes,
for each document, the pairs of adjacent stems of which the first is in
``COMMON_STEMS`` (``testimonies_search_bigrams(stems)``, an expression index
of testimonies migration 0025; nothing more is stored in the rows), so such a
phrase is looked up by its pairs as well: "the floor" is in far fewer
documents than "the" and "floor". The text check stays the final word; the
pairs only narrow the documents read.

The list must be the same when documents are indexed and when phrases are
looked up: the migration writes it into the SQL function, and
``tests/search/test_engine_contract.py`` checks that function against
``bigrams`` here. Changing it needs a migration that replaces the function and
rebuilds the index.

The words: every English stem held by at least 80% of the 10,000 testimonies
of the natural benchmark corpus (``seed_synthetic --text natural --seed 1``),
but the generator's own words ("synthetic load test account ..."), and the
Thai words held by at least 60% of its Thai documents. Pairs with none of
them are not indexed: two words that are each in few documents are already
found in few by the stems alone. Nor are pairs whose common word comes second
("sit on"), as Lucene's CommonGrams would index them: that halves the index
(0.80 times the text it indexes with them, at 10,000 natural testimonies),
and a common word in a phrase is mostly followed by another word of it ("on
the", "the floor"), whose pair narrows as well.
"""

from collections.abc import Sequence
from itertools import pairwise
from typing import Final

__all__ = ["COMMON_STEMS", "MAX_PAIR_BYTES", "bigrams"]

COMMON_STEMS: Final = frozenset(
    [
        # English, as Snowball stems them ("polic" is police).
        "a", "all", "an", "and", "are", "as", "at", "be", "but", "by", "can", "for",
        "from", "have", "he", "his", "i", "if", "in", "is", "it", "just", "like", "me",
        "my", "not", "of", "on", "one", "or", "polic", "so", "that", "the", "they",
        "this", "to", "was", "we", "will", "with", "you", "your",
        # Thai, not stemmed.
        "ที่", "การ", "ใน", "มี", "ของ", "เป็น", "จะ", "ไม่", "และ", "ความ", "ได้",
        "ให้", "ไป", "ก็", "ว่า", "มา", "ตำรวจ",
    ]
)  # fmt: skip

# A GIN key must fit a third of a page; a pair longer than this is not indexed.
MAX_PAIR_BYTES: Final = 2000


def bigrams(stems: Sequence[str]) -> list[str]:
    """The indexed pairs of a run of stems, each as "first second", in order, once each."""
    pairs = (f"{first} {second}" for first, second in pairwise(stems) if first in COMMON_STEMS)
    return list(dict.fromkeys(pair for pair in pairs if len(pair.encode()) <= MAX_PAIR_BYTES))
