"""The project's middleware, in the order of ``MIDDLEWARE`` (archive/settings/base.py).

- ``RejectNulMiddleware``: a NUL in the address is a 400 before any view runs.
- ``PublicGZipMiddleware``: gzip for what the public reads, never for a page
  that carries a CSRF token or belongs to a signed-in person (BREACH).
- ``ConcurrencyLimitMiddleware``: load shedding, a bounded wait then a fast 503.
- ``ReplicaReadsMiddleware``: an anonymous reader's page read from an up-to-date
  replica, when replicas are configured (``archive/replicas.py``).
- ``LocaleMiddleware``: the reader's language, with the switcher's cookie declared.
- ``BadQueryMiddleware``, ``GoneMiddleware``, ``DatabaseUnavailableMiddleware``:
  what a view raises (``BadQuery``, ``Gone``, a lost database) as the site's
  400, 410 and 503 pages. The API answers the first two itself, in JSON
  (``api/exceptions.py``), before they reach here.

The pages and exceptions themselves are in ``archive/errors.py``.
"""

import logging
import threading
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware import locale
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from archive import replicas
from archive.errors import (
    DATABASE_DOWN,
    BadQuery,
    Gone,
    database_unavailable,
    nul_message,
    refusal,
    render_unavailable_page,
    tombstone_page,
    unavailable_response,
)

# The same logger as the error pages, so operators filter one name for both.
logger = logging.getLogger("archive.errors")


class RejectNulMiddleware:
    """A NUL character (%00) in the address gets a 400 before any view sees it.

    No page takes one, and PostgreSQL refuses NUL in text, so a NUL reaching a
    lookup (a permalink's id, an API filter) would otherwise be a 500 there and a
    plain miss on SQLite.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return refusal(request, nul_message(query))
        return self.get_response(request)


# A shed request is told to come back this many seconds later.
RETRY_AFTER_SECONDS = 2


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, only for responses that hold no secret.

    Compressing a page that holds a secret next to text an attacker chooses
    (a search word is echoed on the search page) lets the compressed length
    reveal the secret a guess at a time (BREACH). The public pages, feeds,
    CSV and API hold none: no CSRF token (the language switcher is
    CSRF-exempt), nothing per reader. A response is sent uncompressed when its
    body may carry a CSRF token (something asked for one while it was made:
    the admin's forms, the log-in page), when the request comes with a session
    (a signed-in editor's pages, TOTP secrets), or when it starts a session.
    The app compresses rather than leaving it all to a reverse proxy because
    only the app knows which responses these are; a proxy in front passes an
    already compressed response through as it is.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # get_token() flags the request, and CsrfViewMiddleware (inside this one) answers
        # the flag by setting the cookie and clearing it: either sign means a token.
        if (
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or settings.CSRF_COOKIE_NAME in response.cookies
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or settings.SESSION_COOKIE_NAME in response.cookies
        ):
            return response
        return super().process_response(request, response)


class ConcurrencyLimitMiddleware:
    """Load shedding: a short, bounded wait for a free slot, then a fast 503.

    A gunicorn worker that is behind keeps accepting work into queues it cannot
    see the age of, so under overload every reader waits until their client gives
    up. With ``ARCHIVE_MAX_CONCURRENT_REQUESTS`` set (and a threaded worker, whose
    spare threads are the waiting room), at most that many requests run at once in
    the process; one that finds no slot within ``ARCHIVE_QUEUE_TIMEOUT_MS`` gets a
    503 with Retry-After at once, and the ones that are served stay fast.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        limit = settings.ARCHIVE_MAX_CONCURRENT_REQUESTS
        if limit <= 0:
            raise MiddlewareNotUsed  # the default: no limit, and no cost
        self.get_response = get_response
        self.slots = threading.BoundedSemaphore(limit)
        self.wait_seconds = settings.ARCHIVE_QUEUE_TIMEOUT_MS / 1000

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.slots.acquire(timeout=self.wait_seconds):
            return unavailable_response(self.busy_page, retry_after=RETRY_AFTER_SECONDS)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()

    @cached_property
    def busy_page(self) -> str:
        # Rendered once, by the first request shed: the page is the same for every
        # request, and a 503 under overload must cost next to nothing.
        return render_unavailable_page(busy=True, retry_after=RETRY_AFTER_SECONDS)


class ReplicaReadsMiddleware:
    """Sends an anonymous reader's reads to a replica that has caught up with the primary.

    Not used without ``DATABASE_REPLICA_URL``. Everything else, and any request
    a replica cannot serve as fresh as the primary, reads from the primary.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not replicas.replica_aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        alias = replicas.choose_replica() if replicas.may_use_replica(request) else None
        with replicas.reads_from(alias):
            return self.get_response(request)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, also telling shared caches the cookie picks the language.

    Django adds ``Vary: Accept-Language`` only; a proxy that honoured just that
    would hand a Thai page to an English reader whose browser sends the same
    header but whose switcher cookie says otherwise.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response


class BadQueryMiddleware:
    """Turns ``BadQuery`` raised by any public view into a 400 page with its message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadQuery):
            return render(request, "400.html", {"message": str(exception)}, status=400)
        return None


class GoneMiddleware:
    """Turns ``Gone`` raised by a selector or view into the tombstone page (410).

    One place instead of a check in every view that shows a testimony; the API's
    views answer ``Gone`` in JSON through DRF's exception handler before it gets here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Gone):
            return tombstone_page(request, exception)
        return None


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not a 500.

    Near the end of the middleware list, so it sees what views raise. Failures
    in other middleware (a session saved on the way out) reach ``server_error``
    below instead, which gives the same page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable()
        return None
