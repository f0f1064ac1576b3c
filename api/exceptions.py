"""Errors as JSON: every failure the API can answer gives ``{"detail": ...}``."""

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from archive.errors import BadQuery, Gone


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus ``BadQuery`` (raised by the shared search code) as a 400
    and ``Gone`` (raised by the shared selectors) as a 410 with its tombstone.

    Without this they would reach the site's middleware and come back as the
    HTML 400 page and the HTML tombstone.
    """
    if isinstance(exc, Gone):
        return gone(exc)
    if isinstance(exc, BadQuery):
        exc = exceptions.ParseError(str(exc))
    return drf_exception_handler(exc, context)


def gone(exc: Gone) -> Response:
    """410 with what the HTML tombstone shows: the id and the month, nothing else."""
    data = {
        "detail": f"{exc.public_id} has been withdrawn at the request of the person who "
        "gave it. Its text is no longer held by the archive.",
        "public_id": exc.public_id,
        "withdrawn": exc.withdrawn_month,
    }
    return Response(data, status=status.HTTP_410_GONE, headers={"X-Robots-Tag": "noindex"})
