"""Under overload a request waits a bounded time for a slot, then gets a fast 503."""

import threading
import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory

from archive.overload import ConcurrencyLimitMiddleware


def test_off_by_default(settings):
    settings.ARCHIVE_MAX_CONCURRENT_REQUESTS = 0
    with pytest.raises(MiddlewareNotUsed):
        ConcurrencyLimitMiddleware(lambda request: HttpResponse())


def test_a_request_finding_no_slot_gets_a_fast_503_and_later_ones_are_served(settings):
    settings.ARCHIVE_MAX_CONCURRENT_REQUESTS = 1
    settings.ARCHIVE_QUEUE_TIMEOUT_MS = 100
    release, entered = threading.Event(), threading.Event()

    def view(request):
        if request.path == "/slow/":
            entered.set()
            release.wait(10)
        return HttpResponse("ok")

    middleware = ConcurrencyLimitMiddleware(view)
    factory = RequestFactory()
    slow = threading.Thread(target=middleware, args=(factory.get("/slow/"),))
    slow.start()
    try:
        assert entered.wait(10)
        started = time.monotonic()
        busy = middleware(factory.get("/"))
        waited = time.monotonic() - started
        assert busy.status_code == 503
        assert busy["Retry-After"] == "2"
        assert b"busy" in busy.content
        assert 0.09 <= waited < 2
    finally:
        release.set()
        slow.join(10)
    assert middleware(factory.get("/")).status_code == 200


@pytest.mark.django_db
def test_with_a_limit_pages_are_served_as_usual(client, settings):
    settings.ARCHIVE_MAX_CONCURRENT_REQUESTS = 1
    assert "archive.overload.ConcurrencyLimitMiddleware" in settings.MIDDLEWARE
    for _ in range(3):  # the slot is given back after each request
        assert client.get("/").status_code == 200
