"""Public reads of the archive's pages, in the reader's language."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString

from pages import markup
from pages.models import Page


@dataclass(frozen=True)
class PageText:
    slug: str
    title: str
    body: SafeString  # rendered by pages.markup: escaped, never raw HTML
    language: str  # the language title and body are written in: "en" or "th"
    english_only: bool  # a Thai reader is shown the English, for want of a Thai text
    updated_at: datetime


def page_text(*, slug: str, language: str) -> PageText | None:
    """The page in ``language`` if it has that text, else in English; None if unwritten."""
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        return None
    thai = language.startswith("th")
    if thai and page.body_th:
        title, body, written_in = page.title_th, page.body_th, "th"
    else:
        title, body, written_in = page.title_en, page.body_en, "en"
    return PageText(
        slug=page.slug,
        title=title,
        body=markup.render(body),
        language=written_in,
        english_only=thai and written_in == "en",
        updated_at=page.updated_at,
    )
