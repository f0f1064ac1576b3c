"""Pure citation formatting: one ``CitationRecord`` in, one citation string out.

Nothing here touches the database or the request; the view builds the record
(permalink, version, access date) and these functions only format it, so each
style can be tested on its own and re-used by exports.

Hand-written rather than rendered through citeproc-py at runtime: the three
text styles need only a handful of fields, and citeproc-py would bring lxml and
a vendored CSL style into every web worker for a few lines of string
formatting. The tests render our CSL-JSON through citeproc-py and parse the
BibTeX and RIS with bibtexparser and rispy, so the outputs are checked by
real consumers of each format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext

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

    @property
    def key(self) -> str:
        """A citation key safe in BibTeX and as a CSL id: letters, digits and hyphens."""
        suffix = f"-v{self.version}" if self.version else ""
        para = f"-p{self.paragraph}" if self.paragraph else ""
        return f"{self.public_id}{suffix}{para}"

    @property
    def descriptor(self) -> str:
        """'Testimony T-0042, version 2, paragraph 3': the archive's own locator."""
        parts = [f"Testimony {self.public_id}"]
        if self.version:
            parts.append(f"version {self.version}")
        if self.paragraph:
            parts.append(f"paragraph {self.paragraph}")
        return ", ".join(parts)


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


def to_apa(record: CitationRecord) -> str:
    """APA 7, for a dated page from an archive; the retrieval date is kept as asked."""
    published = record.published
    return (
        f"{_end(record.author)} ({published.year}, {_MONTHS[published.month - 1]} "
        f"{published.day}). {record.title} [{_bracket_note(record)}]. {record.archive}. "
        f"Retrieved {_long_date(record.accessed)}, from {record.url}"
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


def to_bibtex(record: CitationRecord) -> str:
    """A BibTeX ``@misc`` entry (readable by BibTeX and biblatex alike).

    The pseudonym goes in double braces so BibTeX keeps it whole instead of
    splitting it into given and family names. The URL is not escaped: the
    ``url`` field is read verbatim, and ``#p3`` must survive as written.
    """
    fields: list[tuple[str, str]] = [
        ("author", "{" + _bibtex_text(record.author) + "}"),
        ("title", _bibtex_text(record.title)),
        ("howpublished", _bibtex_text(record.archive)),
        ("publisher", _bibtex_text(record.archive)),
        ("year", str(record.published.year)),
        ("month", str(record.published.month)),
        ("date", record.published.isoformat()),
        ("url", record.url),
        ("urldate", record.accessed.isoformat()),
        ("language", record.language),
        ("note", _bibtex_text(record.descriptor)),
    ]
    if record.version:
        fields.insert(8, ("version", str(record.version)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{record.key},\n{body}\n}}\n"


def _ris_text(value: str) -> str:
    # A RIS value ends at the line break, so editors' newlines become spaces.
    return " ".join(value.split())


def to_ris(record: CitationRecord) -> str:
    """RIS, type ELEC (web page), with CRLF line ends as the specification asks."""
    lines = [
        ("TY", "ELEC"),
        ("AU", _ris_text(record.author)),
        ("TI", _ris_text(record.title)),
        ("T2", record.archive),
        ("PB", record.archive),
        ("PY", str(record.published.year)),
        ("DA", record.published.strftime("%Y/%m/%d")),
        ("AN", record.public_id),
        ("UR", record.url),
        ("Y2", record.accessed.strftime("%Y/%m/%d")),
        ("LA", record.language),
        ("N1", _ris_text(record.descriptor)),
    ]
    if record.version:
        lines.insert(8, ("ET", f"Version {record.version}"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)


def _date_parts(day: date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(record: CitationRecord) -> dict[str, Any]:
    """One CSL-JSON item.

    Type ``report``: a numbered document published by an organisation is the
    closest CSL type, and CSL styles then print the archive (publisher),
    the public id (number) and the version.
    """
    item: dict[str, Any] = {
        "id": record.key,
        "type": "report",
        "title": record.title,
        "author": [{"literal": record.author}],
        "genre": "Testimony",
        "number": record.public_id,
        "publisher": record.archive,
        "issued": _date_parts(record.published),
        "accessed": _date_parts(record.accessed),
        "URL": record.url,
        "language": record.language,
        "note": record.descriptor,
    }
    if record.version:
        item["version"] = str(record.version)
    return item


def to_csl_json(record: CitationRecord) -> str:
    """CSL-JSON as Zotero and citeproc read it: an array of items."""
    return json.dumps([csl_item(record)], ensure_ascii=False, indent=2) + "\n"


def highwire_tags(
    record: CitationRecord, *, public_url: str, first_published: date | None
) -> list[tuple[str, str]]:
    """The ``citation_*`` meta tags Google Scholar and Zotero read, in order.

    ``citation_publication_date`` is the cited version's date (it matches the
    year in the text citations); ``citation_online_date`` is when the
    testimony first went online.
    """
    tags = [
        ("citation_title", record.title),
        ("citation_author", record.author),
        ("citation_publication_date", record.published.strftime("%Y/%m/%d")),
        ("citation_online_date", (first_published or record.published).strftime("%Y/%m/%d")),
        ("citation_publisher", record.archive),
        ("citation_public_url", public_url),
        ("citation_language", record.language),
        ("citation_technical_report_number", record.public_id),
    ]
    return tags


def schema_org(
    record: CitationRecord, *, public_url: str, description: str, first_published: date | None
) -> dict[str, Any]:
    """schema.org JSON-LD describing the page as an archived, versioned account."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": public_url,
        "url": public_url,
        "identifier": record.public_id,
        "headline": record.title[:110],
        "name": record.title,
        "author": {"@type": "Person", "name": record.author},
        "datePublished": (first_published or record.published).isoformat(),
        "dateModified": record.published.isoformat(),
        "inLanguage": record.language,
        "publisher": {"@type": "Organization", "name": record.archive},
        "isPartOf": {"@type": "Collection", "name": record.archive},
    }
    if record.version:
        data["version"] = str(record.version)
    if description:
        data["description"] = description
    return data
