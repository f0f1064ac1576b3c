"""HTTP caching that cannot leak: public pages carry validators and a short shared
lifetime; what belongs to one person, errors and withdrawn text never outlive it."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from archive import httpcache
from testimonies import services
from testimonies.models import TestimonyClause
from tests.support import factories

pytestmark = pytest.mark.django_db

BOUND = 60


def max_age(response) -> int:
    directives = response["Cache-Control"]
    return max(int(n) for n in re.findall(r"max-age=(\d+)", directives))


def assert_shared(response, seconds: int = BOUND) -> None:
    directives = response["Cache-Control"]
    assert "public" in directives, directives
    # Shared caches get a second less: nginx may keep a page a second past its s-maxage.
    assert f"max-age={seconds}" in directives and f"s-maxage={seconds - 1}" in directives
    assert "stale" not in directives  # nothing may stretch the withdrawal bound


def assert_never_cached(response) -> None:
    directives = response.get("Cache-Control", "")
    assert "public" not in directives and "s-maxage" not in directives, directives
    assert "no-store" in directives and "private" in directives, directives


@pytest.fixture
def corrected(reviewer):
    """A testimony linked to a clause, published, then corrected: versions 1 and 2."""
    clause = factories.make_clause(heading="Detention in a shelter")
    testimony = factories.make_testimony(title="First wording", body="The raid came at night.")
    TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="violated")
    testimony = factories.publish_testimony(testimony)
    testimony.title_source = "Second wording"
    testimony.save()
    return services.publish(record=testimony, by=reviewer, correction_note="Title corrected")


def public_pages(testimony) -> list[str]:
    clause = testimony.clause_links.first().clause
    return [
        testimony.get_absolute_url(),
        reverse(
            "testimonies:testimony_version",
            kwargs={"public_id": testimony.public_id, "number": 1},
        ),
        clause.law.get_absolute_url(),
        clause.get_absolute_url(),
        reverse("laws:law_list"),
        reverse("testimonies:testimony_list") + "?q=raid",
        reverse("testimonies:home"),
    ]


class PublicPageTests:
    def test_they_carry_validators_and_a_short_shared_lifetime(self, client, corrected):
        for url in public_pages(corrected):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_shared(response)
            assert response["ETag"].startswith('"'), url
            assert response["Last-Modified"].endswith(" GMT"), url
            # Shared caches keep one copy per language: the cookie and the header pick it.
            assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]

    def test_a_reader_holding_the_page_gets_304_by_etag_or_date(self, client, corrected):
        for url in public_pages(corrected):
            first = client.get(url)
            again = client.get(url, headers={"if-none-match": first["ETag"]})
            assert again.status_code == 304, url
            assert again.content == b""
            assert again["ETag"] == first["ETag"]
            assert_shared(again)
            by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
            assert by_date.status_code == 304, url
            # A proxy that gzipped the page made its ETag weak: it still matches.
            weak = client.get(url, headers={"if-none-match": f"W/{first['ETag']}"})
            assert weak.status_code == 304, url

    def test_head_is_answered_as_get(self, client, corrected):
        url = corrected.get_absolute_url()
        etag = client.get(url)["ETag"]
        head = client.head(url, headers={"if-none-match": etag})
        assert head.status_code == 304

    def test_a_stale_copy_gets_the_new_page(self, client, corrected):
        law = corrected.clause_links.first().clause.law
        url = law.get_absolute_url()
        old = client.get(url)
        law.short_name = "Renamed Act"
        law.save()
        new = client.get(url, headers={"if-none-match": old["ETag"]})
        assert new.status_code == 200
        assert "Renamed Act" in new.content.decode()
        assert new["ETag"] != old["ETag"]

    def test_the_date_stays_while_the_page_does(self, client, corrected):
        url = corrected.get_absolute_url()
        dates = {client.get(url)["Last-Modified"] for _ in range(3)}
        assert len(dates) == 1

    def test_each_language_has_its_own_etag(self, client, corrected):
        url = corrected.get_absolute_url()
        english = client.get(url, headers={"accept-language": "en"})
        thai = client.get(url, headers={"accept-language": "th"})
        assert english["ETag"] != thai["ETag"]
        crossed = client.get(
            url, headers={"accept-language": "th", "if-none-match": english["ETag"]}
        )
        assert crossed.status_code == 200

    def test_a_search_page_from_the_page_cache_is_marked_the_same(self, client, corrected):
        url = reverse("testimonies:testimony_list") + "?q=raid"
        first = client.get(url)
        second = client.get(url)
        assert second["X-Page-Cache"] == "hit"
        assert_shared(second)
        assert second["ETag"] == first["ETag"]

    def test_the_lifetime_is_a_setting(self, client, corrected, settings):
        settings.ARCHIVE_HTTP_CACHE_SECONDS = 20
        assert_shared(client.get(corrected.get_absolute_url()), seconds=20)
        settings.ARCHIVE_HTTP_CACHE_SECONDS = 0
        response = client.get(corrected.get_absolute_url())
        assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
        again = client.get(
            corrected.get_absolute_url(), headers={"if-none-match": response["ETag"]}
        )
        assert again.status_code == 304


class WithdrawalTests:
    def test_the_permalink_answers_410_to_a_cached_copy_within_the_bound(
        self, client, corrected, reviewer
    ):
        urls = public_pages(corrected)[:2]
        etags = {url: client.get(url)["ETag"] for url in urls}
        services.withdraw(record=corrected, by=reviewer)
        for url in urls:
            response = client.get(url, headers={"if-none-match": etags[url]})
            assert response.status_code == 410, url
            assert "ETag" not in response and "Last-Modified" not in response
            assert "public" in response["Cache-Control"]
            assert max_age(response) <= BOUND

    def test_pages_that_listed_it_change_their_etag(self, client, corrected, reviewer):
        search = reverse("testimonies:testimony_list") + "?q=raid"
        clause = corrected.clause_links.first().clause.get_absolute_url()
        before = {url: client.get(url)["ETag"] for url in (search, clause)}
        services.withdraw(record=corrected, by=reviewer)
        for url, etag in before.items():
            response = client.get(url, headers={"if-none-match": etag})
            assert response.status_code == 200, url
            assert "Second wording" not in response.content.decode()

    def test_a_logged_in_reader_s_tombstone_is_not_shared(self, client, corrected, reviewer):
        services.withdraw(record=corrected, by=reviewer)
        client.force_login(reviewer)
        response = client.get(corrected.get_absolute_url())
        assert response.status_code == 410
        assert_never_cached(response)


class NeverSharedTests:
    def test_a_logged_in_reader_s_pages(self, client, corrected, reviewer):
        client.force_login(reviewer)
        for url in public_pages(corrected):
            response = client.get(url)
            assert response.status_code == 200, url
            assert_never_cached(response)
            assert "ETag" not in response

    def test_the_admin(self, admin_client, corrected):
        for url in (
            reverse("admin:index"),
            reverse("admin:testimonies_testimony_changelist"),
            reverse("admin:testimonies_testimony_change", args=[corrected.pk]),
        ):
            response = admin_client.get(url)
            assert response.status_code == 200, url
            assert "public" not in response["Cache-Control"]
            assert "no-store" in response["Cache-Control"]

    def test_the_log_in_page(self, client):
        response = client.get(reverse("admin:login"))
        assert "public" not in response.get("Cache-Control", "")

    def test_a_reader_carrying_a_session_cookie(self, client, corrected):
        client.cookies["sessionid"] = "no-such-session"
        response = client.get(corrected.get_absolute_url())
        assert response.status_code == 200
        assert_never_cached(response)

    def test_responses_that_set_a_cookie(self, client, corrected):
        response = client.post(
            reverse("set_language"), {"language": "th", "next": corrected.get_absolute_url()}
        )
        assert response.status_code == 302 and response.cookies
        assert_never_cached(response)

    def test_post_to_a_public_page(self, client, corrected):
        response = client.post(corrected.get_absolute_url())
        assert_never_cached(response)

    @pytest.mark.parametrize(
        "url",
        [
            "/testimonies/T-9999/",
            "/testimonies/?year_from=banana",
            "/laws/no-such-law/",
            "/testimonies/?q=%00",
        ],
    )
    def test_error_pages(self, client, url):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert_never_cached(response)
        assert "ETag" not in response


def test_static_files_keep_their_own_long_lifetime(client, reviewer, settings):
    # Logged in or not: a stylesheet is the same for everyone, and WhiteNoise says so.
    settings.WHITENOISE_USE_FINDERS = True  # serve static/ itself, as nothing is collected
    client.force_login(reviewer)
    response = client.get("/static/css/archive.css")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


class PurgeReceiver(BaseHTTPRequestHandler):
    received: list[tuple[str, dict, str]] = []
    status = 202

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, json.loads(body), self.headers.get("Authorization", "")))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def purge_server():
    PurgeReceiver.received = []
    PurgeReceiver.status = 202
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class PurgeHookTests:
    def test_a_withdrawal_asks_the_cdn_to_forget_the_record_s_pages(
        self, settings, purge_server, corrected, reviewer, django_capture_on_commit_callbacks
    ):
        settings.ARCHIVE_PURGE_URL = f"http://127.0.0.1:{purge_server.server_port}/purge"
        settings.ARCHIVE_PURGE_TOKEN = "s3cret"
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(record=corrected, by=reviewer)
        [(path, body, authorization)] = PurgeReceiver.received
        assert path == "/purge"
        assert authorization == "Bearer s3cret"
        assert body == {
            "event": "withdrawal",
            "public_id": corrected.public_id,
            "paths": [f"/testimonies/{corrected.public_id}/"],
            "all_pages": True,
        }

    def test_nothing_is_sent_without_a_purge_address(
        self, settings, purge_server, corrected, reviewer, django_capture_on_commit_callbacks
    ):
        settings.ARCHIVE_PURGE_URL = ""
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(record=corrected, by=reviewer)
        assert PurgeReceiver.received == []

    def test_a_cdn_that_refuses_or_is_down_does_not_undo_the_withdrawal(
        self, settings, purge_server, corrected, reviewer, client, caplog
    ):
        PurgeReceiver.status = 500
        settings.ARCHIVE_PURGE_URL = f"http://127.0.0.1:{purge_server.server_port}/purge"
        assert not httpcache.request_purge(public_id="T-0001", paths=["/testimonies/T-0001/"])
        settings.ARCHIVE_PURGE_URL = "http://127.0.0.1:9/unreachable"
        assert not httpcache.request_purge(public_id="T-0001", paths=["/testimonies/T-0001/"])
        assert "CDN purge of T-0001 failed" in caplog.text
