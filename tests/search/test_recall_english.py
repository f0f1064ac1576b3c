"""Recall on the sample archive: every English word of every published testimony finds it.

Each word is searched as written, quoted (exactly as written), and in another
form Snowball gives the same stem ("shelter" and "shelters"), on whichever
database the suite runs on (CI runs it on SQLite and on PostgreSQL).
"""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from archive.search.engine import get_engine
from archive.search.forms import stem
from archive.search.query import parse
from testimonies.models import Testimony
from testimonies.search.index import document_text

pytestmark = pytest.mark.django_db

_ENDINGS = ("s", "es", "ed", "ing", "er")


def other_form(word: str) -> str | None:
    """A different word with the same stem, made by adding or taking off an ending."""
    candidates = [word + ending for ending in _ENDINGS]
    candidates += [word[: -len(ending)] for ending in _ENDINGS if word.endswith(ending)]
    return next(
        (
            form
            for form in candidates
            if form != word and len(form) > 1 and stem(form) == stem(word)
        ),
        None,
    )


@pytest.fixture
def english_words() -> dict[str, set[int]]:
    """Each English word of the published samples, and the testimonies holding it."""
    call_command("load_archive", stdout=StringIO())
    holders: dict[str, set[int]] = defaultdict(set)
    for testimony in Testimony.objects.public():
        for token in document_text(testimony).split():
            if token.isascii() and token.isalpha():
                holders[token].add(testimony.pk)
    return holders


def test_every_english_word_finds_its_testimonies_in_every_form(english_words):
    engine = get_engine()
    missed: list[str] = []
    forms_tried = 0
    for word, holders in sorted(english_words.items()):
        queries = [word, f'"{word}"']
        form = other_form(word)
        if form is not None:
            queries.append(form)
            forms_tried += 1
        for query in queries:
            found = set(engine.match_ids(parse(query)).tolist())
            if not holders <= found:
                missed.append(f"{query!r}: {sorted(holders - found)}")
    # The samples are real accounts: hundreds of words, most of them with other forms.
    assert len(english_words) > 500
    assert forms_tried > len(english_words) // 2
    assert not missed, missed[:20]


def test_a_quoted_form_finds_only_the_form_as_written(english_words):
    engine = get_engine()
    checked = 0
    for word, holders in sorted(english_words.items()):
        form = other_form(word)
        if form is None or form in english_words:
            continue
        # No sample holds this form as written, so quoted it finds none of them.
        found = set(engine.match_ids(parse(f'"{form}"')).tolist())
        assert not holders & found, form
        checked += 1
    assert checked > 100
