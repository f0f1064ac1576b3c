"""Debian's nginx running the repository's site file (deploy/nginx.conf), for tests.

The site file is used as shipped, with only what names a real machine replaced:
its ports (loopback ones of the test's own), the gunicorns of ``upstream
archive``, the certificate (a throwaway self-signed one), the cache directory
and the static files' directory. nginx runs as a child process, never as the
machine's service. Without nginx the tests that need it are skipped, except
where REQUIRE_NGINX is set (CI installs nginx and sets it, so a missing nginx
fails the build there).
"""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "localhost"
UPSTREAM_LINE = "    server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;\n"


def require_nginx() -> None:
    """Skip the calling test without nginx, or fail it where CI demands nginx."""
    if not Path(NGINX).exists():
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail(f"REQUIRE_NGINX is set but nginx is missing ({NGINX})")
        pytest.skip("nginx is not installed (apt-get install nginx)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path | None = None) -> None:
    """Until something listens on ``port``; fails at once if ``process`` exits first."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text() if log and log.exists() else ""
            raise RuntimeError(f"{what} exited ({process.returncode}): {text[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start listening on {port}")


def site_config(
    *, upstreams: list[int], https: int, http: int, tmp: Path, static_root: Path
) -> str:
    """The repository's site file, pointed at this test's servers and directories."""
    text = SITE.read_text()
    replacements = {
        UPSTREAM_LINE: "".join(UPSTREAM_LINE.replace("8000", str(port), 1) for port in upstreams),
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl;",
        "listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen [::]:80;\n": "",
        "/etc/letsencrypt/live/archive.example.org/fullchain.pem": str(tmp / "cert.pem"),
        "/etc/letsencrypt/live/archive.example.org/privkey.pem": str(tmp / "key.pem"),
        "/var/cache/nginx/archive": str(tmp / "cache"),
        "/srv/archive/staticfiles/": f"{static_root}/",
        "archive.example.org": HOST,
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer holds {old!r}"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    """One nginx in front of the gunicorns listening on ``upstreams``."""

    tmp: Path
    upstreams: list[int]
    static_root: Path
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def error_log(self) -> Path:
        return self.tmp / "error.log"

    def _write_config(self) -> list[str]:
        key, cert = str(self.tmp / "key.pem"), str(self.tmp / "cert.pem")
        openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        subprocess.run(
            [*openssl, "-subj", f"/CN={HOST}", "-keyout", key, "-out", cert],
            check=True,
            capture_output=True,
            timeout=60,
        )
        site = site_config(
            upstreams=self.upstreams,
            https=self.https_port,
            http=self.http_port,
            tmp=self.tmp,
            static_root=self.static_root,
        )
        (self.tmp / "site.conf").write_text(site)
        # Workers run as root only when the test does: they must write the test's own
        # directories, which nobody else may enter.
        user = "user root;" if os.geteuid() == 0 else ""
        (self.tmp / "nginx.conf").write_text(
            f"""{user}
worker_processes 1;
pid {self.tmp}/nginx.pid;
error_log {self.error_log};
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {self.tmp}/access.log;
    client_body_temp_path {self.tmp}/body;
    proxy_temp_path {self.tmp}/proxy;
    fastcgi_temp_path {self.tmp}/fastcgi;
    uwsgi_temp_path {self.tmp}/uwsgi;
    scgi_temp_path {self.tmp}/scgi;
    include {self.tmp}/site.conf;
}}
"""
        )
        return [NGINX, "-p", str(self.tmp), "-c", str(self.tmp / "nginx.conf"), "-g", "daemon off;"]

    def start(self) -> None:
        command = self._write_config()
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        wait_for_port(self.https_port, self.process, "nginx", self.error_log)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.process = None

    def fetch(
        self, path: str, *, method: str = "GET", headers: dict | None = None, body: bytes = b""
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request through nginx, over TLS, as a reader's browser sends it."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=context, timeout=30
        )
        try:
            connection.request(
                method, path, body=body or None, headers={"Host": HOST, **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()
