"""The index terms that let both engines find a phrase without word positions."""

import pytest

from archive.search.terms import RUN_JOINER, TERM_MAX_WORDS, fts5_terms, runs
from archive.search.text import index_text, is_token


def test_runs_are_every_word_and_every_run_up_to_the_limit():
    words = ["a", "b", "c", "d", "e"]
    found = [" ".join(run) for run in runs(words)]
    assert found[:5] == ["a", "a b", "a b c", "a b c d", "b"]
    assert "a b c d e" not in found
    assert len(found) == 5 + 4 + 3 + 2  # runs of one, two, three and four words
    assert max(len(run) for run in runs(words)) == TERM_MAX_WORDS


@pytest.mark.parametrize("text", ["", "one"])
def test_short_texts(text):
    assert fts5_terms(text) == text


def test_terms_are_listed_once():
    terms = fts5_terms("the floor the floor").split()
    assert terms.count(f"the{RUN_JOINER}floor") == 1
    assert len(terms) == len(set(terms))


def test_the_joiner_is_never_part_of_a_word():
    # It would make a word look like a run of words.
    assert not is_token(RUN_JOINER)
    assert index_text(f"sit{RUN_JOINER}on") == "sit on"
