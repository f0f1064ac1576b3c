"""English word forms: each token's Snowball stem, so that "shelters" finds "shelter".

Stems are computed here, in Python, at index time (``stems_text``, stored beside
the tokens) and at query time (``stem``), so SQLite and PostgreSQL index and look
up exactly the same stems. Only ASCII tokens are stemmed: Thai has no inflection
to strip, and Snowball's English rules would only damage other scripts.
"""

import threading

import Stemmer

__all__ = ["stem", "stems_text"]

# A Stemmer object keeps a cache and is not safe to share between threads.
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def stem(token: str) -> str:
    """The stem of one token from ``archive.search.text.tokens``; non-ASCII is kept as is."""
    return _stemmer().stemWord(token) if token.isascii() else token


def stems_text(text: str) -> str:
    """The stems of an indexed text (tokens separated by single spaces), one for one.

    The n-th stem is the stem of the n-th token, so a phrase of stems stands
    where the phrase of words stood.
    """
    words = text.split()
    if text.isascii():
        return " ".join(_stemmer().stemWords(words))
    return " ".join(stem(word) for word in words)
