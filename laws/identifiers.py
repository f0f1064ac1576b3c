"""How laws and clauses are named: slugs, clause codes and citations. Pure functions.

A law is known by its slug (``atipa-2008``), a clause by its slug within its
law (``s-29``); together they make the clause's code, ``atipa-2008:s-29``,
the value of the ``clause`` facet in search URLs, the API and the CSV. A
citation is what a reader writes: ``ATIPA 2008, s. 29``. Nothing here reads
the database.
"""

import re
from dataclasses import dataclass

# The slug rules: what Django's ``<slug:...>`` path converter and SlugField accept.
# Slugs are kept forever once published (old ones redirect), so they are short and
# plain: ASCII letters, digits, hyphens and underscores.
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"
LAW_SLUG_MAX_LENGTH = 80
CLAUSE_SLUG_MAX_LENGTH = 60
CLAUSE_CODE_SEPARATOR = ":"

_SLUG = re.compile(rf"\A{SLUG_PATTERN}\Z")


def is_slug(value: str) -> bool:
    """Whether ``value`` obeys the slug rules (any length; the fields cap it)."""
    return bool(_SLUG.match(value))


def clause_code(law_slug: str, clause_slug: str) -> str:
    """The code of a clause: its law's slug and its own, e.g. ``atipa-2008:s-29``."""
    return f"{law_slug}{CLAUSE_CODE_SEPARATOR}{clause_slug}"


def parse_clause_code(code: str) -> tuple[str, str]:
    """The law slug and clause slug of a clause code; ValueError if it is not one."""
    law_slug, separator, clause_slug = code.partition(CLAUSE_CODE_SEPARATOR)
    if not separator or not is_slug(law_slug) or not is_slug(clause_slug):
        raise ValueError(f"Not a clause code: {code!r}")
    return law_slug, clause_slug


def citation(law_short_name: str, number: str) -> str:
    """How a clause is cited: ``citation("ATIPA 2008", "s. 29")`` is ``ATIPA 2008, s. 29``."""
    return f"{law_short_name}, {number}"


# --- What an editor types into the clause picker --------------------------------------
#
# Editors cite a clause the way they read it: "atipa 29", "ATIPA s.29", the import
# key "atipa-2008/s-29", or in Thai "พ.ร.บ.ค้ามนุษย์ ม. 29". These functions split
# such a query into the law's words and the clause's number; ranking lives in
# laws/picker.py.

IMPORT_KEY_SEPARATOR = "/"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# The Thai abbreviations of an instrument's kind, as the official titles spell them out.
_THAI_ABBREVIATIONS = {
    "พ.ร.บ.": "พระราชบัญญัติ",
    "พ.ร.ก.": "พระราชกำหนด",
    "ป.อ.": "ประมวลกฎหมายอาญา",
}
_CLAUSE_NUMBER = r"\d+[a-z]?(?:\(\d+\))*"
# Words that introduce a clause number: section, article, principle; มาตรา (ม.) and ข้อ in Thai.
_NUMBER_WORDS = r"ss?|sec|section|art|arts|article|principle|guideline|มาตรา|ม|ข้อ"
_CITED_NUMBER = re.compile(
    rf"(?:^|(?<=[\s,]))(?:(?P<word>{_NUMBER_WORDS})[.\-]?\s*)?(?P<number>{_CLAUSE_NUMBER})\s*$"
)
_CODE = re.compile(
    rf"\A({SLUG_PATTERN})[{IMPORT_KEY_SEPARATOR}{CLAUSE_CODE_SEPARATOR}]({SLUG_PATTERN})\Z"
)
_NUMBER_IN_CITATION = re.compile(_CLAUSE_NUMBER)


@dataclass(frozen=True)
class ClauseQuery:
    """A picker query taken apart. ``law_words`` is normalised (see ``normalise``)."""

    law_words: str
    number: str = ""
    # Whether a word such as "s." or "มาตรา" introduced the number: without one,
    # "ATIPA 2008" may be a law's year rather than a section.
    number_marked: bool = False
    code: tuple[str, str] | None = None


def normalise(text: str) -> str:
    """Lower case, Arabic digits, Thai abbreviations spelled out, spaces collapsed."""
    text = text.translate(_THAI_DIGITS).lower()
    for abbreviation, full in _THAI_ABBREVIATIONS.items():
        text = text.replace(abbreviation, full)
    return " ".join(text.split())


def clause_number_key(number: str) -> str:
    """The bare number of a clause as cited: "s. 29" -> "29", "Art. 9(1)" -> "9(1)".

    A range ("ss. 282-284") is known by its first number.
    """
    found = _NUMBER_IN_CITATION.search(normalise(number).replace(" (", "("))
    return found.group(0) if found else ""


def parse_clause_query(text: str) -> ClauseQuery:
    """What the picker reads in ``text``: an import key or code, or a law and a number.

    ``parse_clause_query("ATIPA s. 29")`` is ``ClauseQuery("atipa", "29", True)``;
    ``"atipa-2008/s-29"`` gives ``code=("atipa-2008", "s-29")``.
    """
    plain = normalise(text)
    code = _CODE.match(plain)
    if code:
        return ClauseQuery(law_words="", code=(code.group(1), code.group(2)))
    cited = _CITED_NUMBER.search(plain)
    if not cited:
        return ClauseQuery(law_words=plain)
    law_words = plain[: cited.start()].strip(" ,")
    return ClauseQuery(
        law_words=law_words,
        number=cited.group("number"),
        number_marked=cited.group("word") is not None,
    )
