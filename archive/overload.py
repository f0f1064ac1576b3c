"""Load shedding: a short, bounded wait for a free slot, then a fast 503.

A gunicorn worker that is behind keeps accepting work into queues it cannot
see the age of, so under overload every reader waits until their client gives
up. With ``ARCHIVE_MAX_CONCURRENT_REQUESTS`` set (and a threaded worker, whose
spare threads are the waiting room), at most that many requests run at once in
the process; one that finds no slot within ``ARCHIVE_QUEUE_TIMEOUT_MS`` gets a
503 with Retry-After at once, and the ones that are served stay fast.
"""

import threading
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

BUSY_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Busy</title>"
    "<h1>The archive is busy</h1><p>Too many readers at this moment. "
    "Please try again in a few seconds.</p></html>"
)


class ConcurrencyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        limit = settings.ARCHIVE_MAX_CONCURRENT_REQUESTS
        if limit <= 0:
            raise MiddlewareNotUsed  # the default: no limit, and no cost
        self.get_response = get_response
        self.slots = threading.BoundedSemaphore(limit)
        self.wait_seconds = settings.ARCHIVE_QUEUE_TIMEOUT_MS / 1000

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.slots.acquire(timeout=self.wait_seconds):
            response = HttpResponse(BUSY_PAGE, status=503)
            response["Retry-After"] = "2"
            response["Cache-Control"] = "no-store"
            return response
        try:
            return self.get_response(request)
        finally:
            self.slots.release()
