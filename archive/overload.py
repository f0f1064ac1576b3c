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
from functools import cached_property

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

from archive.errors import render_unavailable_page, unavailable_response

# A shed request is told to come back this many seconds later.
RETRY_AFTER_SECONDS = 2


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
