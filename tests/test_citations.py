"""Citation formats, checked by the libraries reference managers are built on."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from archive import citations
from archive.citations import CitationRecord

APA_STYLE = Path(__file__).parent / "data" / "apa.csl"

RECORD = CitationRecord(
    public_id="T-0042",
    title="What the shelter did",
    author="Ma Ei",
    published=date(2025, 3, 7),
    url="https://archive.example/testimonies/T-0042/v2/",
    accessed=date(2026, 11, 29),
    version=2,
)
HOSTILE = replace(
    RECORD,
    title="Braces {and} 100% & $5 #1 under_score \\ back~slash^\nnew line",
    author="Nok {the} second",
)


def render_apa(csl_json: str) -> str:
    items = json.loads(csl_json)
    style = CitationStylesStyle(str(APA_STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    return str(bibliography.bibliography()[0])


class TextStyleTests:
    def test_apa(self):
        assert citations.to_apa(RECORD) == (
            "Ma Ei. (2025, March 7). What the shelter did [Testimony T-0042, version 2]. "
            "Testimony Archive. Retrieved November 29, 2026, from "
            "https://archive.example/testimonies/T-0042/v2/"
        )

    def test_chicago_author_date(self):
        assert citations.to_chicago(RECORD) == (
            "Ma Ei. 2025. \u201cWhat the shelter did.\u201d Testimony T-0042, version 2. "
            "Testimony Archive, March 7. Accessed November 29, 2026. "
            "https://archive.example/testimonies/T-0042/v2/."
        )

    def test_mla(self):
        assert citations.to_mla(RECORD) == (
            "Ma Ei. \u201cWhat the shelter did.\u201d Testimony Archive, testimony T-0042, "
            "version 2, 7 Mar. 2025, https://archive.example/testimonies/T-0042/v2/. "
            "Accessed 29 Nov. 2026."
        )

    @pytest.mark.parametrize("style", [citations.to_apa, citations.to_chicago, citations.to_mla])
    def test_every_style_names_archive_id_version_url_and_access_date(self, style):
        cited = replace(RECORD, url=RECORD.url + "#p3", paragraph=3)
        text = style(cited)
        for expected in ["Ma Ei", "Testimony Archive", "T-0042", "version 2", "#p3", "2026"]:
            assert expected in text, (style.__name__, expected)

    def test_a_record_without_a_version_snapshot_omits_it(self):
        text = citations.to_apa(replace(RECORD, version=None))
        assert "version" not in text and "[Testimony T-0042]" in text


class MachineReadableTests:
    def test_bibtex_parses_with_bibtexparser(self):
        library = bibtexparser.parse_string(citations.to_bibtex(RECORD))
        assert not library.failed_blocks
        (entry,) = library.entries
        assert entry.entry_type == "misc"
        assert entry.key == "T-0042-v2"
        fields = entry.fields_dict
        assert fields["author"].value == "{Ma Ei}"  # kept whole, not split into names
        assert fields["title"].value == "What the shelter did"
        assert fields["year"].value == "2025"
        assert fields["url"].value == RECORD.url
        assert fields["urldate"].value == "2026-11-29"
        assert fields["version"].value == "2"
        assert "Testimony Archive" in fields["publisher"].value

    def test_bibtex_survives_hostile_text(self):
        library = bibtexparser.parse_string(citations.to_bibtex(HOSTILE))
        assert not library.failed_blocks
        (entry,) = library.entries
        assert len(entry.fields) == len(
            bibtexparser.parse_string(citations.to_bibtex(RECORD)).entries[0].fields
        )
        assert "\n" not in entry.fields_dict["title"].value

    @pytest.mark.parametrize(
        "title",
        [
            "x}, k\neywords = {y",
            "x},\n  keywords = {y",
            "Unbalanced } brace",
            "Unbalanced { brace",
            "100% & $5 #1 under_score back\\slash ~tilde",
        ],
    )
    def test_bibtex_title_with_latex_syntax_stays_one_field_and_reads_back(self, title):
        # An editor's title must not close the field early and start a field of its own.
        hostile = replace(RECORD, title=title, author=title)
        library = bibtexparser.parse_string(
            citations.to_bibtex(hostile), append_middleware=[LatexDecodingMiddleware()]
        )
        assert not library.failed_blocks
        (entry,) = library.entries
        plain = bibtexparser.parse_string(citations.to_bibtex(RECORD)).entries[0]
        assert [field.key for field in entry.fields] == [field.key for field in plain.fields]
        flattened = " ".join(title.split())
        assert entry.fields_dict["title"].value == flattened
        assert entry.fields_dict["author"].value == flattened

    def test_ris_parses_with_rispy(self):
        text = citations.to_ris(replace(RECORD, url=RECORD.url + "#p4", paragraph=4))
        assert text.endswith("ER  -\r\n")
        (entry,) = rispy.loads(text)
        assert entry["type_of_reference"] == "ELEC"
        assert entry["authors"] == ["Ma Ei"]
        assert entry["title"] == "What the shelter did"
        assert entry["publisher"] == "Testimony Archive"
        assert entry["year"] == "2025"
        assert entry["accession_number"] == "T-0042"
        assert entry["urls"] == [RECORD.url + "#p4"]
        assert entry["access_date"] == "2026/11/29"
        assert entry["edition"] == "Version 2"

    def test_ris_keeps_hostile_text_on_one_line(self):
        (entry,) = rispy.loads(citations.to_ris(HOSTILE))
        assert entry["title"].endswith("new line")

    def test_csl_json_renders_in_apa_with_citeproc(self):
        rendered = render_apa(citations.to_csl_json(RECORD))
        for expected in ["Ma Ei", "What the shelter did", "2025", "Testimony Archive", RECORD.url]:
            assert expected in rendered, (expected, rendered)
        assert "T-0042" in rendered and "Version 2" in rendered

    def test_csl_json_of_a_paragraph_keeps_the_anchor(self):
        cited = replace(RECORD, url=RECORD.url + "#p3", paragraph=3)
        (item,) = json.loads(citations.to_csl_json(cited))
        assert item["URL"].endswith("#p3")
        assert item["accessed"] == {"date-parts": [[2026, 11, 29]]}
        assert "#p3" in render_apa(citations.to_csl_json(cited))


class ParagraphParsingTests:
    @pytest.mark.parametrize("value", [None, ""])
    def test_absent_means_the_whole_text(self, value):
        assert citations.parse_paragraph(value, count=3) is None

    def test_a_paragraph_that_exists(self):
        assert citations.parse_paragraph("3", count=3) == 3

    @pytest.mark.parametrize(
        "value", ["abc", "-1", "0", "4", "9" * 30, "1.5", " 2", "๓", "3_0", "1e3", "\x00"]
    )
    def test_anything_else_is_refused_with_a_message(self, value):
        with pytest.raises(ValueError, match="paragraph"):
            citations.parse_paragraph(value, count=3)
