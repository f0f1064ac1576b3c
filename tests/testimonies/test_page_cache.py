"""The search page is remembered per address, language and index generation.

A remembered page must never be older than the published archive: every
change to what search shows is seen by the very next request.
"""

import socket

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testimonies import services
from testimonies.search import pagecache
from tests.support.factories import make_user, publish_testimony

SEARCH = reverse("testimonies:testimony_list")

pytestmark = pytest.mark.django_db


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["memory", "redis"])
def page_cache(request, settings):
    """The page cache as each process keeps it, and as workers share it in Redis."""
    if request.param == "redis":
        if not _redis_reachable():
            pytest.skip("no Redis server on 127.0.0.1:6379")
        settings.CACHES = {
            **django_settings.CACHES,
            # A database of its own, emptied before and after the test.
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/13",
            },
        }
    cache = caches[pagecache.PAGE_CACHE]
    cache.clear()
    yield cache
    cache.clear()


def test_the_second_request_is_served_from_the_cache(client, page_cache):
    publish_testimony(title="Shelter in Chiang Mai")
    first = client.get(SEARCH, {"q": "shelter"})
    second = client.get(SEARCH, {"q": "shelter"})
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "<mark>Shelter</mark> in Chiang Mai" in second.content.decode()
    # Replayed pages keep the headers the site sets on every page.
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second


def test_a_page_computed_for_the_cache_reads_the_generation_once(client, page_cache):
    publish_testimony(title="Shelter in Chiang Mai")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(SEARCH, {"q": "shelter"})
    assert page["X-Page-Cache"] == "miss"
    reads = [query for query in queries if "testimonies_indexgeneration" in query["sql"]]
    assert len(reads) == 1


def test_another_address_is_another_page(client, page_cache):
    publish_testimony(title="Shelter in Chiang Mai")
    client.get(SEARCH, {"q": "shelter"})
    other = client.get(SEARCH, {"q": "wages"})
    assert other["X-Page-Cache"] == "miss"
    assert "Shelter in Chiang Mai" not in other.content.decode()


def test_a_publication_is_seen_by_the_next_request(client, page_cache):
    publish_testimony(title="First account of a raid")
    assert "First account" in client.get(SEARCH, {"q": "raid"}).content.decode()
    publish_testimony(title="Second account of a raid")
    page = client.get(SEARCH, {"q": "raid"})
    assert page["X-Page-Cache"] == "miss"
    assert "Second account" in page.content.decode()


def test_a_withdrawal_empties_the_cache_and_the_page_forgets_the_record(
    client, page_cache, django_capture_on_commit_callbacks
):
    publish_testimony(title="Kept account of the shelter")
    withdrawn = publish_testimony(title="Withdrawn account of the shelter")
    assert "Withdrawn account" in client.get(SEARCH, {"q": "shelter"}).content.decode()
    client.get(SEARCH)
    assert not _cache_is_empty(page_cache)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(record=withdrawn, by=make_user("Reviewer"))
    # Nothing of the old pages is kept anywhere, reachable or not.
    assert _cache_is_empty(page_cache)
    page = client.get(SEARCH, {"q": "shelter"}).content.decode()
    assert "Withdrawn account" not in page
    assert "Kept account of the <mark>shelter</mark>" in page


def _cache_is_empty(cache) -> bool:
    if isinstance(cache, LocMemCache):
        return not cache._cache
    return cache._cache.get_client().dbsize() == 0  # Redis: the page cache's own database


def test_each_language_has_its_own_page(client, page_cache):
    publish_testimony(title="Shelter in Chiang Mai")
    english = client.get(SEARCH, {"q": "shelter"})
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "th"
    thai = client.get(SEARCH, {"q": "shelter"})
    assert thai["X-Page-Cache"] == "miss"
    assert thai["Content-Language"] == "th"
    assert english["Content-Language"] == "en"
    assert thai.content != english.content
    # Shared HTTP caches are told the language depends on the cookie and the header.
    vary = {part.strip() for part in thai["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary


def test_staff_pages_are_not_cached(client, page_cache):
    publish_testimony(title="Shelter in Chiang Mai")
    client.force_login(make_user("Editor"))
    response = client.get(SEARCH, {"q": "shelter"})
    assert "X-Page-Cache" not in response
    assert _cache_is_empty(page_cache)


def test_error_pages_are_not_cached(client, page_cache):
    publish_testimony(title="Shelter in Chiang Mai")
    for _ in range(2):
        response = client.get(SEARCH, {"page": "99999999"})
        assert response.status_code == 400
    assert _cache_is_empty(page_cache)


def test_zero_seconds_turns_the_cache_off(client, page_cache, settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    publish_testimony(title="Shelter in Chiang Mai")
    client.get(SEARCH, {"q": "shelter"})
    assert "X-Page-Cache" not in client.get(SEARCH, {"q": "shelter"})
    assert _cache_is_empty(page_cache)


def test_a_page_cache_that_is_down_leaves_the_archive_answering(
    client, settings, django_capture_on_commit_callbacks
):
    """Redis unreachable (nothing listens on port 1): pages are computed, withdrawals go on."""
    settings.CACHES = {
        **django_settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    testimony = publish_testimony(title="Shelter in Chiang Mai")
    response = client.get(SEARCH, {"q": "shelter"})
    assert response.status_code == 200
    assert "<mark>Shelter</mark> in Chiang Mai" in response.content.decode()
    assert "X-Page-Cache" not in response
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(record=testimony, by=make_user("Reviewer"))
    assert "in Chiang Mai" not in client.get(SEARCH, {"q": "shelter"}).content.decode()
