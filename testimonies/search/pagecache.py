"""Whole public pages remembered by address, language and index generation.

A search page over 100,000 testimonies costs tens of milliseconds to compute
and draw, and readers ask the same questions again and again: shared links,
the back button, the same facet ticked by many people. The index generation
token is part of every key, and it changes in the same transaction as
anything that can alter what search shows (publication, correction,
withdrawal, a law's name), so a remembered page is never older than what the
database holds: the first request after a change computes a new page.

Only anonymous GET and HEAD requests answered 200 are kept. A withdrawal also
empties this cache (``purge``), so the text of a withdrawn testimony is not
left sitting in memory under a key nobody will ask for again.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

from testimonies.search.index import current_generation, generation_known

logger = logging.getLogger(__name__)

PAGE_CACHE = "pages"
# Headers worth replaying; the middleware adds its own (CSP, security, Vary) again.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")


def _key(request: HttpRequest, generation: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
    return f"page:{generation}:{request.LANGUAGE_CODE}:{digest}"


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.ARCHIVE_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
    )


def cached_by_generation(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page from the page cache while the index generation is unchanged."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        generation = current_generation()
        if not generation:  # nothing published through the workflow yet
            return view(request, *args, **kwargs)
        cache = caches[PAGE_CACHE]
        key = _key(request, generation)
        try:
            kept = cache.get(key)
        except Exception:  # a shared cache that is down: compute the page, as without one
            logger.warning("Page cache unavailable; computing the page", exc_info=True)
            return view(request, *args, **kwargs)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
        else:
            with generation_known(generation):
                response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                if hasattr(response, "render"):
                    response.render()
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                try:
                    cache.set(key, (response.content, headers), settings.ARCHIVE_PAGE_CACHE_SECONDS)
                except Exception:
                    logger.warning("Page cache unavailable; page not kept", exc_info=True)
                else:
                    response["X-Page-Cache"] = "miss"
        return response

    return wrapped


def purge() -> None:
    """Forget every remembered page (after a withdrawal).

    Runs once the withdrawal has committed, so a cache that is down must not
    turn it into an error: the old pages' keys name a generation that no
    longer exists, and they expire after ARCHIVE_PAGE_CACHE_SECONDS.
    """
    try:
        caches[PAGE_CACHE].clear()
    except Exception:
        logger.error("Page cache unavailable; remembered pages expire on their own", exc_info=True)
