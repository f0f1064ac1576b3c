"""Settings read from the environment, checked in a fresh process as a server starts them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Long, varied, and not the development key: what `check --deploy` accepts.
REAL_KEY = "r7Jq-2vNw9zLk4pXc8Ht1mBf6sDg3aYe0uQo5iWn-not-used-anywhere-else"
# An address at a domain not reserved for examples, as .ci/run sets.
REAL_CONTACT = "editors@thai-testimony-archive.org"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Start from this environment without what the test run or a developer's shell sets.
    environ = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DJANGO_DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DATABASE_URL",
            "ARCHIVE_CONTACT_EMAIL",
        )
        # The browser tests' live server sets this in the test process only.
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not k.startswith("PYTEST")
    }
    environ.update({"DATABASE_URL": "sqlite://:memory:", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _deploy_check(**env: str) -> subprocess.CompletedProcess:
    return _run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="archive.settings.production",
        ALLOWED_HOSTS="archive.example",
        **env,
    )


class ProductionKeyTests:
    def test_a_leftover_debug_flag_does_not_let_production_start_without_a_key(self):
        result = _deploy_check(DJANGO_DEBUG="1")
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr and "production" in result.stderr, result.stderr

    def test_production_refuses_the_development_key_even_when_it_is_set(self):
        from archive.settings.base import DEVELOPMENT_SECRET_KEY

        for debug in ("0", "1"):
            result = _deploy_check(DJANGO_DEBUG=debug, SECRET_KEY=DEVELOPMENT_SECRET_KEY)
            assert result.returncode != 0
            assert "SECRET_KEY" in result.stderr, result.stderr

    def test_production_refuses_a_missing_key(self):
        result = _deploy_check()
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr, result.stderr

    def test_a_real_long_key_passes_the_deploy_check(self):
        result = _deploy_check(SECRET_KEY=REAL_KEY, ARCHIVE_CONTACT_EMAIL=REAL_CONTACT)
        assert result.returncode == 0, result.stderr
        assert "no issues" in result.stdout

    def test_the_development_key_is_one_django_itself_calls_insecure(self):
        # So `check --deploy` warns about it under any settings module, not only ours.
        result = _run(
            "check",
            "--deploy",
            DJANGO_SETTINGS_MODULE="archive.settings.base",
            DJANGO_DEBUG="1",
        )
        assert "security.W009" in result.stderr + result.stdout, result.stderr


class ContactAddressTests:
    """The CI's own deploy check, run as CI runs it, with and without the address."""

    def test_the_placeholder_address_fails_the_deploy_check(self):
        result = _deploy_check(SECRET_KEY=REAL_KEY)
        assert result.returncode != 0
        assert "pages.E001" in result.stderr and "archive@example.org" in result.stderr
        result = _deploy_check(SECRET_KEY=REAL_KEY, ARCHIVE_CONTACT_EMAIL="")
        assert result.returncode != 0
        assert "ARCHIVE_CONTACT_EMAIL is empty" in result.stderr

    def test_a_real_address_passes_it(self):
        result = _deploy_check(SECRET_KEY=REAL_KEY, ARCHIVE_CONTACT_EMAIL=REAL_CONTACT)
        assert result.returncode == 0, result.stderr
        assert "pages.E001" not in result.stderr + result.stdout

    def test_ci_sets_a_real_address_for_its_deploy_check(self):
        ci = (ROOT / ".ci" / "run").read_text()
        assert f"ARCHIVE_CONTACT_EMAIL={REAL_CONTACT}" in ci


def _conn_max_age(**env: str) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    result = _run(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="archive.settings.base",
        DATABASE_URL="postgres://archive@127.0.0.1:5432/archive",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class PersistentConnectionTests:
    def test_the_development_server_opens_no_persistent_connections(self):
        # runserver starts a thread per request; each would keep its connection open.
        assert _conn_max_age(DJANGO_DEBUG="1") == "0"

    def test_workers_keep_their_connection_open_for_a_minute(self):
        assert _conn_max_age(SECRET_KEY=REAL_KEY) == "60"
