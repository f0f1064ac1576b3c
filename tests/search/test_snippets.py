"""Snippets: the best paragraph, matched words marked, Thai kept as written."""

from archive.search.snippets import best_snippet, highlight


def test_marks_english_words_case_insensitively_and_escapes_html():
    snippet = best_snippet(["Nothing here.", "The <b>Police</b> came; police again."], ("police",))
    assert snippet.paragraph == 2
    assert (
        snippet.html
        == "The &lt;b&gt;<mark>Police</mark>&lt;/b&gt; came; <mark>police</mark> again."
    )


def test_marks_thai_words_with_vowel_and_tone_marks_inside_unspaced_text():
    paragraphs = ["ไม่เกี่ยว", "ฉันไม่ได้ค่าจ้างเลย ไม่มีล่ามช่วยแปลให้เลย"]
    assert (
        best_snippet(paragraphs, ("ค่าจ้าง",)).html == "ฉันไม่ได้<mark>ค่าจ้าง</mark>เลย ไม่มีล่ามช่วยแปลให้เลย"
    )
    assert "<mark>ล่าม</mark>" in best_snippet(paragraphs, ("ล่าม",)).html


def test_picks_the_paragraph_with_most_hits_and_cuts_long_text():
    long = " ".join(["word"] * 100 + ["shelter"] + ["word"] * 100)
    snippet = best_snippet(
        ["shelter once", long.replace("word word", "shelter word", 2)], ("shelter",)
    )
    assert snippet.paragraph == 2
    assert snippet.html.startswith("… ") or snippet.html.count("<mark>") >= 2
    assert len(snippet.html) < len(long)


def test_no_hit_gives_no_snippet():
    assert best_snippet(["nothing to see"], ("shelter",)) is None


def test_marks_the_forms_whose_stem_was_searched():
    snippet = best_snippet(
        ["Nothing.", "They raided the bar; the raids went on."], (), stems={"raid"}
    )
    assert snippet.paragraph == 2
    assert snippet.html == "They <mark>raided</mark> the bar; the <mark>raids</mark> went on."


def test_a_stem_marks_no_word_with_another_stem():
    # "rain" starts like "raid" but is not one of its forms.
    assert highlight("Rain, then a raid.", (), stems={"raid"}) == "Rain, then a <mark>raid</mark>."


def test_a_quoted_word_marks_only_itself():
    assert highlight("raided, raid", ("raid",)) == "raided, <mark>raid</mark>"


def test_forms_are_marked_in_text_with_thai():
    assert highlight("ตำรวจ Raided บ้าน", (), stems={"raid"}) == "ตำรวจ <mark>Raided</mark> บ้าน"
