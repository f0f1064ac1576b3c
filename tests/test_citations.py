"""Citation formats, checked by the libraries reference managers are built on.

citation-js reads every download as Zotero or a citation manager would; the
three downloads of one record must read back as the same item, rendered in APA
as the same string, and for a testimony as the string the page shows.
"""

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

from archive import citations, licences
from archive.citations import CitationRecord, IncidentRecord, LegalRecord
from tests.support import citejs

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
CLAUSE = LegalRecord(
    code="atipa-2008:s-29",
    title=citations.legislation_title(
        "Anti-Trafficking in Persons Act, B.E. 2551 (2008)", 2008, "s. 29"
    ),
    short_title="ATIPA 2008, s. 29",
    year=2008,
    url="https://archive.example/laws/atipa-2008/s-29/",
    accessed=date(2026, 11, 29),
)
LAW = LegalRecord(
    code="iccpr",
    title="International Covenant on Civil and Political Rights",
    short_title="ICCPR",
    year=1966,
    url="https://archive.example/laws/iccpr/",
    accessed=date(2026, 11, 29),
)
INCIDENT = IncidentRecord(
    public_id="R-0007",
    name="Raid on a karaoke bar, 2011",
    published=date(2025, 3, 7),
    url="https://archive.example/incidents/R-0007/",
    accessed=date(2026, 11, 29),
)


def render_apa(csl_json: str) -> str:
    # citeproc-py 0.11 predates CSL's `license` variable and warns about it; no style prints it.
    items = [
        {key: value for key, value in item.items() if key != "license"}
        for item in json.loads(csl_json)
    ]
    style = CitationStylesStyle(str(APA_STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    return str(bibliography.bibliography()[0])


class TextStyleTests:
    def test_apa(self):
        assert citations.to_apa(RECORD) == (
            "Ma Ei. (2025, March 7). What the shelter did (Version 2) [Testimony T-0042]. "
            "Testimony Archive. https://archive.example/testimonies/T-0042/v2/"
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

    @pytest.mark.parametrize("style", [citations.to_chicago, citations.to_mla])
    def test_every_style_names_archive_id_version_url_and_access_date(self, style):
        cited = replace(RECORD, url=RECORD.url + "#p3", paragraph=3)
        text = style(cited)
        for expected in ["Ma Ei", "Testimony Archive", "T-0042", "version 2", "#p3", "2026"]:
            assert expected in text, (style.__name__, expected)

    def test_apa_names_the_full_date_id_version_and_anchor_but_no_retrieval_date(self):
        # APA 7 gives a retrieval date only to pages without a date of their own.
        text = citations.to_apa(replace(RECORD, url=RECORD.url + "#p3", paragraph=3))
        for expected in ["Ma Ei", "(2025, March 7)", "[Testimony T-0042]", "(Version 2)", "#p3"]:
            assert expected in text, expected
        assert "Retrieved" not in text and "2026" not in text

    def test_a_record_without_a_version_snapshot_omits_it(self):
        text = citations.to_apa(replace(RECORD, version=None))
        assert "Version" not in text and "did [Testimony T-0042]" in text

    def test_apa_sets_quotes_as_reference_managers_print_them(self):
        cited = replace(RECORD, title='It\'s the "rescue" they <i>called</i> it', author="Nok S.")
        assert citations.to_apa(cited).startswith(
            "Nok S. (2025, March 7). It\u2019s the \u201crescue\u201d they called it (Version 2)"
        )


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
        assert fields["type"].value == "Testimony T-0042"
        assert fields["date"].value == "2025-03-07"
        assert fields["year"].value == "2025"
        assert fields["url"].value == RECORD.url
        assert fields["urldate"].value == "2026-11-29"
        assert fields["version"].value == "2"
        assert fields["organization"].value == "Testimony Archive"

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
        assert entry["type_of_reference"] == "GEN"
        assert entry["id"] == "T-0042-v2-p4"
        assert entry["authors"] == ["Ma Ei"]
        assert entry["title"] == "What the shelter did"
        assert entry["type_of_work"] == "Testimony T-0042"
        assert entry["publisher"] == "Testimony Archive"
        assert entry["year"] == "2025"
        assert entry["date"] == "2025/03/07"
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

    def test_csl_json_names_its_licence(self):
        (item,) = json.loads(citations.to_csl_json(RECORD))
        assert item["license"] == licences.TEXTS.url
        for record in (CLAUSE, INCIDENT):
            (item,) = json.loads(citations.to_csl_json(record))
            assert item["license"] == licences.DATA.url

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


RECORDS = {
    "testimony": RECORD,
    "paragraph": replace(RECORD, url=RECORD.url + "#p3", paragraph=3),
    "no-version": replace(RECORD, version=None),
    "thai": replace(
        RECORD,
        title="\u0e40\u0e23\u0e37\u0e48\u0e2d\u0e07\u0e02\u0e2d\u0e07\u0e09\u0e31\u0e19",
        language="th",
    ),
    "quotes": replace(RECORD, title='It\'s the "rescue" they <i>called</i> it', author="Nok S."),
    "question": replace(RECORD, title="Who asked us?"),
    "hostile": HOSTILE,
    "clause": CLAUSE,
    "law": LAW,
    "incident": INCIDENT,
}
FORMATS = {"bib": citations.to_bibtex, "ris": citations.to_ris, "json": citations.to_csl_json}
CSL_TYPES = {CitationRecord: "document", LegalRecord: "legislation", IncidentRecord: "dataset"}


@pytest.fixture(scope="module")
def readings() -> dict[tuple[str, str], citejs.Reading]:
    """Every record in every format, read by citation-js in one run of Node."""
    files = [
        (name, fmt, render(record))
        for name, record in RECORDS.items()
        for fmt, render in FORMATS.items()
    ]
    read = citejs.read_many([(fmt, text) for _, fmt, text in files])
    return {(name, fmt): reading for (name, fmt, _), reading in zip(files, read, strict=True)}


class CitationJsTests:
    """One record, three downloads: citation-js must read the same item from each."""

    @pytest.mark.parametrize("name", list(RECORDS))
    def test_every_format_reads_back_as_one_item_with_one_apa_string(self, readings, name):
        record = RECORDS[name]
        items = {fmt: citejs.comparable(readings[name, fmt].items[0]) for fmt in FORMATS}
        assert items["bib"] == items["json"], name
        if isinstance(record, LegalRecord):
            # citation-js reads a STAT record's Y2 (the access date, as rispy
            # reads it: checked below) into the enactment date, so it finds no
            # access date in legislation from RIS. The file has it.
            assert "accessed" not in items["ris"]
            items["ris"]["accessed"] = items["json"]["accessed"]
        assert items["ris"] == items["json"], name
        apa = {fmt: readings[name, fmt].apa for fmt in FORMATS}
        assert apa["bib"] == apa["ris"] == apa["json"], name
        item = items["json"]
        assert item["type"] == CSL_TYPES[type(record)]
        assert item["id"] == record.key
        assert item["URL"] == record.url
        assert item["accessed"] == {"date-parts": [[2026, 11, 29]]}

    @pytest.mark.parametrize(
        "name", [name for name, record in RECORDS.items() if isinstance(record, CitationRecord)]
    )
    def test_the_page_apa_is_what_citation_js_renders_from_each_download(self, readings, name):
        for fmt in FORMATS:
            assert readings[name, fmt].apa == [citations.to_apa(RECORDS[name])], (name, fmt)

    def test_a_testimony_keeps_its_id_version_and_full_date_in_every_format(self, readings):
        for fmt in FORMATS:
            item = citejs.comparable(readings["testimony", fmt].items[0])
            assert item["genre"] == "Testimony T-0042", fmt
            assert item["version"] == "2", fmt
            assert item["issued"] == {"date-parts": [[2025, 3, 7]]}, fmt
            assert item["publisher"] == "Testimony Archive", fmt

    def test_a_clause_is_cited_as_legislation_by_name_section_and_year(self, readings):
        assert readings["clause", "ris"].apa == [
            "Anti-Trafficking in Persons Act, B.E. 2551, s. 29 (2008). "
            "https://archive.example/laws/atipa-2008/s-29/"
        ]

    def test_an_incident_is_cited_as_the_archive_s_data_set(self, readings):
        assert readings["incident", "bib"].apa == [
            "Testimony Archive. (2025). Raid on a karaoke bar, 2011 (R-0007) [Dataset]. "
            "https://archive.example/incidents/R-0007/"
        ]


class LegislationAndDataTests:
    """The same record read by bibtexparser and rispy, field by field."""

    def test_clause_bibtex(self):
        library = bibtexparser.parse_string(citations.to_bibtex(CLAUSE))
        assert not library.failed_blocks
        (entry,) = library.entries
        assert entry.entry_type == "legislation"
        assert entry.key == "atipa-2008:s-29"
        fields = entry.fields_dict
        assert fields["title"].value == "Anti-Trafficking in Persons Act, B.E. 2551, s. 29"
        assert fields["shorttitle"].value == "ATIPA 2008, s. 29"
        assert fields["date"].value == "2008"
        assert fields["urldate"].value == "2026-11-29"
        assert fields["url"].value == CLAUSE.url

    def test_clause_ris(self):
        (entry,) = rispy.loads(citations.to_ris(CLAUSE))
        assert entry["type_of_reference"] == "STAT"
        assert entry["title"] == "Anti-Trafficking in Persons Act, B.E. 2551, s. 29"
        assert entry["short_title"] == "ATIPA 2008, s. 29"
        assert entry["year"] == "2008"
        assert entry["accession_number"] == "atipa-2008:s-29"
        assert entry["access_date"] == "2026/11/29"
        assert entry["urls"] == [CLAUSE.url]

    def test_incident_bibtex_and_ris_agree(self):
        (bib,) = bibtexparser.parse_string(citations.to_bibtex(INCIDENT)).entries
        (ris,) = rispy.loads(citations.to_ris(INCIDENT))
        assert (bib.entry_type, ris["type_of_reference"]) == ("dataset", "DATA")
        assert bib.key == ris["id"] == ris["accession_number"] == "R-0007"
        assert (
            bib.fields_dict["title"].value == ris["title"] == "Raid on a karaoke bar, 2011 (R-0007)"
        )
        assert bib.fields_dict["date"].value == "2025-03-07" and ris["date"] == "2025/03/07"
        assert bib.fields_dict["urldate"].value == "2026-11-29"
        assert ris["access_date"] == "2026/11/29"

    @pytest.mark.parametrize(
        "title,year,number,expected",
        [
            (
                "Anti-Trafficking in Persons Act, B.E. 2551 (2008)",
                2008,
                None,
                "Anti-Trafficking in Persons Act, B.E. 2551",
            ),
            (
                "Penal Code (Criminal Code) of Thailand",
                1956,
                "s. 283",
                "Penal Code (Criminal Code) of Thailand, s. 283",
            ),
            (
                "Forced Labour Convention, 1930 (No. 29)",
                1930,
                "Art. 2",
                "Forced Labour Convention, 1930 (No. 29), Art. 2",
            ),
            ("An Act (1999)", 2008, None, "An Act (1999)"),
        ],
    )
    def test_legislation_title_leaves_out_only_its_own_year(self, title, year, number, expected):
        assert citations.legislation_title(title, year, number) == expected
