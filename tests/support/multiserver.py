"""The archive as deployed on several app servers, all on loopback, for tests.

``running_topology`` starts what README's "Several app servers" describes:

- a PostgreSQL primary and a streaming replica (tests/support/pgcluster.py),
  migrated, the archive loaded, a reviewer with an authenticator;
- two gunicorn app servers, A and B, each ``python -m gunicorn --config
  deploy/gunicorn.conf.py`` with the production settings, on ports of their own,
  both reading the replica and writing the primary;
- Redis for the shared caches: two database numbers of the machine's Redis kept
  for these tests (the page cache empties its whole database on a withdrawal,
  so it must be one nobody else uses), emptied before and after;
- Debian's nginx with deploy/nginx.conf (proxy cache on), both servers in its
  ``upstream archive`` (tests/support/nginx.py).

Everything is stopped, and the clusters' directory removed, however the block
ends. The app servers run the production settings, changed only where a test
needs it: ``ARCHIVE_HTTP_CACHE_SECONDS=4`` (the withdrawal bound, so a test can
wait it out), small rate and lockout limits, and a longer wait for a busy
worker's slot.
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import redis
from django_otp.oath import totp

from tests.support.nginx import HOST, Nginx, free_port, wait_for_port
from tests.support.pgcluster import Cluster, primary_and_replica
from tests.support.scratch import ROOT, manage

REDIS_HOST = os.environ.get("ARCHIVE_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("ARCHIVE_TEST_REDIS_PORT", "6379"))
# Database numbers of these tests' own (the page cache tests use 13, the benchmarks 1).
CACHE_DB, PAGE_CACHE_DB = 14, 15
HTTP_CACHE_SECONDS = 4
API_RATE = 4  # a minute
AXES_FAILURE_LIMIT = 3
REVIEWER = "reviewer"
REVIEWER_PASSWORD = "an-editors-long-password-" + secrets.token_hex(8)
# What a developer's shell or the test run may have set, and a server would not.
DROPPED_PREFIXES = ("PYTEST", "GUNICORN_", "DJANGO_", "ARCHIVE_", "DATABASE_", "API_", "AXES_")
DROPPED = ("SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")

Response = tuple[int, http.client.HTTPMessage, bytes]
Transport = Callable[[str, str, dict[str, str], bytes], Response]

SEED = """
import json
from django.contrib.auth.models import Group, User
from testimonies import services
from tests.support import factories

reviewer = User.objects.create_user(%(reviewer)r, password=%(password)r, is_staff=True)
reviewer.groups.add(Group.objects.get(name="Reviewer"))
device = factories.make_totp_device(reviewer)
drafts = {}
for name, title in %(drafts)r.items():
    draft = factories.make_testimony(title=title, body=title + ". Told for the test.")
    factories.make_consent(draft)
    drafts[name] = services.send_to_review(record=draft, by=reviewer).pk
published = {}
for name, title in %(published)r.items():
    published[name] = factories.publish_testimony(title=title).public_id
seeded = {"key": device.key, "device": device.persistent_id}
print(json.dumps({**seeded, "drafts": drafts, "published": published}))
"""


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_db(number: int) -> redis.Redis:
    return redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)


def direct(port: int) -> Transport:
    """Requests straight to one gunicorn, as nginx sends them (HTTPS said in a header)."""

    def send(method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(
                method,
                path,
                body=body or None,
                headers={
                    "Host": HOST,
                    "X-Forwarded-Proto": "https",
                    "X-Forwarded-For": "198.51.100.1",
                    **headers,
                },
            )
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    return send


def through(nginx: Nginx) -> Transport:
    def send(method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        return nginx.fetch(path, method=method, headers=headers, body=body)

    return send


@dataclass
class Browser:
    """A person's browser for the admin: keeps cookies, sends the CSRF token."""

    cookies: dict[str, str] = field(default_factory=dict)
    # Sent with every request, e.g. the X-Forwarded-For of a reader's own address.
    headers: dict[str, str] = field(default_factory=dict)

    def send(
        self,
        transport: Transport,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = b""
        if form is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent.setdefault("Origin", f"https://{HOST}")
            sent.setdefault("Referer", f"https://{HOST}{path}")
            body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form})
            body = body.encode()
        status, answered, content = transport(method, path, sent, body)
        for cookie in answered.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, answered, content

    def log_in(
        self,
        transport: Transport,
        *,
        username: str,
        password: str,
        device: str = "",
        code: str = "",
    ) -> Response:
        self.send(transport, "GET", "/admin/login/")
        form = {
            "username": username,
            "password": password,
            "otp_device": device,
            "otp_token": code,
            "next": "/admin/",
        }
        return self.send(transport, "POST", "/admin/login/", form=form)

    def workflow_action(self, transport: Transport, action: str, pk: int) -> Response:
        """The admin's changelist action, confirmed as the reviewer confirms it."""
        form = {
            "action": action,
            "_selected_action": str(pk),
            "index": "0",
            "confirm_publication": "yes",
            "confirm_withdrawal": "yes",
        }
        return self.send(transport, "POST", "/admin/testimonies/testimony/", form=form)


@dataclass
class AppServer:
    """One gunicorn (deploy/gunicorn.conf.py) with the production settings."""

    name: str
    env: dict[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
                cwd=ROOT,
                env={
                    **self.env,
                    "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                    # Two on one machine: each needs a control socket of its own.
                    "GUNICORN_CONTROL_SOCKET": str(self.log.with_suffix(".ctl")),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group: the master and its workers are stopped together.
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        assert self.process is not None
        wait_for_port(self.port, self.process, f"gunicorn {self.name}", self.log)
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/laws/")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {self.name} never served: {self.log.read_text()}")
            time.sleep(0.2)

    def warm(self) -> None:
        """Searches in each worker before a test measures anything.

        gunicorn's start-up hook (``deploy/gunicorn.conf.py``) already answers one
        search per worker; these also open each thread's database connection and
        look up the words the tests ask for. Asked at once, so that both workers
        take some."""
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda n: self.get(f"/testimonies/?q=raid&warm={n}"), range(16)))

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return direct(self.port)("GET", path, headers or {}, b"")

    def stop(self, *, timeout: float = 20) -> None:
        """A graceful stop (SIGTERM, as systemd sends): requests in flight are finished."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self.process = None

    def requests_served(self) -> int:
        """Requests in its access log so far."""
        return len(re.findall(r'"(?:GET|HEAD|POST) /', self.log.read_text()))


@dataclass
class Topology:
    primary: Cluster
    replica: Cluster
    servers: dict[str, AppServer]
    nginx: Nginx
    totp_key: str
    totp_device: str
    drafts: dict[str, int]
    published: dict[str, str]
    directory: Path

    @property
    def a(self) -> AppServer:
        return self.servers["A"]

    @property
    def b(self) -> AppServer:
        return self.servers["B"]

    def primary_query(self, sql: str) -> list[tuple]:
        return self.primary.query(sql, "archive")

    def replica_query(self, sql: str) -> list[tuple]:
        return self.replica.query(sql, "archive")

    def wait_for_replay(self, timeout: float = 30) -> None:
        position = self.primary.query("SELECT pg_current_wal_lsn()::text")[0][0]
        deadline = time.monotonic() + timeout
        check = f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn"
        while not self.replica.query(check)[0][0]:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)

    def one_time_code(self) -> str:
        return f"{totp(bytes.fromhex(self.totp_key)):06d}"


def _server_env(directory: Path, primary: Cluster, replica: Cluster) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in DROPPED and not name.startswith(DROPPED_PREFIXES)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="archive.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=primary.url("archive"),
        DATABASE_REPLICA_URL=replica.url("archive"),
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        ARCHIVE_CONTACT_EMAIL="editors@thai-testimony-archive.org",
        ARCHIVE_SITE_URL=f"https://{HOST}",
        API_NUM_PROXIES="1",
        ARCHIVE_CACHE_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{CACHE_DB}",
        ARCHIVE_PAGE_CACHE_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{PAGE_CACHE_DB}",
        ARCHIVE_HTTP_CACHE_SECONDS=str(HTTP_CACHE_SECONDS),
        API_RATE_LIMIT=f"{API_RATE}/minute",
        AXES_FAILURE_LIMIT=str(AXES_FAILURE_LIMIT),
        ARCHIVE_WITHDRAWAL_LEDGER=str(directory / "withdrawals.jsonl"),
        ARCHIVE_RELEASES_DIR=str(directory / "releases"),
        ARCHIVE_BACKUP_DIR=str(directory / "backups"),
        ARCHIVE_STATIC_ROOT=str(directory / "static"),
        # A busy worker answers 503 after 250 ms (deploy/gunicorn.conf.py); the machine
        # running the tests is shared, and shedding is tested in tests/test_overload.py.
        ARCHIVE_QUEUE_TIMEOUT_MS="5000",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="8",
        GUNICORN_ACCESS_LOG="-",
    )
    return env


def _copy_database(source_url: str, primary: Cluster) -> None:
    """The archive from ``source_url`` (migrated, loaded) into the primary: seconds, where
    migrating a new database takes ten or more."""
    dump = subprocess.run(
        [primary.bin / "pg_dump", "--format=custom", "--no-owner", "--dbname", source_url],
        capture_output=True,
        timeout=300,
        check=True,
    )
    subprocess.run(
        [primary.bin / "pg_restore", "--no-owner", "--dbname", primary.url("archive")],
        input=dump.stdout,
        capture_output=True,
        timeout=300,
        check=True,
    )


def _prepare_database(
    primary: Cluster, template_url: str | None, env: dict[str, str], seed: dict
) -> dict:
    primary.query("CREATE DATABASE archive")
    url = primary.url("archive")
    if template_url:
        _copy_database(template_url, primary)
    else:
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "load_archive")
    # With the servers' own settings: their password hashers must read the reviewer's.
    seeded = manage(url, "shell", "-v", "0", "-c", SEED % seed, env=env)
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def _flush_redis() -> None:
    for number in (CACHE_DB, PAGE_CACHE_DB):
        redis_db(number).flushdb()


@contextlib.contextmanager
def running_topology(
    *, drafts: dict[str, str], published: dict[str, str], template_url: str | None = None
) -> Iterator[Topology]:
    """Start everything; ``drafts`` (name: title) wait in review, ``published`` are public.

    ``template_url``: a database of the machine's server to copy the archive from
    (the tests' scratch template), instead of migrating a new one.
    """
    # Not under pytest's own temporary directory: only its owner may enter that,
    # and the database servers run as the postgres user when the tests run as root.
    directory = Path(tempfile.mkdtemp(prefix="archive-multi-server-"))
    clusters = Path(tempfile.mkdtemp(prefix="archive-multi-server-clusters-"))
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, directory, ignore_errors=True)
        stack.callback(shutil.rmtree, clusters, ignore_errors=True)
        stack.callback(_flush_redis)
        _flush_redis()
        primary, replica = primary_and_replica(clusters)
        for cluster in (primary, replica):
            stack.callback(_stop_quietly, cluster)
        env = _server_env(directory, primary, replica)
        # Collected while the database is prepared: neither waits for the other.
        collecting = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        stack.callback(_reap, collecting)
        seeded = _prepare_database(
            primary,
            template_url,
            env,
            {
                "reviewer": REVIEWER,
                "password": REVIEWER_PASSWORD,
                "drafts": drafts,
                "published": published,
            },
        )
        _, errors = collecting.communicate(timeout=300)
        assert collecting.returncode == 0, errors.decode()
        servers = {
            name: AppServer(name, env, directory / f"gunicorn-{name}.log") for name in ("A", "B")
        }
        stack.callback(_stop_together, list(servers.values()))
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_ready()
            server.warm()
        (directory / "nginx").mkdir()
        nginx = Nginx(
            directory / "nginx",
            upstreams=[server.port for server in servers.values()],
            static_root=directory / "static",
        )
        stack.callback(nginx.stop)
        nginx.start()
        yield Topology(
            primary=primary,
            replica=replica,
            servers=servers,
            nginx=nginx,
            totp_key=seeded["key"],
            totp_device=seeded["device"],
            drafts=seeded["drafts"],
            published=seeded["published"],
            directory=directory,
        )


def _stop_together(servers: list[AppServer]) -> None:
    """Each one's graceful stop at once: a stop may wait for its requests to finish."""
    stopping = [threading.Thread(target=server.stop) for server in servers]
    for thread in stopping:
        thread.start()
    for thread in stopping:
        thread.join()


def _reap(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=20)


def _stop_quietly(cluster: Cluster) -> None:
    with contextlib.suppress(AssertionError):  # already stopped
        cluster.stop()
