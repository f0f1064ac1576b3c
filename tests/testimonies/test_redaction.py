"""Redaction markers, their public rendering, and the detector of identifying text.

Pure functions: no database.
"""

import json
from pathlib import Path

import pytest

from testimonies import redaction
from testimonies.models import RaidIncident, RightsViolation, Testimony, TestimonyClause
from testimonies.redaction import find_identifying, render, render_body


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
        assert checked == 43 * 5 + 160 + 141 + 12 * 2
