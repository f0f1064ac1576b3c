"""Words one edit away from a misspelt one, for "Did you mean ...?". Pure functions.

The engine says which of these candidates its index holds, and in how many
documents (``SearchEngine.word_counts``); the commonest wins. Generating the
candidates and asking the index, rather than comparing the word with a copy
of the whole vocabulary, needs no word list kept beside the index and costs
the same at 100,000 testimonies as at forty: one lookup of a few hundred
words. One edit (a letter left out, added, changed, or two swapped) covers
the usual slips ("sheltr", "deportaion", "trafficed"); two edits would be a
few hundred thousand candidates.
"""

import string
from collections.abc import Mapping
from typing import Final

__all__ = ["MIN_WORD_LENGTH", "edits", "nearest"]

# Shorter words have too many neighbours one edit away to guess from.
MIN_WORD_LENGTH: Final = 4

_LATIN: Final = string.ascii_lowercase + string.digits
# Thai consonants, vowels and tone marks (U+0E01-U+0E4E), without digits: the
# tokenizer writes Thai digits as ASCII ones.
_THAI: Final = "".join(chr(code) for code in range(0x0E01, 0x0E4F))


def _alphabet(word: str) -> str:
    """Letters an edit may bring in: the word's script, and the letters it already has."""
    letters = set(word)
    if any("\u0e00" <= ch <= "\u0e7f" for ch in word):
        letters.update(_THAI)
    if any(ch.isascii() for ch in word):
        letters.update(_LATIN)
    return "".join(sorted(letters))


def edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``word``."""
    alphabet = _alphabet(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {left + right[1:] for left, right in splits if right}
    found.update(left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1)
    found.update(left + ch + right[1:] for left, right in splits if right for ch in alphabet)
    found.update(left + ch + right for left, right in splits for ch in alphabet)
    found.discard(word)
    found.discard("")
    return found


def nearest(word: str, counts: Mapping[str, int]) -> str | None:
    """The candidate held by the most documents (the first in order on a tie), or None."""
    held = [(-count, candidate) for candidate, count in counts.items() if count > 0]
    return min(held)[1] if held else None
