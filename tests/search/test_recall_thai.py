"""Recall, Thai half: every sample testimony is found by each of its own Thai words.

The archive's sample records are loaded as ``load_archive`` loads them; then,
for every published one with Thai text, each word newmm reads in its public
text, and each part of a compound that word is split into
(``archive.search.thai``), is searched for through the search's door, and
must find it. CI runs this on SQLite and on PostgreSQL.
"""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict
from pythainlp.tokenize import word_tokenize

from archive.search.text import _THAI_RUN, normalise, tokens
from testimonies.models import Testimony
from testimonies.search import matching_ids_from_query

pytestmark = pytest.mark.django_db

# What the index holds of a testimony (testimonies.search.index.document_text).
PUBLIC_FIELDS = ("title", "narrator_pseudonym", "summary", "body")


def thai_queries(text: str) -> set[str]:
    """Each Thai word of ``text`` as newmm reads it, and each part it is indexed as."""
    queries: set[str] = set()
    for run in _THAI_RUN.finditer(normalise(text)):
        for word in word_tokenize(run.group(), engine="newmm", keep_whitespace=False):
            parts = tokens(word)
            if parts:
                queries.add(word)
                queries.update(parts)
    return queries


def search_ids(q: str) -> set[int]:
    query = QueryDict(mutable=True)
    query["q"] = q
    return set(matching_ids_from_query(query))


def test_every_thai_word_of_a_sample_finds_it():
    call_command("load_archive", force=True, stdout=StringIO())
    wanted: dict[str, set[int]] = defaultdict(set)
    samples = 0
    for testimony in Testimony.objects.public():
        text = "\n".join(getattr(testimony, field) for field in PUBLIC_FIELDS)
        queries = thai_queries(text)
        if queries:
            samples += 1
            for q in queries:
                wanted[q].add(testimony.pk)
    # The samples hold nine Thai accounts; without them this test would prove nothing.
    assert samples >= 9
    compounds = {q for q in wanted if len(tokens(q)) > 1}
    assert {"การ", "ความ", "ผู้"} <= set(wanted), "the samples' compounds were not split"
    assert compounds, "no word of the samples is a compound on the curated list"

    missed = {
        q: sorted(expected - found)
        for q, expected in sorted(wanted.items())
        if not expected <= (found := search_ids(q))
    }
    assert missed == {}
