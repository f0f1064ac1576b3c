"""Texts kept in English and Thai side by side, and which one a reader is shown.

Laws, clauses, vocabularies and editors' notes keep each text twice, in a
field of its own per language (``heading`` and ``heading_th``). The reader's
interface language picks one; when that language has no text the other is
shown, marked as such, so a Thai reader is never handed English silently.
"""

from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import get_language, gettext

ENGLISH = "en"
THAI = "th"


def reading_thai() -> bool:
    """Whether the active interface language is Thai."""
    return (get_language() or ENGLISH).startswith(THAI)


@dataclass(frozen=True)
class Localized:
    """One text as a reader is shown it: the words, their language, and whether it fell back."""

    text: str
    lang: str
    # The reader's language has no text, so the other one is shown (and marked).
    fallback: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def marker(self) -> str:
        """ "English only" or "Thai only", in the reader's language; empty if not a fallback."""
        if not self.fallback:
            return ""
        return gettext("English only") if self.lang == ENGLISH else gettext("Thai only")


def pick(english: str, thai: str) -> Localized:
    """The text for the active language, or the other one marked as a fallback."""
    if reading_thai():
        if thai:
            return Localized(thai, THAI)
        return Localized(english, ENGLISH, fallback=bool(english))
    if english:
        return Localized(english, ENGLISH)
    return Localized(thai, THAI, fallback=bool(thai))


class BilingualLabel:
    """A label whose language is chosen each time it is read, like a lazy translation.

    The search's facet values are read once per index generation and shared by
    readers of both languages, so their labels cannot be fixed when read.
    """

    __slots__ = ("english", "thai")

    def __init__(self, english: str, thai: str = "") -> None:
        self.english = english
        self.thai = thai

    def localized(self) -> Localized:
        return pick(self.english, self.thai)

    @property
    def lang(self) -> str:
        return self.localized().lang

    def __str__(self) -> str:
        return self.localized().text

    def __bool__(self) -> bool:
        return bool(self.english or self.thai)

    def __repr__(self) -> str:
        return f"BilingualLabel({self.english!r}, {self.thai!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BilingualLabel):
            return (self.english, self.thai) == (other.english, other.thai)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.english, self.thai))

    def matches(self, needle: str) -> bool:
        """Whether ``needle`` is found, in any case, in either language."""
        needle = needle.casefold()
        return needle in self.english.casefold() or needle in self.thai.casefold()


class Bilingual:
    """A model mixin: ``bilingual_fields`` maps each English field to its Thai one."""

    bilingual_fields: ClassVar[dict[str, str]] = {}

    def localized(self, field: str) -> Localized:
        """The field's text in the reader's language, or the other language marked."""
        return pick(getattr(self, field), getattr(self, self.bilingual_fields[field]))
