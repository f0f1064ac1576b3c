"""Thai compounds split at the curated prefixes, on real statute text: no database.

The real text is the Act's excerpt in tests/data and the official Thai text of
the clauses in fixtures/laws.json. Set THAI_STATUTE_TEXTS to a folder of whole
statute texts (plain UTF-8 ``*.txt``) to run the same checks on all of them.
"""

import json
import os
from pathlib import Path

import pytest
from pythainlp.tokenize import word_tokenize

from archive.search.text import _THAI_RUN, index_text, normalise, tokens
from archive.search.thai import NEVER_SPLIT, PREFIXES, compound_parts, split_compounds

ROOT = Path(__file__).resolve().parents[2]
THAI_LAW = ROOT / "tests" / "data" / "atip_th_excerpt.txt"


def clause_texts() -> str:
    rows = json.loads((ROOT / "fixtures" / "laws.json").read_text(encoding="utf-8"))
    return "\n".join(
        row["fields"]["official_text"]
        for row in rows
        if row["model"] == "laws.clause" and row["fields"].get("official_text")
    )


def statute_texts() -> list[str]:
    texts = [THAI_LAW.read_text(encoding="utf-8"), clause_texts()]
    folder = os.environ.get("THAI_STATUTE_TEXTS")
    if folder:
        texts += [path.read_text(encoding="utf-8") for path in sorted(Path(folder).glob("*.txt"))]
    return texts


def newmm_words(text: str) -> list[str]:
    """The words newmm reads in the Thai runs of ``text``, before any split."""
    return [
        word
        for run in _THAI_RUN.finditer(normalise(text))
        for word in word_tokenize(run.group(), engine="newmm", keep_whitespace=False)
    ]


class SplitTests:
    # Compounds of the Act (tests/data) and of the clauses' official text, and
    # the words they are indexed as.
    @pytest.mark.parametrize(
        ("compound", "parts"),
        [
            ("การค้ามนุษย์", ["การ", "ค้า", "มนุษย์"]),  # trafficking in persons
            ("ผู้เสียหาย", ["ผู้", "เสียหาย"]),  # the injured person
            ("ความยินยอม", ["ความ", "ยินยอม"]),  # consent
            ("การแสวงหาประโยชน์", ["การ", "แสวง", "หาประโยชน์"]),  # exploitation
            ("การป้องกัน", ["การ", "ป้องกัน"]),  # prevention
            ("สถานบริการ", ["สถาน", "บริการ"]),  # service venue
        ],
    )
    def test_compounds_of_the_statutes_are_split(self, compound, parts):
        assert compound in THAI_LAW.read_text(encoding="utf-8") + clause_texts()
        assert tokens(compound) == parts
        # In the running text too, not only alone.
        indexed = f" {index_text(THAI_LAW.read_text(encoding='utf-8'), clause_texts())} "
        assert f" {' '.join(parts)} " in indexed

    def test_the_words_of_the_issue(self):
        assert tokens("การบุกค้น") == ["การ", "บุก", "ค้น"]  # the raid
        assert tokens("บุกค้น") == ["บุก", "ค้น"]
        assert tokens("โรงพัก") == ["โรง", "พัก"]  # police station
        assert tokens("ค้ามนุษย์") == ["ค้า", "มนุษย์"]

    def test_a_split_rest_is_split_again(self):
        # นัก + การศึกษา (educationist), and การศึกษา is การ + ศึกษา.
        assert compound_parts("นักการศึกษา") == ("นัก", "การ", "ศึกษา")

    @pytest.mark.parametrize(
        "word",
        ["การ์ด", "การันตี", "การ์ตูน", "สถานี", "สถานะ", "ความ", "การ", "โรง", "ผู้", "นัก"],
    )
    def test_words_that_only_start_with_a_prefix_stay_whole(self, word):
        # A card, a guarantee, a cartoon, a station, a status, and the prefixes alone.
        assert tokens(word) == [word]

    def test_only_thai_runs_are_touched(self):
        assert tokens("การ card ความ") == ["การ", "card", "ความ"]
        assert split_compounds(["abc", "การค้า"]) == ["abc", "การ", "ค้า"]


class NeverSplitTests:
    @pytest.mark.parametrize("word", sorted(NEVER_SPLIT))
    def test_an_excluded_word_is_one_token(self, word):
        assert tokens(word) == [word]

    def test_excluded_words_are_real_compounds_of_a_prefix(self):
        # Each entry (but มาตรา, kept whole by the rule itself) is a prefix and
        # a dictionary word, so without the list it would be split.
        for word in NEVER_SPLIT - {"มาตรา"}:
            assert any(word.startswith(prefix) for prefix in PREFIXES), word

    def test_excluded_words_stay_whole_in_the_statutes(self):
        seen: set[str] = set()
        for text in statute_texts():
            words = newmm_words(text)
            indexed = index_text(text).split(" ")
            for word in NEVER_SPLIT & set(words):
                seen.add(word)
                assert indexed.count(word) == words.count(word), word
        assert "มาตรา" in seen

    def test_section_is_not_come(self):
        # มาตรา (section) starts with มา (come): only prefixes split, so never.
        text = THAI_LAW.read_text(encoding="utf-8")
        indexed = index_text(text).split(" ")
        assert indexed.count("มาตรา") == newmm_words(text).count("มาตรา") >= 10
        assert indexed.count("มา") == newmm_words(text).count("มา")
        assert tokens("มาตรา ๒๙") == ["มาตรา", "29"]
        assert "มา" not in tokens("มาตรา ๒๙ มาตรา ๓๓")


class ConsistencyTests:
    def test_every_indexed_word_is_found_by_itself(self):
        # Indexing and querying share tokens(): a query for any indexed word, a
        # prefix or a part, comes back as that word.
        for text in statute_texts():
            for word in set(index_text(text).split(" ")):
                assert tokens(word) == [word], word

    def test_every_newmm_word_is_found_as_its_parts(self):
        for text in statute_texts():
            indexed = f" {index_text(text)} "
            for word in set(newmm_words(text)):
                if word.strip():
                    assert f" {' '.join(tokens(word))} " in indexed, word
