"""PostgreSQL's tables and functions beside the search documents (testimonies migration 0025).

The vocabulary of the words as written follows every change to the documents.

The spelling hint reads ``testimonies_searchword`` (testimonies migration
0025), kept by triggers on the search documents. After each way the documents
change (publish, correct, withdraw, a bulk rebuild, a queryset delete), the
table must equal a count made afresh from the documents: a word no published
text holds must be gone, and no count may drift.

The pairs of common words the index holds are those the engine asks for.
"""

import pytest
from django.db import connection

from archive.search.forms import stems_text
from archive.search.postgres.commongrams import COMMON_STEMS, bigrams
from testimonies import services
from testimonies.models import SearchDocument
from testimonies.search import index
from tests.support import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite answers from fts5vocab"),
]

RECOUNT = """
    SELECT word, count(DISTINCT testimony_id)
    FROM testimonies_searchdocument, unnest(string_to_array(text, ' ')) AS w(word)
    GROUP BY word
"""


def vocabulary() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, documents FROM testimonies_searchword")
        return dict(cursor.fetchall())


def recount() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(RECOUNT)
        return dict(cursor.fetchall())


def test_the_vocabulary_follows_publish_correct_and_withdraw(reviewer):
    first = factories.publish_testimony(body="The quokka slept in the shelter.")
    second = factories.publish_testimony(body="A quokka and a wombat at the station.")
    factories.make_testimony(body="A draft names the pangolin.")
    assert vocabulary() == recount()
    assert vocabulary()["quokka"] == 2
    assert "pangolin" not in vocabulary()

    second.body_source = "A wombat at the station, and the shelter again."
    second.save()
    services.publish(record=second, by=reviewer)
    assert vocabulary() == recount()
    assert vocabulary()["quokka"] == 1

    services.withdraw(record=first, by=reviewer)
    assert vocabulary() == recount()
    assert "quokka" not in vocabulary() and "slept" not in vocabulary()
    assert vocabulary()["shelter"] == 1


def test_the_vocabulary_follows_bulk_changes(reviewer):
    for n in range(5):
        factories.publish_testimony(body=f"Account {n}: the quokka in room {n}.")
    index.rebuild_index()
    assert vocabulary() == recount()
    assert vocabulary()["quokka"] == 5
    SearchDocument.objects.filter(text__contains="room 3").delete()
    SearchDocument.objects.filter(text__contains="room 4").update(text="room 4 emptied")
    assert vocabulary() == recount()
    assert vocabulary()["quokka"] == 3 and vocabulary()["emptied"] == 1
    SearchDocument.objects.all().delete()
    assert vocabulary() == {}


def test_the_index_and_the_engine_pair_the_same_common_words():
    # Every common word next to every other, and to words that are not common.
    words = sorted(COMMON_STEMS)
    stems = [word for common in words for word in (common, "quokka", common)] + words
    stems += stems_text("they made us sit on the floor of the office").split()
    with connection.cursor() as cursor:
        cursor.execute("SELECT testimonies_search_bigrams(%s)", [" ".join(stems)])
        indexed = cursor.fetchone()[0]
    assert indexed == bigrams(stems)
    assert "the floor" in indexed and "sit on" not in indexed and "quokka a" not in indexed


def test_the_planner_is_told_what_the_pairs_of_a_document_cost():
    # Cheap, the pairs would be computed row by row where the stems' index
    # seems selective, reading every such document whole.
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'testimonies_search_bigrams'")
        assert cursor.fetchone()[0] >= 10000
