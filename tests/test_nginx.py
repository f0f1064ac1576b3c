"""deploy/nginx.conf in front of the live test server: what a reader's request goes through.

Debian's nginx runs the repository's site file as a child process
(tests/support/nginx.py), skipped without nginx unless REQUIRE_NGINX is set.
"""

import gzip
import http.client
import time

import pytest

from testimonies import services
from tests.support import factories
from tests.support.nginx import HOST, ROOT, Nginx, free_port, require_nginx

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def nginx(live_server, tmp_path_factory):
    require_nginx()
    app_port = int(live_server.url.rsplit(":", 1)[1])
    # A gunicorn that is down comes first: every request must still be answered.
    server = Nginx(
        tmp_path_factory.mktemp("nginx"),
        upstreams=[free_port(), app_port],
        static_root=ROOT / "static",
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


def fetch(nginx: Nginx, path: str, *, method: str = "GET", headers: dict | None = None):
    return nginx.fetch(path, method=method, headers=headers)


def text_of(headers, body: bytes) -> str:
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


@pytest.fixture
def testimony():
    factories.restore_seed_data()
    return factories.publish_testimony(title="Night raid on the karaoke bar")


def test_html_is_compressed_and_the_app_sees_https_and_the_host(nginx, testimony, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    status, headers, body = fetch(
        nginx, testimony.get_absolute_url(), headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    page = text_of(headers, body)
    assert "Night raid on the karaoke bar" in page
    # The canonical link is built from what nginx told the app: scheme and host.
    assert f'href="https://{HOST}{testimony.get_absolute_url()}"' in page
    # Gzip made the ETag weak; the app still answers 304 to it.
    assert headers["ETag"].startswith('W/"')


def test_plain_http_is_sent_to_https(nginx):
    connection = http.client.HTTPConnection("127.0.0.1", nginx.http_port)
    connection.request("GET", "/laws/", headers={"Host": HOST})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/laws/"


def test_the_reader_s_address_reaches_the_app_without_being_forgeable(nginx, testimony, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1/minute", "export": "1/minute"},
        "NUM_PROXIES": 1,
    }
    # One proxy: the address nginx saw counts, whatever the reader wrote.
    first = fetch(nginx, "/api/laws/?a=1", headers={"X-Forwarded-For": "203.0.113.1"})
    second = fetch(nginx, "/api/laws/?a=2", headers={"X-Forwarded-For": "203.0.113.2"})
    assert (first[0], second[0]) == (200, 429)
    # Told of two proxies, the app reads the entry before nginx's: the header arrived.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 2}
    third = fetch(nginx, "/api/laws/?a=3", headers={"X-Forwarded-For": "203.0.113.3"})
    assert third[0] == 200


def test_a_rush_is_served_from_the_cache_in_the_reader_s_language(nginx, testimony):
    url = testimony.get_absolute_url() + "?rush=1"
    english = [fetch(nginx, url, headers={"Accept-Language": "en"}) for _ in range(3)]
    assert [h["X-Cache-Status"] for _, h, _ in english] == ["MISS", "HIT", "HIT"]
    status, headers, body = fetch(nginx, url, headers={"Accept-Language": "th"})
    assert status == 200
    assert headers["Content-Language"] == "th"
    assert '<html lang="th"' in text_of(headers, body)
    assert english[0][1]["Content-Language"] == "en"


def test_staff_and_the_admin_are_never_cached_or_compressed(nginx, testimony):
    url = testimony.get_absolute_url() + "?staff=1"
    fetch(nginx, url)
    _, headers, _ = fetch(nginx, url, headers={"Cookie": "sessionid=abc"})
    assert headers["X-Cache-Status"] == "BYPASS"
    for _ in range(2):
        status, headers, _ = fetch(nginx, "/admin/login/", headers={"Accept-Encoding": "gzip"})
        assert status == 200
        assert "Content-Encoding" not in headers
        assert "X-Cache-Status" not in headers


def test_a_withdrawal_leaves_the_cache_within_the_bound(nginx, testimony, settings):
    # s-maxage=2: nginx keeps the page at least two seconds, at most three.
    settings.ARCHIVE_HTTP_CACHE_SECONDS = 3
    url = testimony.get_absolute_url() + "?bound=1"
    _, made, _ = fetch(nginx, url)
    time.sleep(1.1)
    _, kept, _ = fetch(nginx, url)
    assert kept["X-Cache-Status"] == "HIT"
    # The kept copy says when it was made, so a browser's copy of it expires with it.
    assert kept["Date"] == made["Date"]
    services.withdraw(record=testimony, by=factories.make_user("Reviewer"))
    time.sleep(2.5)
    status, headers, body = fetch(nginx, url)
    assert status == 410
    assert "Night raid" not in text_of(headers, body)


def test_static_files_are_served_from_disk_compressed(nginx):
    status, headers, body = fetch(
        nginx, "/static/css/archive.css", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "public, max-age=60"
    assert "X-Cache-Status" not in headers
    assert "{" in text_of(headers, body)


def test_a_gunicorn_that_is_down_is_stepped_over(nginx, testimony):
    # The upstream list starts with a port nobody listens on (site_config).
    for n in range(4):
        status, headers, _ = fetch(nginx, f"/laws/?down={n}")
        assert status == 200, n
        assert headers["X-Cache-Status"] == "MISS"
    errors = nginx.error_log.read_text()
    assert "Connection refused" in errors
