"""Redaction markers, their public rendering, and the detector of identifying text.

Pure functions: no database.
"""

import json
from pathlib import Path

import pytest

from testimonies import redaction
from testimonies.models import RaidIncident, RightsViolation, Testimony, TestimonyClause
from testimonies.redaction import Finding, find_identifying, render, render_body


class RenderTests:
    def test_markers_become_the_withheld_labels(self):
        source = "[[name:Somchai]] took me to [[venue:Golden Dragon karaoke]] on [[date:12 March]]."
        assert render(source) == ("[name withheld] took me to [venue withheld] on [date withheld].")

    def test_text_without_markers_renders_to_exactly_itself(self):
        source = "  First line.\r\n\r\n\nSecond, with [single] brackets.  "
        assert render(source) == source
        assert render_body(source, excerpts_only=False) == source

    def test_thai_marker(self):
        assert render("น้อง[[name:นางเสง]]ร้องไห้") == "น้อง[name withheld]ร้องไห้"

    @pytest.mark.parametrize(
        "broken",
        [
            "I met [[name:Somchai at the bar.",  # never closed
            "I met Somchai]] at the bar.",  # never opened
            "I met [[person:Somchai]] at the bar.",  # unknown kind
            "I met [[Somchai]] at the bar.",  # no kind
            "I met [[name:Som\nchai]] at the bar.",  # across a line
            "I met [[name:[[name:Somchai]]]] at the bar.",  # nested
            "I met [[excerpt]] Somchai at the bar.",  # excerpt outside the body
            "[[excerpt]] I met Somchai at the bar.",  # even where it begins a paragraph
            "I met [[[date:1 May]][name:Somchai at the bar.",  # a stray [ makes [[ again
        ],
    )
    def test_a_paragraph_with_a_broken_marker_is_withheld_whole(self, broken):
        source = f"Before.\n\n{broken}\n\nAfter."
        rendered = render(source)
        assert "Somchai" not in rendered and "Som" not in rendered
        assert rendered == f"Before.\n\n{redaction.PASSAGE_WITHHELD}\n\nAfter."
        assert redaction.errors(source)

    def test_errors_name_the_paragraph_and_the_problem(self):
        problems = redaction.errors("Fine.\n\nBroken [[name:Noi here.\n\nAlso ]] broken.")
        assert problems == [
            "Paragraph 2: A marker is opened with [[ but not closed with ]] on the same line.",
            "Paragraph 3: A ]] closes a marker that was never opened with [[.",
        ]
        assert redaction.errors("[[name:]]") == ["The marker [[name:]] is empty."]
        assert redaction.errors("[[name:Noi]] and [[date:1 May]]") == []

    def test_two_paragraphs_are_enough_to_name_the_paragraph(self):
        assert redaction.errors("Fine.\n\nBroken [[name:Noi here.") == [
            "Paragraph 2: A marker is opened with [[ but not closed with ]] on the same line."
        ]

    def test_every_problem_of_a_paragraph_is_listed(self):
        # Titles and summaries are checked without excerpts, which belong to the body.
        assert redaction.errors("[[excerpt]] [[person:Noi]] [[name: ]]") == [
            "[[excerpt]] is only used in the body.",
            "Unknown marker [[person:Noi]]: use [[name:...]], [[venue:...]] or [[date:...]].",
            "The marker [[name: ]] is empty.",
        ]


class ExcerptTests:
    SOURCE = (
        "Editorial only: my village.\n\n"
        "[[excerpt]] The raid came at night, [[name:Noi]] said.\n\n"
        "Also editorial.\n\n"
        "[[excerpt]]\nWe waited three months."
    )

    def test_excerpt_scope_keeps_the_excerpt_paragraphs_alone(self):
        body = render_body(self.SOURCE, excerpts_only=True)
        assert body == "The raid came at night, [name withheld] said.\n\nWe waited three months."

    def test_full_scope_keeps_everything_without_the_excerpt_markers(self):
        body = render_body(self.SOURCE, excerpts_only=False)
        assert "[[excerpt]]" not in body and "excerpt" not in body
        assert body.startswith("Editorial only") and "Also editorial." in body

    @pytest.mark.parametrize(
        "separator",
        [
            "\r\n\r\n",  # a browser's textarea sends CRLF line ends
            "\n   \n",  # a line of spaces looks blank to the editor
            "\n\t\n",
            "\r\n \r\n",
            "\n\n\n",
        ],
    )
    def test_only_excerpts_are_published_whatever_blank_line_separates_them(self, separator):
        source = separator.join(
            [
                "[[excerpt]] The raid came at night.",
                "Not an excerpt: Noi still works there.",
                "[[excerpt]] We waited three months.",
                "Also not an excerpt.",
            ]
        )
        body = render_body(source, excerpts_only=True)
        assert body == "The raid came at night.\n\nWe waited three months."
        assert redaction.excerpt_count(source) == 2

    def test_excerpt_marker_must_begin_a_paragraph(self):
        assert redaction.errors(self.SOURCE, excerpts_allowed=True) == []
        assert redaction.errors("Text [[excerpt]] here.", excerpts_allowed=True) == [
            "[[excerpt]] must begin a body paragraph."
        ]
        assert redaction.excerpt_count(self.SOURCE) == 2


def _kinds(findings) -> set[tuple[str, str]]:
    return {(f.kind, f.text) for f in findings}


class DetectorTests:
    def test_english_names_dates_and_venues(self):
        text = (
            "On 12 March 2010 my friend Noi and I went to the Golden Dragon karaoke in Mae Sot. "
            "Captain Wichai wrote 12/03/2010 on the form. Later we moved to Bar 21, "
            'and then to a bar called "Lucky Star" near the market on March 3rd, 2011.'
        )
        found = _kinds(find_identifying(text))
        assert {
            ("date", "12 March 2010"),
            ("date", "12/03/2010"),
            ("date", "March 3rd, 2011"),
            ("name", "Noi"),
            ("name", "Captain Wichai"),
            ("venue", "Golden Dragon karaoke"),
            ("venue", "Bar 21"),
        } <= found
        assert any(kind == "venue" and "Lucky Star" in text for kind, text in found)

    def test_places_months_laws_and_common_words_are_not_names(self):
        text = (
            "In March we were taken from Chiang Mai to a shelter in Bangkok. The police used "
            "the Prevention and Suppression of Prostitution Act against us. Burmese and Shan "
            "women were sent across the Friendship Bridge. Nobody told us anything. "
            "They said the Anti-Trafficking in Persons Act protected us."
        )
        assert find_identifying(text) == []

    def test_the_pseudonym_is_allowed(self):
        assert find_identifying("Mo said the officer laughed at Mo.", allowed=("Mo",)) == []
        assert _kinds(find_identifying("Mo said the officer laughed.")) == {("name", "Mo")}

    @pytest.mark.parametrize(
        "text",
        [
            # A sentence's first word with the ending of a verb, adverb or plural.
            "Arrested at night, we waited.",
            "Crying did not help.",
            "Suddenly the lights came on.",
            "Officials laughed.",
            # Common words joined by a hyphen.
            "Twenty-five women were held.",
            # Allowed words with a possessive or a hyphen.
            "We crossed into Thailand's south and Burma\u2019s east.",
            "We worked near the Thai-Burmese border.",
            # A venue named after an allowed place of several words.
            "We sang in a Hat Yai karaoke.",
        ],
    )
    def test_ordinary_capitalised_words_are_not_names(self, text):
        assert find_identifying(text) == []

    def test_a_name_after_a_common_first_word_is_reported(self):
        assert find_identifying("Then Somchai took us to the border.") == [
            Finding("name", "Somchai")
        ]

    def test_a_pseudonym_with_a_hyphen_is_allowed(self):
        assert (
            find_identifying("Ma-Ei said the officer laughed at Ma-Ei.", allowed=("Ma-Ei",)) == []
        )

    def test_a_name_between_dates_is_reported(self):
        # Dates are blanked out before names are looked for; blanking must not move
        # the text, or a later date's blank lands on a name.
        text = (
            "On 1 May 2010 and 2 May 2010 Somchai took us to the border, "
            "and on 3 May 2010 Noi paid him."
        )
        assert find_identifying(text) == [
            Finding("date", "1 May 2010"),
            Finding("date", "2 May 2010"),
            Finding("date", "3 May 2010"),
            Finding("name", "Somchai"),
            Finding("name", "Noi"),
        ]

    def test_each_finding_is_listed_once(self):
        text = "Noi said Noi would pay on 1 May 2010, and Noi paid on 1 May 2010."
        assert find_identifying(text) == [Finding("date", "1 May 2010"), Finding("name", "Noi")]

    @pytest.mark.parametrize(
        ("text", "venue"),
        [
            ("We worked at the New Star karaoke for a year.", "New Star karaoke"),
            ("New Star karaoke was raided twice.", "New Star karaoke"),
            # Every word of these names is also a common word.
            ("We worked at the New Day karaoke for a year.", "New Day karaoke"),
            ("The police raided the Good Girls bar.", "Good Girls bar"),
            ("Then Three Sisters massage closed.", "Three Sisters massage"),
            ("She sang at a karaoke called Good Times.", "karaoke called Good Times"),
            # A name's first word that is not a common word, at the start of a sentence.
            ("Sunshine karaoke paid the police.", "Sunshine karaoke"),
            # An article is left out of the name, not the rest with it.
            ("She sang at a karaoke called The Rose.", "karaoke called The Rose"),
        ],
    )
    def test_a_venue_named_with_common_words_is_reported(self, text, venue):
        assert any(
            kind == "venue" and venue in found for kind, found in _kinds(find_identifying(text))
        )

    @pytest.mark.parametrize(
        "text",
        [
            "Many bar owners paid the police.",
            "The bar was closed by then.",
            "We went back to the bar I knew.",
            "Every karaoke on the street paid.",
            "We worked in a Thai bar, then a Burmese karaoke in Mae Sot.",
            "Most Thai karaoke bars closed at midnight.",
            "Later, karaoke owners were fined.",
        ],
    )
    def test_ordinary_sentences_about_venues_are_not_reported(self, text):
        assert find_identifying(text) == []

    def test_thai_names_dates_and_venues(self):
        text = (
            "เมื่อวันที่ 12 มีนาคม 2553 นายสมชายพาฉันไปทำงานที่ร้านชื่อดาวเหนือ "
            'ฉันอยู่กับพี่สมศรีที่บาร์ "Happy Hour" ตั้งแต่ ๑๒ มี.ค. ๕๓'
        )
        found = _kinds(find_identifying(text))
        assert {
            ("date", "วันที่ 12 มีนาคม 2553"),
            ("date", "๑๒ มี.ค. ๕๓"),
            ("name", "นายสมชาย"),
            ("name", "พี่สมศรี"),
            ("venue", "ร้านชื่อดาวเหนือ"),
            ("venue", 'บาร์ "Happy Hour"'),
        } <= found

    @pytest.mark.parametrize(
        ("text", "name"),
        [
            # A title and a name that end the text.
            ("ฉันไปกับนางมาลี", "นางมาลี"),
            # A name the segmenter splits in two (สม ศรี), at the end.
            ("ฉันอยู่กับพี่สมศรี", "พี่สมศรี"),
            ("ฉันไปกับนายสมชาย", "นายสมชาย"),
            # นาย as "you" first, then as a title.
            ("นายก็รู้ว่านายสมชายพาฉันไป", "นายสมชาย"),
        ],
    )
    def test_a_thai_name_is_reported_whole(self, text, name):
        assert find_identifying(text) == [Finding("name", name)]

    def test_ordinary_thai_is_not_reported(self):
        # นายจ้าง (employer) and ร้านอาหาร (a restaurant) are not a name or a venue's name.
        text = "นายจ้างบอกว่าตำรวจจะมาที่ร้านอาหารตอนกลางคืน แล้วพวกเราถูกส่งไปสถานคุ้มครอง"
        assert find_identifying(text) == []

    def test_redacted_text_is_not_reported(self):
        source = (
            "On [[date:12 March 2010]] [[name:Noi]] and I went to the [[venue:Golden Dragon]] "
            "karaoke. เมื่อ[[date:วันที่ 12 มีนาคม 2553]] [[name:นายสมชาย]]พาฉันไปที่"
            "[[venue:ร้านชื่อดาวเหนือ]]"
        )
        assert find_identifying(render(source)) == []
        # The same text unmarked is reported in full.
        plain = source.replace("[[", "").replace("]]", "")
        for prefix in ("date:", "name:", "venue:"):
            plain = plain.replace(prefix, "")
        assert {f.kind for f in find_identifying(plain)} == {"name", "date", "venue"}


class SampleFixtureTests:
    """The samples ship with the public text rendered from the editors' text."""

    def test_public_fields_are_the_rendering_of_the_sources_under_each_consent(self):
        path = Path(__file__).resolve().parents[2] / "fixtures" / "sample_records.json"
        rows = json.loads(path.read_text(encoding="utf-8"))
        consents = {
            row["fields"]["testimony"]: row["fields"]
            for row in rows
            if row["model"] == "testimonies.consent"
        }
        published = 0
        for row in rows:
            if row["model"] != "testimonies.testimony":
                continue
            fields = row["fields"]
            scope = consents.get(row["pk"], {}).get("scope")
            if fields["status"] == "published":
                published += 1
                assert scope in ("full", "excerpts"), row["pk"]
            assert redaction.errors(fields["body_source"], excerpts_allowed=True) == []
            assert fields["body"] == render_body(
                fields["body_source"], excerpts_only=scope == "excerpts"
            )
        assert published == 41  # 40 accounts and one English translation (T-0041 of T-0014)
        assert {c["scope"] for c in consents.values()} == {"full", "excerpts", "research"}

    def test_every_other_public_field_is_the_rendering_of_its_source(self):
        path = Path(__file__).resolve().parents[2] / "fixtures" / "sample_records.json"
        marked = {
            f"testimonies.{model._meta.model_name}": model
            for model in (Testimony, TestimonyClause, RightsViolation, RaidIncident)
        }
        checked = 0
        for row in json.loads(path.read_text(encoding="utf-8")):
            model = marked.get(row["model"])
            if model is None:
                continue
            fields = row["fields"]
            for public, source in model.source_fields.items():
                if public not in model.excerpt_fields:
                    assert model.source_errors(source, fields[source]) == [], (row["pk"], source)
                    assert fields[public] == render(fields[source]), (row["model"], row["pk"])
                    checked += 1
        # Clause links have two notes, English and Thai.
        assert checked == 43 * 5 + 160 * 2 + 141 + 12 * 2


class ApplyMarkedTests:
    def test_a_replacement_is_not_matched_again(self):
        marked = {"name": "name", "Withheld": "name"}
        assert redaction.apply_marked("My name is Withheld.", marked) == (
            "My [name withheld] is [name withheld]."
        )

    def test_whole_words_any_case_any_spacing(self):
        marked = {"Ann Lee": "name", "Golden Star": "venue"}
        text = "ann  lee met Anna at the GOLDEN STAR; Golden Stars closed."
        assert redaction.apply_marked(text, marked) == (
            "[name withheld] met Anna at the [venue withheld]; Golden Stars closed."
        )

    def test_thai_names_inside_unspaced_text(self):
        marked = redaction.marked_texts(f"เรารอ[[name:{'สมปองนาค'}]]อยู่")
        assert redaction.apply_marked(f"เรารอ{'สมปองนาค'}อยู่", marked) == "เรารอ[name withheld]อยู่"

    def test_only_well_formed_markers_count(self):
        assert redaction.marked_texts("[[name: ]] [[kind:x]] [[name:Lek]] [[date:5 May]]") == {
            "Lek": "name",
            "5 May": "date",
        }

    def test_a_phrase_inside_a_longer_word_is_left_alone(self):
        assert redaction.apply_marked("Lekha met Lek.", {"Lek": "name"}) == (
            "Lekha met [name withheld]."
        )
        assert redaction.apply_marked("", {"Lek": "name"}) == ""
        assert redaction.apply_marked("Lek", {}) == "Lek"


class ParagraphsTests:
    def test_blank_lines_split_and_crlf_counts_as_a_line_break(self):
        text = "  One.\r\n\r\nTwo,\r\nstill two.\n\n\n\nThree.  \n\n"
        assert redaction.paragraphs(text) == ["One.", "Two,\nstill two.", "Three."]

    def test_nothing_but_space_has_no_paragraph(self):
        assert redaction.paragraphs(" \n\n \n\n") == []
