"""HTTP caching of public pages by browsers and shared caches (the reverse proxy, a CDN).

A journalist's link to a testimony can bring thousands of readers an hour. The
public pages marked here (``shared_cache``) say ``Cache-Control: public,
max-age=N, s-maxage=N-1`` with N = ``ARCHIVE_HTTP_CACHE_SECONDS`` (a shared
cache that counts whole seconds may keep a page one second past its
s-maxage: see ``mark_shared``), and carry an
ETag and a Last-Modified, so the proxy serves the rush and asks the archive
again at most every N seconds, getting a 304 when nothing changed.

N is also the bound on withdrawal: once a testimony is withdrawn, no
cache that obeys these headers shows its text more than N seconds later.
Nothing may lengthen that: no ``stale-while-revalidate`` or ``stale-if-error``
here, and no ``proxy_cache_use_stale`` in the nginx configuration, which also
passes on the page's own Date, so a browser counts a copy's age from when the
archive made it, not from when the proxy handed it out. The tombstone (410) is
kept no longer than N either.

``SharedCacheMiddleware`` is the guard. Whatever a view asked for, a response
is never cacheable by others when it answers a logged-in person or anyone
carrying a session cookie (the admin, staff previews), sets a cookie, answers
anything but GET or HEAD, or is an error page: those get ``private, no-store``.

The ETag is a digest of the body, so it changes whenever anything the page
shows changes (a correction, a renamed law, the citation's "accessed" date, a
new release), and answers 304 only for the very bytes the reader holds. The
Last-Modified is when this process (or, with ``ARCHIVE_CACHE_URL``, any worker)
first served the page as it is now: a digest alone cannot say when the text
changed, and every other date we hold misses something the page shows. (Without
a shared cache, a client sending only If-Modified-Since to another worker, after
a page changed and changed back, could be told 304 wrongly; browsers and nginx
send the ETag as well, and it takes precedence.)

``request_purge`` tells a CDN to forget a withdrawn testimony's pages at once
(``ARCHIVE_PURGE_URL``); without one, the bound above is what holds.
"""

import hashlib
import json
import logging
import urllib.request
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date
from whitenoise.middleware import WhiteNoiseFileResponse

logger = logging.getLogger(__name__)

# Where the first-seen times behind Last-Modified are kept (settings.CACHES).
VALIDATORS_CACHE = "validators"
# Kept a day: after that a page's Last-Modified moves forward, which costs a
# reader a full answer instead of a 304, never a wrong 304.
FIRST_SEEN_SECONDS = 24 * 60 * 60
SAFE_METHODS = ("GET", "HEAD")
# Seconds the purge hook waits for the CDN: it runs after the withdrawal has
# committed, inside the reviewer's request.
PURGE_TIMEOUT_SECONDS = 5


def cache_seconds() -> int:
    """How long a public page may be kept anywhere: also the withdrawal bound."""
    return settings.ARCHIVE_HTTP_CACHE_SECONDS


def mark_shared(response: HttpResponseBase) -> None:
    """Let browsers and shared caches keep ``response`` for the bound, no longer."""
    seconds = cache_seconds()
    if seconds <= 0:
        # Kept, but asked about again every time: the 304 still saves the body.
        patch_cache_control(response, public=True, no_cache=True, max_age=0, s_maxage=0)
    else:
        # nginx counts a kept page's life in whole seconds of its own clock, from when it
        # stored the page, and serves it through the last one: told s-maxage=N, it served
        # a withdrawn testimony up to N + 1 s later (tests/test_multi_server.py). One
        # second less keeps shared caches within the bound; at N = 1 they keep nothing.
        patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds - 1)


def shared_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public page that browsers and shared caches may keep (see the module's text)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            mark_shared(response)
        return response

    return wrapped


def _is_shared(response: HttpResponseBase) -> bool:
    directives = response.get("Cache-Control", "").lower()
    return "public" in directives or "s-maxage" in directives


def _keeps_nothing(response: HttpResponseBase) -> bool:
    directives = response.get("Cache-Control", "").lower()
    return "no-store" in directives


def _personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response belongs to one person, whatever the view asked for."""
    if (
        request.method not in SAFE_METHODS
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or response.cookies
    ):
        return True
    # Asked last: with a session cookie the user would be read from the database,
    # which may be the very thing that is down (the 503 page must not become a 500).
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _error(response: HttpResponseBase) -> bool:
    # The tombstone (410) is the one error a shared cache may keep, and only
    # when it is marked shared, for the bound.
    if response.status_code == 410 and _is_shared(response):
        return False
    return response.status_code >= 400


def _first_seen(request: HttpRequest, etag: str) -> datetime:
    """When the page with this ETag was first served here; now if never, or unknown."""
    now = datetime.now(UTC).replace(microsecond=0)
    address = f"{request.get_host()}{request.get_full_path()}"
    language = getattr(request, "LANGUAGE_CODE", "")
    digest = hashlib.sha256(f"{language}:{address}".encode("utf-8", "surrogatepass"))
    key = f"seen:{digest.hexdigest()}"
    cache = caches[VALIDATORS_CACHE]
    try:
        kept = cache.get(key)
        if kept is not None and kept[0] == etag:
            return datetime.fromtimestamp(kept[1], UTC)
        cache.set(key, (etag, now.timestamp()), FIRST_SEEN_SECONDS)
    except Exception:  # a shared cache that is down: the page is still right, only younger
        logger.warning("Validator cache unavailable; Last-Modified is now", exc_info=True)
    return now


def _with_validators(request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
    """ETag and Last-Modified on a shared page, and the 304 when the reader's copy is current."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    etag = response["ETag"]
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(_first_seen(request, etag).timestamp())
    last_modified = datetime.strptime(response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    conditional = get_conditional_response(
        request,
        etag=etag,
        last_modified=int(last_modified.replace(tzinfo=UTC).timestamp()),
        response=response,
    )
    return conditional if conditional is not None else response


class SharedCacheMiddleware:
    """Holds every response to the caching rules of this module.

    Placed above the session, locale and authentication middleware and every
    middleware that answers on its own (a NUL refused, a busy 503), so it sees
    the cookies, the ``Vary`` and the status of the final response. Static files
    served by WhiteNoise keep their own long-lived headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if isinstance(response, WhiteNoiseFileResponse):
            return response
        if _personal(request, response) or _error(response):
            if not _keeps_nothing(response):
                # Replaces any public or max-age directive a view set.
                del response["Cache-Control"]
                add_never_cache_headers(response)
            return response
        if (
            _is_shared(response)
            and response.status_code == 200
            and isinstance(response, HttpResponse)
            and request.method in SAFE_METHODS
        ):
            return _with_validators(request, response)
        return response


def request_purge(*, public_id: str, paths: Iterable[str]) -> bool:
    """Ask the CDN in front of the archive to forget ``paths`` (a withdrawal).

    POSTs JSON to ``ARCHIVE_PURGE_URL``: the public id, the path prefixes whose
    pages must go (every version and citation file lies under them), and
    ``all_pages: true``, since search, law and clause pages may list the record
    too. A small adapter at that address speaks the CDN's own purge API. Runs
    after the withdrawal has committed: a CDN that does not answer is logged,
    and the pages then expire within ``ARCHIVE_HTTP_CACHE_SECONDS`` anyway.
    Returns whether the purge was accepted.
    """
    url = settings.ARCHIVE_PURGE_URL
    if not url:
        return False
    body = json.dumps(
        {"event": "withdrawal", "public_id": public_id, "paths": list(paths), "all_pages": True}
    ).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    if settings.ARCHIVE_PURGE_TOKEN:
        request.add_header("Authorization", f"Bearer {settings.ARCHIVE_PURGE_TOKEN}")
    try:
        with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS) as answer:
            accepted = 200 <= answer.status < 300
    except Exception:
        logger.error(
            "CDN purge of %s failed; its pages expire on their own", public_id, exc_info=True
        )
        return False
    if not accepted:
        logger.error("CDN purge of %s refused (%s)", public_id, answer.status)
    return accepted
