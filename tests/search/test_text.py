"""Pure tests of the shared tokenizer: no database, no Django."""

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from archive.search.text import clean, index_text, is_token, normalise, segment, tokens, warm_up

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev-only extra
    given = None

# Sections 1-7 and 29 of the Act's official text (tests/data/README.md says where from).
THAI_LAW = Path(__file__).resolve().parents[1] / "data" / "atip_th_excerpt.txt"

# From the Act's text (preamble of the Anti-Trafficking in Persons Act B.E. 2551), unspaced.
ATIP_SENTENCE = "โดยที่เป็นการสมควรปรับปรุงกฎหมายว่าด้วยมาตรการในการป้องกันและปราบปรามการค้าหญิงและเด็ก"


class NormaliseTests:
    def test_nfkc_casefold_and_whitespace(self) -> None:
        assert normalise("  \uff21\uff22\uff23\tStraße\n\n ﬁ  ") == "abc strasse fi"

    def test_nul_and_controls_are_dropped(self) -> None:
        assert normalise("a\x00b\x07c\x7f") == "abc"

    def test_control_whitespace_separates(self) -> None:
        assert normalise("a\tb\r\nc\x0bd\x1ce") == "a b c d e"

    def test_format_characters_are_dropped(self) -> None:
        # Soft hyphen, zero-width space, BOM, right-to-left mark: invisible to a reader.
        assert normalise("traf\u00adficking x\u200by \ufeffz\u200f") == "trafficking xy z"

    def test_lone_surrogates_never_raise(self) -> None:
        result = normalise("a\ud800b \udfff c\ud83d")
        assert result == "ab c"
        result.encode("utf-8")

    def test_empty(self) -> None:
        assert normalise("") == ""
        assert normalise(" \x00 \n ") == ""

    def test_sara_am_survives_nfkc(self) -> None:
        # NFKC decomposes SARA AM (U+0E33); the dictionary needs it composed.
        assert normalise("ทำงาน") == "ทำงาน"
        assert normalise("ท\u0e4d\u0e32งาน") == "ทำงาน"
        assert tokens("ทำงาน") == ["ทำงาน"]

    def test_idempotent_examples(self) -> None:
        for text in ["İstanbul", "ǅ", "ﬃ", "ΣΑΣ", "ᾈ", "ทำ ค่าจ้าง", "x\u0345"]:
            once = normalise(text)
            assert normalise(once) == once, text


class CleanTests:
    def test_keeps_case_and_punctuation(self) -> None:
        assert clean('a OR "b" -c') == 'a OR "b" -c'

    def test_drops_surrogates_and_nul(self) -> None:
        assert clean("a\x00\ud800b\nc") == "ab c"


class SegmentTests:
    def test_thai_sentence_is_segmented(self) -> None:
        words = segment(ATIP_SENTENCE).split(" ")
        assert "กฎหมาย" in words
        assert "ปราบปราม" in words
        assert "".join(words) == ATIP_SENTENCE

    def test_non_thai_text_is_untouched(self) -> None:
        text = "Forced  labour,\n(anti-trafficking) 2551"
        assert segment(text) == text

    def test_thai_digits_become_ascii(self) -> None:
        assert segment("พ.ศ. ๒๕๕๑") == "พ.ศ. 2551"
        assert segment("๐๑๒๓๔๕๖๗๘๙") == "0123456789"

    def test_thai_glued_to_latin_is_set_apart(self) -> None:
        assert segment("overtimeค่าจ้างpay") == "overtime ค่าจ้าง pay"
        assert segment("abc ค่าจ้าง def") == "abc ค่าจ้าง def"
        assert segment("(ค่าจ้าง)") == "(ค่าจ้าง)"

    def test_empty(self) -> None:
        assert segment("") == ""


class TokensTests:
    def test_punctuation_separates(self) -> None:
        assert tokens("anti-trafficking") == ["anti", "trafficking"]
        assert tokens("worker's (debt) bondage!") == ["worker", "s", "debt", "bondage"]

    def test_query_operators_vanish(self) -> None:
        assert tokens('NEAR(a b) x* col:y ^z "q" a & !b <-> \\ \'') == [
            "near",
            "a",
            "b",
            "x",
            "col",
            "y",
            "z",
            "q",
            "a",
            "b",
        ]

    def test_thai_marks_stay_inside_words(self) -> None:
        assert tokens("ค่าจ้างที่ค้างจ่าย") == ["ค่าจ้าง", "ที่", "ค้าง", "จ่าย"]
        for token in tokens(ATIP_SENTENCE):
            assert unicodedata.category(token[0]) != "Mn"

    def test_thai_sentence_contains_known_word(self) -> None:
        assert "กฎหมาย" in tokens(ATIP_SENTENCE)

    def test_thai_digits(self) -> None:
        assert tokens("มาตรา ๒๙") == ["มาตรา", "29"]
        assert tokens("มาตรา๒๙") == ["มาตรา", "29"]

    def test_mixed_thai_and_english(self) -> None:
        assert tokens("แรงงานต่างด้าวCambodiaทำงานประมง") == [
            "แรงงาน",
            "ต่างด้าว",
            "cambodia",
            "ทำงาน",
            "ประมง",
        ]

    def test_nul_and_surrogates(self) -> None:
        assert tokens("de\x00bt \ud800bondage") == ["debt", "bondage"]

    def test_other_scripts_and_digits(self) -> None:
        assert tokens("Café ① Ⅻ ١٢") == ["café", "1", "xii", "١٢"]

    def test_junk_only(self) -> None:
        assert tokens("- -- (( * ^ : ' \" \\") == []


class IndexTextTests:
    def test_joins_tokens_of_all_parts(self) -> None:
        assert index_text("Anti-Trafficking", "ค่าจ้างที่ค้างจ่าย", "") == (
            "anti trafficking ค่าจ้าง ที่ ค้าง จ่าย"
        )

    def test_no_parts(self) -> None:
        assert index_text() == ""

    def test_reindexing_is_stable(self) -> None:
        text = f"Testimony: {ATIP_SENTENCE} (๒๕๕๑), anti-trafficking."
        assert tokens(index_text(text)) == tokens(text)

    def test_thai_statute_text(self) -> None:
        indexed = index_text(THAI_LAW.read_text(encoding="utf-8")).split(" ")
        # การค้ามนุษย์ (trafficking) is indexed as the nominaliser and its parts.
        assert {"การ", "ค้า", "มนุษย์", "ปราบปราม", "2551"} <= set(indexed)
        assert all(is_token(token) for token in indexed)
        # newmm is stable on its own words, so a query for any indexed word finds it.
        for word in set(indexed):
            assert tokens(word) == [word]


def test_warm_up() -> None:
    warm_up()


def test_newmm_needs_no_download(tmp_path: Path) -> None:
    # newmm's dictionary ships inside the wheel: in a fresh interpreter, with sockets
    # disabled and an empty pythainlp data directory, it still segments.
    script = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from archive.search.text import tokens\n"
        "assert tokens('ค่าจ้างที่ค้างจ่าย') == ['ค่าจ้าง', 'ที่', 'ค้าง', 'จ่าย']\n"
    )
    env = {**os.environ, "PYTHAINLP_DATA_DIR": str(tmp_path)}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


if given is not None:
    any_text = st.text(st.characters(exclude_categories=()), max_size=200)

    @settings(deadline=None, database=None, max_examples=300)
    @given(any_text)
    def test_property_normalise_is_safe_and_idempotent(text: str) -> None:
        once = normalise(text)
        once.encode("utf-8")
        assert normalise(once) == once
        assert "  " not in once
        assert once == once.strip()

    @settings(deadline=None, database=None, max_examples=300)
    @given(any_text)
    def test_property_tokens_are_words(text: str) -> None:
        words = tokens(text)
        assert all(is_token(word) for word in words)
        assert index_text(text) == " ".join(words)
        # What was indexed tokenizes back to itself, so index and query always agree.
        assert tokens(index_text(text)) == words

else:  # pragma: no cover

    @pytest.mark.skip(reason="hypothesis is not installed")
    def test_property_normalise_is_safe_and_idempotent() -> None:
        pass

    @pytest.mark.skip(reason="hypothesis is not installed")
    def test_property_tokens_are_words() -> None:
        pass
