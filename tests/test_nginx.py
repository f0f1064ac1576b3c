"""deploy/nginx.conf in front of the live test server: what a reader's request goes through.

Debian's nginx runs the repository's site file, with its ports, paths and
certificate replaced by the test's own (a throwaway self-signed one), as a child
process. Without nginx these tests are skipped, except where REQUIRE_NGINX is
set (CI installs nginx and sets it, so a missing nginx fails the build there).
"""

import gzip
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from testimonies import services
from tests.support import factories

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "localhost"

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start listening")


def site_config(*, app_port: int, dead_port: int, https: int, http: int, tmp: Path) -> str:
    """The repository's site file, pointed at this test's servers and directories."""
    text = SITE.read_text()
    replacements = {
        # A gunicorn that is down comes first: every request must still be answered.
        "    server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;\n": (
            f"    server 127.0.0.1:{dead_port} max_fails=1 fail_timeout=10s;\n"
            f"    server 127.0.0.1:{app_port} max_fails=1 fail_timeout=10s;\n"
        ),
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl;",
        "listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen [::]:80;\n": "",
        "/etc/letsencrypt/live/archive.example.org/fullchain.pem": str(tmp / "cert.pem"),
        "/etc/letsencrypt/live/archive.example.org/privkey.pem": str(tmp / "key.pem"),
        "/var/cache/nginx/archive": str(tmp / "cache"),
        "/srv/archive/staticfiles/": f"{ROOT / 'static'}/",
        "archive.example.org": HOST,
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer holds {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def nginx(live_server, tmp_path_factory):
    if not Path(NGINX).exists():
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail(f"REQUIRE_NGINX is set but nginx is missing ({NGINX})")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("nginx")
    key, cert = str(tmp / "key.pem"), str(tmp / "cert.pem")
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*openssl, "-subj", f"/CN={HOST}", "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
        timeout=60,
    )
    app_port = int(live_server.url.rsplit(":", 1)[1])
    https, http = free_port(), free_port()
    (tmp / "site.conf").write_text(
        site_config(app_port=app_port, dead_port=free_port(), https=https, http=http, tmp=tmp)
    )
    # Workers run as root only when the test does: they must write the test's own
    # directories, which nobody else may enter.
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    command = [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    try:
        wait_for_port(https, process, tmp / "error.log")
        yield {"https": https, "http": http, "tmp": tmp}
    finally:
        process.terminate()
        process.wait(timeout=20)


def fetch(nginx, path: str, *, method: str = "GET", headers: dict | None = None):
    """One request through nginx, over TLS, as a reader's browser sends it."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", nginx["https"], context=context)
    try:
        connection.request(method, path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, response.headers, body
    finally:
        connection.close()


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
    connection = http.client.HTTPConnection("127.0.0.1", nginx["http"])
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
    settings.ARCHIVE_HTTP_CACHE_SECONDS = 2
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
    errors = (nginx["tmp"] / "error.log").read_text()
    assert "Connection refused" in errors
