"""The index terms that let both engines find a phrase without word positions."""

import pytest
from django.db import connection

from archive.search.terms import RUN_JOINER, TERM_MAX_WORDS, fts5_terms, phrase_terms, runs
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


def test_a_short_phrase_is_one_term():
    assert phrase_terms(("sit", "on", "the", "floor")) == [("sit", "on", "the", "floor")]


def test_a_long_phrase_is_its_runs_of_the_longest_length():
    words = ("kept", "in", "one", "small", "room")
    assert phrase_terms(words) == [words[:4], words[1:]]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's terms function")
def test_postgresql_computes_the_same_terms():
    text = index_text("ผู้เสียหายถูกพาไปสถานแรกรับ. The police kept us; the police kept us in one room.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(testimonies_search_terms(%s))", [text])
        computed = set(cursor.fetchone()[0])
    assert computed == {" ".join(run) for run in runs(text.split())}
