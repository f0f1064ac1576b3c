"""Pure citation formatting: one record in, one citation string out.

Nothing here touches the database or the request; the views build the record
(permalink, version, access date) and these functions only format it, so each
style can be tested on its own and re-used by exports.

One item type per kind of page, the same in every format, so a reference
manager files a testimony the same way whichever download it reads:

- A testimony is a ``document`` in CSL-JSON, ``@misc`` in BibTeX and ``GEN``
  in RIS. A published account held by an archive is not a web page (it is
  versioned and cited by version), nor a report, nor a data set (its words are
  the narrator's, under the text licence), nor a manuscript (the archive
  publishes it). CSL's generic ``document`` is what citation-js reads
  biblatex's ``@misc`` and RIS's ``GEN`` as, so the three agree, and APA
  then gives the full date and the description in brackets.
- A law or a clause is ``legislation``, ``@legislation`` and ``STAT``: a
  statute's section, a constitution's or a treaty's article. RIS has no
  treaty type that reads back as one, so treaties are legislation too.
- A raid incident is a ``dataset``, ``@dataset`` and ``DATA``: a structured
  record (date, place, who was present, what followed), under the data
  licence.

Each format carries the public id (the citation key and the bracketed
description ``Testimony T-0042``), the version, the full date of publication,
the access date and the permalink. The licence goes where the format has a
field for it: CSL-JSON's ``license``; BibTeX and RIS have none.

Hand-written rather than rendered through citeproc at runtime: the text styles
need only a handful of fields, and a CSL processor would bring a style and
locale files into every web worker for a few lines of string formatting. The
tests read every download with citation-js (as a reference manager
would), bibtexparser and rispy, and hold :func:`to_apa` to what
citation-js renders in APA from each of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext

from archive.licences import DATA, TEXTS, Licence

ARCHIVE_NAME = "Testimony Archive"

# MLA 9 abbreviates months of more than four letters (and writes "Sept.").
_MLA_MONTHS = (
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class ItemType:
    """One kind of cited page, as each format names it (see the table above)."""

    csl: str
    bibtex: str
    ris: str
    schema_org: str


TESTIMONY = ItemType(csl="document", bibtex="misc", ris="GEN", schema_org="Article")
LEGISLATION = ItemType(
    csl="legislation", bibtex="legislation", ris="STAT", schema_org="Legislation"
)
DATASET = ItemType(csl="dataset", bibtex="dataset", ris="DATA", schema_org="Dataset")


@dataclass(frozen=True)
class CitationRecord:
    """Everything a citation of one version of one testimony names.

    ``url`` is the permalink being cited (the version's own address, so the
    citation keeps pointing at what was quoted), already carrying ``#p<n>``
    when a paragraph is cited.
    """

    public_id: str
    title: str
    author: str  # the narrator's pseudonym: never a real name
    published: date  # when the cited version was published
    url: str
    accessed: date
    version: int | None = None  # None only for records published without a snapshot
    paragraph: int | None = None
    language: str = "en"
    archive: str = ARCHIVE_NAME
    licence: Licence = TEXTS  # the testimonies' words are under the text licence

    item_type = TESTIMONY

    @property
    def key(self) -> str:
        """A citation key safe in BibTeX and as a CSL id: letters, digits and hyphens."""
        suffix = f"-v{self.version}" if self.version else ""
        para = f"-p{self.paragraph}" if self.paragraph else ""
        return f"{self.public_id}{suffix}{para}"

    @property
    def genre(self) -> str:
        """'Testimony T-0042': APA's bracketed description, and the public id in every format.

        In the genre rather than in a number field because biblatex's ``@misc``
        has no number: a number would be lost from the BibTeX download alone.
        """
        return f"Testimony {self.public_id}"

    @property
    def descriptor(self) -> str:
        """'Testimony T-0042, version 2, paragraph 3': the archive's own locator."""
        parts = [self.genre]
        if self.version:
            parts.append(f"version {self.version}")
        if self.paragraph:
            parts.append(f"paragraph {self.paragraph}")
        return ", ".join(parts)


@dataclass(frozen=True)
class LegalRecord:
    """A law's or a clause's page, cited as legislation.

    ``title`` is the instrument's full English title, followed by the
    clause's number for a clause (``..., s. 29``): a statute is cited by its
    name and section. ``code`` is the archive's id for it, the law's slug or
    the clause's code (``atipa-2008:s-29``), and is the citation key.
    """

    code: str
    title: str
    short_title: str  # how a reader writes it: "ATIPA 2008, s. 29"
    year: int  # of adoption, Common Era
    url: str
    accessed: date
    language: str = "en"
    archive: str = ARCHIVE_NAME
    licence: Licence = DATA  # the page is our summary: data, not a narrator's words
    # Which version of the clause is cited, e.g. "as in force on 2010-06-01: text in
    # force from 2008-06-05 (...)"; a law changes, and a citation must say which text.
    version: str = ""

    item_type = LEGISLATION

    @property
    def key(self) -> str:
        return self.code

    @property
    def descriptor(self) -> str:
        version = f" ({self.version})" if self.version else ""
        return f"{self.short_title}{version}, summarised in the {self.archive}"


@dataclass(frozen=True)
class IncidentRecord:
    """A raid incident's page: one record of the archive's data, cited as a data set.

    Its author is the archive, which compiled it; ``published`` is when the
    archive first published the record, not the date of the raid. The public
    id is part of the cited title, as in the page's own title: RIS's ``DATA``
    has no tag for a description and biblatex's ``@dataset`` no number, so a
    title is the one place all three formats keep it.
    """

    public_id: str
    name: str  # the incident's title as the page shows it
    published: date
    url: str
    accessed: date
    language: str = "en"
    archive: str = ARCHIVE_NAME
    licence: Licence = DATA

    item_type = DATASET

    @property
    def key(self) -> str:
        return self.public_id

    @property
    def title(self) -> str:
        return f"{self.name} ({self.public_id})"

    @property
    def descriptor(self) -> str:
        return f"Raid incident {self.public_id}"


Citable = CitationRecord | LegalRecord | IncidentRecord


def legislation_title(full_title: str, year: int, number: str | None = None) -> str:
    """A law's title as legislation is cited, with the clause's number if one is cited.

    Citation styles put the year after the title, so a year the title already
    ends with is left out: 'Anti-Trafficking in Persons Act, B.E. 2551 (2008)'
    and 's. 29' give 'Anti-Trafficking in Persons Act, B.E. 2551, s. 29'.
    """
    title = " ".join(full_title.split()).removesuffix(f" ({year})").rstrip(" ,")
    return f"{title}, {number}" if number else title


def parse_paragraph(value: str | None, *, count: int) -> int | None:
    """Read ``?paragraph=`` for a text of ``count`` paragraphs.

    Returns None when absent; raises ValueError (with a message fit for the
    reader) for anything but a paragraph number that exists. Only ASCII digits
    are accepted: ``int()`` would also take '๓', ' 3' or '3_0'.
    """
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        raise ValueError(gettext("The paragraph must be a whole number, e.g. ?paragraph=3."))
    number = int(value)
    if not 1 <= number <= count:
        raise ValueError(
            gettext("This text has paragraphs 1 to %(count)s; there is no paragraph %(number)s.")
            % {"count": count, "number": number}
        )
    return number


def _long_date(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _mla_date(day: date) -> str:
    return f"{day.day} {_MLA_MONTHS[day.month - 1]} {day.year}"


def _end(text: str) -> str:
    """Close a citation element with a full stop unless it already ends in punctuation."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _bracket_note(record: CitationRecord) -> str:
    return record.descriptor[0].upper() + record.descriptor[1:]


_QUOTE_OPENERS = " \t\n([{\u2018\u201c"
# The rich-text tags citeproc-js reads in a field and drops from plain text.
_CSL_MARKUP = re.compile(
    r"</?(?:i|b|sup|sub)>|<span (?:class=\"nocase\"|style=\"font-variant:\s*small-caps;\")>|</span>"
)


def _typeset(text: str) -> str:
    """A field as citation processors print it: curly quotes, their markup tags removed.

    citeproc-js (so Zotero, Mendeley and citation-js) turns straight quotes
    into curly ones and reads a few HTML tags as formatting; the page's APA
    text does the same, so it matches what a reader's reference manager shows.
    """
    text = _CSL_MARKUP.sub("", " ".join(text.split()))
    out: list[str] = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        if char == "'":
            out.append("\u2018" if before in _QUOTE_OPENERS else "\u2019")
        elif char == '"':
            out.append("\u201c" if before in _QUOTE_OPENERS else "\u201d")
        else:
            out.append(char)
    return "".join(out)


def to_apa(record: CitationRecord) -> str:
    """APA 7 for a dated, versioned document held by an archive.

    Author. (Date). Title (Version n) [Testimony T-0042]. Archive. URL.
    No retrieval date: APA 7 gives one only for pages without a date of their
    own, and a version's permalink never changes. The downloads carry the
    access date for the styles that print it.
    """
    published = record.published
    version = f" (Version {record.version})" if record.version else ""
    return (
        f"{_end(_typeset(record.author))} ({published.year}, {_MONTHS[published.month - 1]} "
        f"{published.day}). {_typeset(record.title)}{version} [{record.genre}]. "
        f"{record.archive}. {record.url}"
    )


def to_chicago(record: CitationRecord) -> str:
    """Chicago author-date (17th ed.): year after the author, access date before the URL."""
    published = record.published
    return (
        f"{_end(record.author)} {published.year}. \u201c{_end(record.title)}\u201d "
        f"{_bracket_note(record)}. {record.archive}, "
        f"{_MONTHS[published.month - 1]} {published.day}. "
        f"Accessed {_long_date(record.accessed)}. {record.url}."
    )


def to_mla(record: CitationRecord) -> str:
    """MLA 9: author, "title", container, version, date, location; access date last."""
    elements = [record.archive]
    elements.append(f"testimony {record.public_id}")
    if record.version:
        elements.append(f"version {record.version}")
    elements.append(_mla_date(record.published))
    elements.append(record.url)
    title = record.title if record.title.endswith((".", "?", "!")) else f"{record.title}."
    return (
        f"{_end(record.author)} \u201c{title}\u201d {', '.join(elements)}. "
        f"Accessed {_mla_date(record.accessed)}."
    )


_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bibtex_text(value: str) -> str:
    """Escape LaTeX specials so an editor's title cannot break the entry's braces."""
    flat = " ".join(value.split())
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in flat)


def _bibtex_fields(record: Citable) -> list[tuple[str, str]]:
    """The entry's fields, in biblatex's names; ``date`` is biblatex's full date.

    ``year`` and ``month`` repeat the date for classic BibTeX styles, which
    read no ``date``. The URL is not escaped: the ``url`` field is read
    verbatim, and ``#p3`` must survive as written.
    """
    match record:
        case CitationRecord():
            fields = [
                # Double braces: BibTeX keeps a pseudonym whole instead of
                # splitting it into given and family names.
                ("author", "{" + _bibtex_text(record.author) + "}"),
                ("title", _bibtex_text(record.title)),
                ("type", record.genre),
                *([("version", str(record.version))] if record.version else []),
                ("organization", _bibtex_text(record.archive)),
                ("date", record.published.isoformat()),
                ("year", str(record.published.year)),
                ("month", str(record.published.month)),
            ]
        case LegalRecord():
            fields = [
                ("title", _bibtex_text(record.title)),
                ("shorttitle", _bibtex_text(record.short_title)),
                ("date", str(record.year)),
                ("year", str(record.year)),
            ]
        case IncidentRecord():
            fields = [
                ("author", "{" + _bibtex_text(record.archive) + "}"),
                ("title", _bibtex_text(record.title)),
                ("date", record.published.isoformat()),
                ("year", str(record.published.year)),
                ("month", str(record.published.month)),
            ]
    return [
        *fields,
        ("url", record.url),
        ("urldate", record.accessed.isoformat()),
        ("langid", _BABEL_LANGUAGES.get(record.language, record.language)),
        ("note", _bibtex_text(record.descriptor)),
    ]


# biblatex names a language as babel and polyglossia do.
_BABEL_LANGUAGES = {"en": "english", "th": "thai"}


def to_bibtex(record: Citable) -> str:
    """A biblatex entry of the record's type (``@misc``, ``@legislation``, ``@dataset``).

    biblatex has no licence field; the licence is in the CSL-JSON download.
    """
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in _bibtex_fields(record))
    return f"@{record.item_type.bibtex}{{{record.key},\n{body}\n}}\n"


def _ris_text(value: str) -> str:
    # A RIS value ends at the line break, so editors' newlines become spaces
    # (in CSL-JSON too, so every format gives the same one-line title).
    return " ".join(value.split())


def _ris_date(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def to_ris(record: Citable) -> str:
    """RIS of the record's type (``GEN``, ``STAT``, ``DATA``), CRLF line ends as the spec asks.

    ``ID`` is the citation key and ``AN`` (accession number) the archive's id,
    which Zotero files as the location in the archive. RIS has no licence tag.
    """
    lines: list[tuple[str, str]] = [("TY", record.item_type.ris), ("ID", record.key)]
    match record:
        case CitationRecord():
            lines += [
                ("AU", _ris_text(record.author)),
                ("TI", _ris_text(record.title)),
                ("M3", record.genre),
                # GEN has no version tag; its edition reads back as the version's words.
                *([("ET", f"Version {record.version}")] if record.version else []),
                ("PB", record.archive),
                ("PY", str(record.published.year)),
                ("DA", _ris_date(record.published)),
                ("AN", record.public_id),
            ]
        case LegalRecord():
            lines += [
                ("TI", _ris_text(record.title)),
                ("ST", _ris_text(record.short_title)),
                ("PY", str(record.year)),
                ("DA", str(record.year)),
                ("AN", record.code),
            ]
        case IncidentRecord():
            lines += [
                ("AU", record.archive),
                ("TI", _ris_text(record.title)),
                ("PY", str(record.published.year)),
                ("DA", _ris_date(record.published)),
                ("AN", record.public_id),
            ]
    lines += [
        ("UR", record.url),
        ("Y2", _ris_date(record.accessed)),
        ("LA", record.language),
        ("N1", _ris_text(record.descriptor)),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)


def _date_parts(*parts: int) -> dict[str, list[list[int]]]:
    return {"date-parts": [list(parts)]}


def _ymd(day: date) -> dict[str, list[list[int]]]:
    return _date_parts(day.year, day.month, day.day)


def csl_item(record: Citable) -> dict[str, Any]:
    """One CSL-JSON item, of the type in the table at the top of this module."""
    item: dict[str, Any] = {"id": record.key, "type": record.item_type.csl}
    match record:
        case CitationRecord():
            item |= {
                "title": _ris_text(record.title),
                "author": [{"literal": _ris_text(record.author)}],
                "genre": record.genre,
                "publisher": record.archive,
                "issued": _ymd(record.published),
            }
            if record.version:
                item["version"] = str(record.version)
        case LegalRecord():
            item |= {
                "title": record.title,
                "title-short": record.short_title,
                "issued": _date_parts(record.year),
            }
        case IncidentRecord():
            item |= {
                "title": record.title,
                "author": [{"literal": record.archive}],
                "issued": _ymd(record.published),
            }
    item |= {
        "accessed": _ymd(record.accessed),
        "URL": record.url,
        "language": record.language,
        "note": record.descriptor,
        "license": record.licence.url,
    }
    return item


def to_csl_json(record: Citable) -> str:
    """CSL-JSON as Zotero and citeproc read it: an array of items."""
    return json.dumps([csl_item(record)], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Format:
    """A citation download: its formatter and the content type it is served as."""

    render: Callable[[Citable], str]
    content_type: str


# By file extension: the address of a download is <page>cite.<extension>.
FORMATS: dict[str, Format] = {
    "bib": Format(to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": Format(to_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": Format(to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}
FORMAT_LABELS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


def _slash_date(day: date) -> str:
    return day.strftime("%Y/%m/%d")


def highwire_tags(
    record: Citable, *, public_url: str, first_published: date | None = None
) -> list[tuple[str, str]]:
    """The ``citation_*`` meta tags Google Scholar and Zotero read, in order.

    For a testimony ``citation_publication_date`` is the cited version's
    date (it matches the text citations) and ``citation_online_date`` when the
    testimony first went online; ``citation_abstract_html_url`` is the
    canonical page and ``citation_fulltext_html_url`` the cited version's own.
    No ``citation_technical_report_number``: it would make Zotero file the
    page as a report, whatever the downloads say.
    """
    match record:
        case CitationRecord():
            return [
                ("citation_title", record.title),
                ("citation_author", record.author),
                ("citation_publication_date", _slash_date(record.published)),
                ("citation_online_date", _slash_date(first_published or record.published)),
                ("citation_publisher", record.archive),
                ("citation_public_url", public_url),
                ("citation_abstract_html_url", public_url),
                ("citation_fulltext_html_url", record.url.split("#", 1)[0]),
                ("citation_language", record.language),
            ]
        case LegalRecord():
            return [
                ("citation_title", record.title),
                ("citation_date", str(record.year)),
                ("citation_public_url", public_url),
                ("citation_abstract_html_url", public_url),
                ("citation_language", record.language),
            ]
        case IncidentRecord():
            return [
                ("citation_title", record.title),
                ("citation_author", record.archive),
                ("citation_publication_date", _slash_date(record.published)),
                ("citation_publisher", record.archive),
                ("citation_public_url", public_url),
                ("citation_abstract_html_url", public_url),
                ("citation_language", record.language),
            ]


def dublin_core_tags(record: Citable) -> list[tuple[str, str]]:
    """``DC.*`` meta tags: the archive's id and the licence, which no ``citation_*`` tag names."""
    return [
        ("DC.identifier", record.key if isinstance(record, LegalRecord) else record.public_id),
        ("DC.rights", record.licence.url),
    ]


def schema_org(
    record: Citable,
    *,
    public_url: str,
    description: str = "",
    first_published: date | None = None,
) -> dict[str, Any]:
    """schema.org JSON-LD for the page, of the type matching the downloads'."""
    archive = {"@type": "Organization", "name": record.archive}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": record.item_type.schema_org,
        "@id": public_url,
        "url": public_url,
        "name": record.title,
        "inLanguage": record.language,
        "license": record.licence.url,
        "isPartOf": {"@type": "Collection", "name": record.archive},
    }
    match record:
        case CitationRecord():
            data |= {
                "identifier": record.public_id,
                "headline": record.title[:110],
                "author": {"@type": "Person", "name": record.author},
                "datePublished": (first_published or record.published).isoformat(),
                "dateModified": record.published.isoformat(),
                "publisher": archive,
                "genre": "Testimony",
            }
            if record.version:
                data["version"] = str(record.version)
        case LegalRecord():
            data |= {
                "identifier": record.code,
                "alternateName": record.short_title,
                "legislationDate": str(record.year),
            }
        case IncidentRecord():
            data |= {
                "identifier": record.public_id,
                "creator": archive,
                "publisher": archive,
                "datePublished": record.published.isoformat(),
            }
    if description:
        data["description"] = description
    return data
