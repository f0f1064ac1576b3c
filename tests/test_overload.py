"""Under overload a request waits a bounded time for a slot, then gets a fast 503."""

import threading
import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory

from archive import errors
from archive.middleware import ConcurrencyLimitMiddleware


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


def shed_request(settings) -> HttpResponse:
    """The answer to a request arriving while the only slot is taken."""
    settings.ARCHIVE_MAX_CONCURRENT_REQUESTS = 1
    settings.ARCHIVE_QUEUE_TIMEOUT_MS = 10
    middleware = ConcurrencyLimitMiddleware(lambda request: HttpResponse("ok"))
    assert middleware.slots.acquire(timeout=1)
    return middleware(RequestFactory().get("/testimonies/"))


def test_the_busy_answer_is_the_sites_503_page(settings):
    busy = shed_request(settings)
    assert busy.status_code == 503
    assert busy["Retry-After"] == "2"
    assert busy["Cache-Control"] == "no-store"
    page = busy.content.decode()
    assert page == render_to_string("503.html", {"busy": True, "retry_after": 2})
    assert "<title>Briefly unavailable · Testimony Archive</title>" in page
    assert "css/archive.css" in page
    # It says why: busy, not a database that cannot be reached.
    assert "too many readers" in page and "database" not in page


def test_a_503_page_that_cannot_be_rendered_falls_back_to_a_plain_one(settings, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry for 'css/archive.css'")

    monkeypatch.setattr(errors, "render_to_string", broken)
    busy = shed_request(settings)
    assert busy.status_code == 503
    assert busy["Retry-After"] == "2"
    assert busy.content.decode() == errors.FALLBACK_BUSY_PAGE


@pytest.mark.django_db
def test_with_a_limit_pages_are_served_as_usual(client, settings):
    settings.ARCHIVE_MAX_CONCURRENT_REQUESTS = 1
    assert "archive.middleware.ConcurrencyLimitMiddleware" in settings.MIDDLEWARE
    for _ in range(3):  # the slot is given back after each request
        assert client.get("/").status_code == 200
