"""Errors as JSON: every failure the API can answer gives ``{"detail": ...}``."""

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from archive.errors import BadQuery


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus ``BadQuery`` (raised by the shared search code) as a 400.

    Without this a search the API cannot answer would reach the site's
    middleware and come back as the HTML 400 page.
    """
    if isinstance(exc, BadQuery):
        exc = exceptions.ParseError(str(exc))
    return drf_exception_handler(exc, context)
