"""Thai words found inside the compounds that hold them, through the search page.

CI runs this on SQLite and on PostgreSQL; the texts are the archive's own
words, written as a narrator would, without spaces between words, plus the
Act's official text (tests/data).
"""

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from archive.search.engine import get_engine
from archive.search.forms import stems_text
from archive.search.query import ParsedQuery, Phrase
from archive.search.text import tokens
from testimonies.models import SearchDocument
from testimonies.search.index import current_generation
from tests.support import factories

pytestmark = pytest.mark.django_db

THAI_LAW = Path(__file__).resolve().parents[1] / "data" / "atip_th_excerpt.txt"

TEXTS = {
    # "The police and a foundation's staff raided the karaoke bar at midnight."
    "raid": "ตำรวจกับเจ้าหน้าที่มูลนิธิทำการบุกค้นร้านคาราโอเกะตอนเที่ยงคืน",
    # "The police raided the massage shop in the afternoon." (no nominaliser)
    "raid_plain": "ตำรวจบุกค้นร้านนวดตอนบ่าย",
    # "Then they took all of us to sit and wait at the police station until morning."
    "station": "หลังจากนั้นพวกเขาพาเราทุกคนไปนั่งรอที่โรงพักจนถึงเช้า",
    # "The owner let us rest only two hours a day."
    "rest": "เจ้าของร้านให้เราพักได้แค่วันละสองชั่วโมง",
    # "The officer cited section 9 of the Act."
    "section": "เจ้าหน้าที่อ้างมาตรา ๙ ของพระราชบัญญัติ",
    # "A friend brought me to work here."
    "come": "เพื่อนพาฉันมาทำงานที่นี่",
    # "I worked as a maid in a small hotel."
    "hotel": "ฉันทำงานเป็นแม่บ้านในโรงแรมเล็กๆ",
    "statute": THAI_LAW.read_text(encoding="utf-8"),
}
# "The officers raided the place where we stayed." A draft: never to be found.
HIDDEN_TEXT = "เจ้าหน้าที่ทำการบุกค้นที่พักของเรา"


@pytest.fixture
def corpus(reviewer):
    records = {
        key: factories.publish_testimony(body=text, title=f"Account {key}", language="th")
        for key, text in TEXTS.items()
    }
    # A draft that a search for a compound's part would find, were it public.
    hidden = factories.make_testimony(body=HIDDEN_TEXT, language="th")
    return {"records": records, "hidden": hidden}


def found(client, corpus, q: str) -> set[str]:
    response = client.get(reverse("testimonies:testimony_list"), {"q": q})
    assert response.status_code == 200
    body = response.content.decode()
    assert HIDDEN_TEXT not in body and corpus["hidden"].title not in body
    return {
        key
        for key, record in corpus["records"].items()
        if f'href="{record.get_absolute_url()}"' in body
    }


class CompoundSearchTests:
    def test_a_word_is_found_inside_its_compound(self, client, corpus):
        assert found(client, corpus, "บุกค้น") == {"raid", "raid_plain"}
        assert found(client, corpus, "พัก") == {"station", "rest"}
        assert "statute" in found(client, corpus, "ค้ามนุษย์")

    def test_the_compound_finds_only_itself(self, client, corpus):
        assert found(client, corpus, "การบุกค้น") == {"raid"}
        assert found(client, corpus, "โรงพัก") == {"station"}
        assert found(client, corpus, "การค้ามนุษย์") == {"statute"}

    def test_come_does_not_match_section(self, client, corpus):
        assert "มา" not in tokens(TEXTS["section"])
        hits = found(client, corpus, "มา")
        assert "section" not in hits
        assert "come" in hits
        assert "section" in found(client, corpus, "มาตรา")

    def test_an_excluded_compound_is_not_found_by_its_rest(self, client, corpus):
        assert found(client, corpus, "แรม") == set()
        assert found(client, corpus, "โรงแรม") == {"hotel"}

    def test_the_snippet_marks_the_word_inside_the_compound(self, client, corpus):
        response = client.get(reverse("testimonies:testimony_list"), {"q": "บุกค้น"})
        body = response.content.decode()
        assert "ทำการ<mark>บุกค้น</mark>ร้าน" in body
        assert "ตำรวจ<mark>บุกค้น</mark>ร้าน" in body


class RebuildMigrationTests:
    """The migration rewrites documents stored by the old tokenizer, on either database."""

    def test_old_documents_are_rebuilt_and_the_engine_follows(self, client, corpus):
        raid = corpus["records"]["raid"]
        # The raid's document as newmm alone stored it: การบุก and ค้น.
        old = SearchDocument.objects.get(testimony=raid).text.replace("การ บุก ค้น", "การบุก ค้น")
        assert "การบุก" in old
        # PostgreSQL stores the stems beside the text; they must be the old ones too.
        stems = stems_text(old) if get_engine().stores_stems else ""
        SearchDocument.objects.filter(testimony=raid).update(text=old, stems=stems)
        assert found(client, corpus, "บุกค้น") == {"raid_plain"}
        token = current_generation()

        old_word = ParsedQuery(groups=((Phrase(("การบุก",)),),))
        assert list(get_engine().match_ids(old_word)) == [raid.pk]

        migration = importlib.import_module("testimonies.migrations.0022_reindex_thai_compounds")
        # The function reads only the editor's connection; SQLite refuses a real
        # schema editor inside the test's transaction.
        migration.rebuild_search_documents(apps, SimpleNamespace(connection=connection))

        assert current_generation() != token
        assert found(client, corpus, "บุกค้น") == {"raid", "raid_plain"}
        assert "การบุก" not in SearchDocument.objects.get(testimony=raid).text.split(" ")
        # The old word is gone from the engine's indexes too, not only from the column.
        assert list(get_engine().match_ids(old_word)) == []
        assert SearchDocument.objects.count() == len(TEXTS)
