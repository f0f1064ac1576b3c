"""Public reads from a PostgreSQL replica, never older than the primary.

The last tests run the archive against a real streaming standby: a private
primary and a replica made with ``pg_basebackup`` (tests/support/pgcluster.py),
a worker process answering requests through the whole Django stack, and
publications and withdrawals written to the primary by the management commands.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from archive import replicas
from tests.support.pgcluster import primary_and_replica
from tests.support.scratch import ROOT, manage, vendor

factory = RequestFactory()


@pytest.mark.parametrize(
    ("method", "path", "cookies", "expected"),
    [
        ("GET", "/testimonies/", {}, True),
        ("HEAD", "/testimonies/T-0001/", {}, True),
        ("GET", "/laws/atipa-2008/s-29/", {"archive_language": "th"}, True),
        ("POST", "/testimonies/", {}, False),
        ("GET", "/admin/", {}, False),
        ("GET", "/admin/testimonies/testimony/", {}, False),
        ("GET", "/accounts/locked/", {}, False),
        # Anyone with a session (an editor) reads their own writes: the primary.
        ("GET", "/testimonies/", {settings.SESSION_COOKIE_NAME: "abc"}, False),
    ],
)
def test_only_anonymous_reads_may_go_to_a_replica(method, path, cookies, expected):
    request = factory.generic(method, path)
    request.COOKIES.update(cookies)
    assert replicas.may_use_replica(request) is expected


def test_the_router_writes_and_migrates_only_the_primary():
    router = replicas.ReplicaRouter()
    assert router.db_for_read(object) is None  # outside a request: the primary
    with replicas.reads_from("replica"):
        assert router.db_for_read(object) == "replica"
        assert router.db_for_write(object) == "default"
    assert router.db_for_read(object) is None
    assert router.allow_migrate("default", "testimonies") is True
    assert router.allow_migrate("replica", "testimonies") is False


def test_a_replica_of_sqlite_is_refused_at_start():
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "archive.settings.test",
            "DATABASE_URL": "sqlite:///var/never-made.sqlite3",
            "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5432/elsewhere",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in done.stderr


# --- against a real standby ------------------------------------------------------

WORKER = """
import json, sys
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
counts = {"default": 0, "replica": 0}
seen = []
def counter(alias):
    def count(execute, sql, params, many, context):
        counts[alias] += 1
        seen.append((alias, sql[:120]))
        return execute(sql, params, many, context)
    return count
# Counted as they run: wrapping a connection does not open it (the replica may be down).
connections["default"].execute_wrappers.append(counter("default"))
connections["replica"].execute_wrappers.append(counter("replica"))
for line in sys.stdin:
    path, _, session = line.strip().partition(" ")
    client = Client()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    counts.update(default=0, replica=0)
    seen.clear()
    response = client.get(path)
    body = response.content.decode() if not response.streaming else ""
    print(json.dumps({"status": response.status_code, "body": body, "seen": seen,
                      "primary": counts["default"], "replica": counts["replica"]}), flush=True)
"""


@pytest.fixture(scope="module")
def standby():
    """A primary holding the archive (migrated, fixtures loaded) and its replica."""
    if vendor() != "postgresql":
        pytest.skip("read replicas are PostgreSQL standbys; this run is on SQLite")
    # Not under pytest's own temporary directory: only its owner may enter that,
    # and the servers run as the postgres user when the tests run as root.
    directory = Path(tempfile.mkdtemp(prefix="archive-clusters-"))
    primary, replica = primary_and_replica(directory)
    try:
        primary.query("CREATE DATABASE archive")
        url = primary.url("archive")
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "load_archive")
        manage(url, "createsuperuser", "--noinput", "--username", "chief", "--email", "c@x.org")
        yield primary, replica
    finally:
        for cluster in (replica, primary):
            with contextlib.suppress(AssertionError):  # a test may have stopped it
                cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def worker(standby):
    primary, replica = standby
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", WORKER],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "archive.settings.test",
            "DATABASE_URL": primary.url("archive"),
            "DATABASE_REPLICA_URL": replica.url("archive"),
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def get(path: str, session: str = "") -> dict:
        process.stdin.write(f"{path} {session}\n")
        process.stdin.flush()
        line = process.stdout.readline()
        assert line, "the worker stopped"
        return json.loads(line)

    # Each connection's first use looks up PostgreSQL's types: not part of any page.
    get("/laws/")
    yield get
    process.kill()
    process.wait()


def _wait_for_replay(primary, replica, timeout: float = 30) -> None:
    position = primary.query("SELECT pg_current_wal_lsn()::text")[0][0]
    deadline = time.monotonic() + timeout
    while not replica.query(f"SELECT pg_last_wal_replay_lsn() >= '{position}'::pg_lsn")[0][0]:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


def _a_published_testimony(primary) -> tuple[str, str]:
    public_id, title = primary.query(
        "SELECT public_id, title FROM testimonies_testimony WHERE status = 'published' "
        "ORDER BY public_id LIMIT 1",
        "archive",
    )[0]
    return public_id, title


def test_an_anonymous_page_is_read_from_the_replica_an_editors_from_the_primary(standby, worker):
    primary, replica = standby
    _wait_for_replay(primary, replica)
    public_id, title = _a_published_testimony(primary)

    anonymous = worker(f"/testimonies/{public_id}/")
    assert anonymous["status"] == 200 and title in anonymous["body"]
    # The primary is asked only where its log stands; the page comes from the replica.
    assert anonymous["primary"] == 1, anonymous["seen"]
    assert anonymous["replica"] >= 2

    editor = worker(f"/testimonies/{public_id}/", session="an-editors-session")
    assert editor["status"] == 200
    assert editor["replica"] == 0 and editor["primary"] >= 2


def test_a_lagging_replica_never_shows_a_withdrawn_testimony(standby, worker):
    primary, replica = standby
    _wait_for_replay(primary, replica)
    public_id, _title = _a_published_testimony(primary)
    assert worker(f"/testimonies/{public_id}/")["status"] == 200

    replica.query("SELECT pg_wal_replay_pause()")
    try:
        manage(primary.url("archive"), "withdraw_testimony", public_id, "--by", "chief", "--yes")
        # The replica has not replayed the withdrawal: it still holds the text...
        stale = replica.query(
            f"SELECT status FROM testimonies_testimony WHERE public_id = '{public_id}'", "archive"
        )
        assert stale == [("published",)]
        # ...so the reader is answered from the primary: the record is gone.
        page = worker(f"/testimonies/{public_id}/")
        assert page["status"] == 410
        assert page["replica"] == 1  # only asked where it stands
        search = worker(f"/testimonies/?q={public_id}")
        assert search["status"] == 200 and f"/testimonies/{public_id}/" not in search["body"]
    finally:
        replica.query("SELECT pg_wal_replay_resume()")
    _wait_for_replay(primary, replica)
    caught_up = worker(f"/testimonies/{public_id}/")
    assert caught_up["status"] == 410
    assert caught_up["replica"] >= 2  # the replica serves again, now that it has the withdrawal


def test_a_replica_that_stops_answering_is_passed_over_for_the_primary(standby, worker):
    primary, replica = standby
    _wait_for_replay(primary, replica)
    replica.stop()
    try:
        page = worker("/testimonies/")
        assert page["status"] == 200
        # One attempt to ask the replica where it stands, which failed; the page: the primary.
        assert page["replica"] <= 1 and page["primary"] >= 2, page["seen"]
        # Passed over for a while: the next request does not try it again.
        started = time.monotonic()
        laws = worker("/laws/")
        assert laws["status"] == 200
        assert laws["replica"] == 0, laws["seen"]
        assert time.monotonic() - started < 2
    finally:
        replica.start()
