"""Serving a citation download: the URL converter and the response.

The formatting is in ``archive.citations`` (pure); this is the thin HTTP side
every app with a citable page shares, so a testimony, a law, a clause and an
incident answer ``cite.bib``, ``cite.ris`` and ``cite.json`` alike.
"""

from django.http import HttpResponse
from django.urls import register_converter

from archive.citations import FORMAT_LABELS, FORMATS, Citable


class CitationFormatConverter:
    """Only the formats we serve match, so /cite.xyz is a plain 404, never a 500."""

    regex = "|".join(FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once, here: every urls.py that serves a download imports this module.
register_converter(CitationFormatConverter, "citefmt")


def download(record: Citable, fmt: str) -> HttpResponse:
    """The record in format ``fmt`` (a key of ``FORMATS``), as a file to save."""
    chosen = FORMATS[fmt]
    response = HttpResponse(chosen.render(record), content_type=chosen.content_type)
    # The key is letters, digits, hyphens and a clause code's colon: safe in a filename.
    filename = record.key.replace(":", "_")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def download_links(page_path: str, query: str = "") -> list[tuple[str, str]]:
    """(label, address) of each download of the page at ``page_path`` (ending in '/')."""
    return [(FORMAT_LABELS[fmt], f"{page_path}cite.{fmt}{query}") for fmt in FORMATS]
