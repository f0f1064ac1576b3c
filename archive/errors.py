"""Errors answered with a plain page (JSON under /api/): bad input (400), an unknown
address (404), a withdrawn record (410), and the 503 page, for the database being
down or the archive being busy.

Views and selectors raise ``BadQuery`` and ``Gone``; the middleware of
``archive/middleware.py`` turns them into pages, and the API's exception
handler (``api/exceptions.py``) into JSON."""

import logging
import sys
from datetime import datetime
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import page_not_found

from archive import httpcache


class BadQuery(Exception):
    """The query string cannot be answered; the message is shown to the reader."""


class Gone(Exception):
    """A record withdrawn for good: answered 410 with its tombstone, wherever it is asked for.

    Carries only what a tombstone may show: the public id and when it was withdrawn.
    """

    def __init__(self, *, public_id: str, withdrawn_at: datetime | None) -> None:
        super().__init__(f"{public_id} has been withdrawn.")
        self.public_id = public_id
        self.withdrawn_at = withdrawn_at

    @property
    def withdrawn_month(self) -> str | None:
        """The month of withdrawal, ``YYYY-MM``: no finer date is ever shown."""
        return self.withdrawn_at.strftime("%Y-%m") if self.withdrawn_at else None


def tombstone_page(request: HttpRequest, gone: Gone) -> HttpResponse:
    """410 with the tombstone: the id and the month of withdrawal, nothing else."""
    response = render(request, "testimonies/tombstone.html", {"tombstone": gone}, status=410)
    response["X-Robots-Tag"] = "noindex, noarchive"
    # Kept by shared caches no longer than a page was: the same withdrawal bound.
    # The guard (archive/httpcache.py) takes this back for a logged-in reader.
    httpcache.mark_shared(response)
    return response


def nul_message(query: str) -> str:
    """Names the parameter holding the NUL, so the reader knows what to fix."""
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if "%00" in value or "\x00" in value:
            shown = unquote(name, errors="replace")[:40]
            return f"The value of {shown!r} contains a NUL character (%00), which is never valid."
    return "The address contains a NUL character (%00), which is never valid."


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's own refusals (``handler400``), with a sentence saying which limit was hit."""
    if isinstance(exception, TooManyFieldsSent):
        message = (
            "Too many parameters in the address: at most "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} are read."
        )
    elif isinstance(exception, RequestDataTooBig):
        message = "The request is too large."
    else:
        message = ""
    return refusal(request, message)


# The JSON API answers its errors in JSON, including those raised before a view runs.
API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def refusal(request: HttpRequest, message: str) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": message or "Bad request."}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


DATABASE_DOWN = (OperationalError, InterfaceError)
logger = logging.getLogger(__name__)

# Served when the site's 503 page cannot be rendered (say, a static file missing
# from the manifest), so a 503 never becomes a 500. One per reason, as the page says why.
FALLBACK_BUSY_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Busy</title>"
    "<h1>The archive is busy</h1><p>Too many readers at this moment. "
    "Please try again in a few seconds.</p></html>"
)
FALLBACK_DATABASE_DOWN_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Briefly unavailable</title>"
    "<h1>The archive is briefly unavailable</h1><p>We cannot reach the archive's database "
    "just now, usually because of maintenance. Please try again in a few minutes.</p></html>"
)


def render_unavailable_page(*, busy: bool, retry_after: int) -> str:
    """The site's 503 page, saying why; a plain page if it cannot be rendered.

    Rendered with no request context, so nothing touches the database.
    """
    try:
        return render_to_string("503.html", {"busy": busy, "retry_after": retry_after})
    except Exception:
        logger.exception("The 503 page could not be rendered; answering with a plain one.")
        return FALLBACK_BUSY_PAGE if busy else FALLBACK_DATABASE_DOWN_PAGE


def unavailable_response(page: str, *, retry_after: int) -> HttpResponse:
    """A 503 carrying ``page``, telling clients when to come back and not to keep it."""
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable() -> HttpResponse:
    """The 503 answer when the database cannot be reached."""
    retry_after = settings.ARCHIVE_RETRY_AFTER
    page = render_unavailable_page(busy=False, retry_after=retry_after)
    return unavailable_response(page, retry_after=retry_after)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the error was the database being unreachable."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable()
    return HttpResponseServerError(render_to_string("500.html"))


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: the site's 404 page, or a JSON answer for an unknown API address."""
    if is_api(request):
        return JsonResponse({"detail": "No such API endpoint; see /api/docs/."}, status=404)
    return page_not_found(request, exception)
