"""The production way to run the archive: `make serve`, its gunicorn settings, and the
settings it reads behind a proxy."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
REAL_KEY = "r7Jq-2vNw9zLk4pXc8Ht1mBf6sDg3aYe0uQo5iWn-not-used-anywhere-else"
REAL_CONTACT = "editors@thai-testimony-archive.org"
# What a developer's shell or the test run may have set, and a server would not.
DROPPED = (
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "ARCHIVE_CONTACT_EMAIL",
    "ARCHIVE_HTTP_CACHE_SECONDS",
    "ARCHIVE_STATIC_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def clean_env(**env: str) -> dict[str, str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in DROPPED and not k.startswith(("PYTEST", "GUNICORN_"))
    }
    environ.update(env)
    return environ


def printed_config(**env: str) -> dict[str, str]:
    """Gunicorn's own reading of deploy/gunicorn.conf.py, as `make serve` starts it."""
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF), "--print-config"],
        cwd=ROOT,
        # Gunicorn loads the application too: the settings need their key.
        env=clean_env(SECRET_KEY=REAL_KEY, DATABASE_URL="sqlite://:memory:", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    settings = {}
    for line in result.stdout.splitlines():
        name, _, value = line.partition("=")
        settings[name.strip()] = value.strip()
    return settings


class GunicornConfigTests:
    def test_defaults_listen_locally_with_threaded_workers(self):
        config = printed_config()
        assert config["bind"] == "['127.0.0.1:8000']"
        assert config["workers"] == "2"
        assert config["worker_class"] == "gthread"
        assert config["threads"] == "32"
        assert config["wsgi_app"] == "archive.wsgi:application"
        assert config["accesslog"] == "None"

    def test_bind_workers_and_trusted_proxies_come_from_the_environment(self):
        config = printed_config(
            GUNICORN_BIND="127.0.0.1:9101, unix:/run/archive.sock",
            GUNICORN_WORKERS="5",
            GUNICORN_THREADS="8",
            GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.2",
            GUNICORN_ACCESS_LOG="-",
        )
        assert config["bind"] == "['127.0.0.1:9101', 'unix:/run/archive.sock']"
        assert config["workers"] == "5"
        assert config["threads"] == "8"
        assert config["forwarded_allow_ips"] == "['10.0.0.2']"
        assert config["accesslog"] == "-"

    def test_each_gunicorn_on_a_machine_can_have_its_own_control_socket(self):
        assert printed_config(GUNICORN_CONTROL_SOCKET="/run/archive/b.ctl")["control_socket"] == (
            "/run/archive/b.ctl"
        )
        assert printed_config(GUNICORN_CONTROL_SOCKET="off")["control_socket_disable"] == "True"
        assert printed_config()["control_socket_disable"] == "False"

    def test_the_benchmarks_start_the_same_configuration(self):
        bench = (ROOT / "bench" / "search_bench.py").read_text()
        assert '"deploy" / "gunicorn.conf.py"' in bench
        assert not (ROOT / "bench" / "gunicorn_conf.py").exists()


def make_serve_check(tmp_path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "serve-check"],
        cwd=ROOT,
        env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


class MakeServeTests:
    def test_it_refuses_naming_every_missing_setting(self, tmp_path):
        result = make_serve_check(tmp_path, ALLOWED_HOSTS="archive.example")
        assert result.returncode != 0
        assert "set SECRET_KEY ARCHIVE_CONTACT_EMAIL in the environment" in result.stderr

    def test_it_refuses_the_development_key(self, tmp_path):
        result = make_serve_check(
            tmp_path,
            SECRET_KEY="django-insecure-development-key-only-used-when-debug-is-on",
            ALLOWED_HOSTS="archive.example",
            ARCHIVE_CONTACT_EMAIL=REAL_CONTACT,
        )
        assert result.returncode != 0
        assert "Production needs its own SECRET_KEY" in result.stderr

    def test_it_refuses_a_database_not_migrated(self, tmp_path):
        result = make_serve_check(
            tmp_path,
            SECRET_KEY=REAL_KEY,
            ALLOWED_HOSTS="archive.example",
            ARCHIVE_CONTACT_EMAIL=REAL_CONTACT,
        )
        assert result.returncode != 0
        assert "make serve-migrate" in result.stderr


def settings_value(expression: str, **env: str) -> str:
    """A setting as the production settings compute it in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print({expression})"],
        cwd=ROOT,
        env=clean_env(
            DJANGO_SETTINGS_MODULE="archive.settings.production",
            SECRET_KEY=REAL_KEY,
            DATABASE_URL="sqlite://:memory:",
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class ProxySettingsTests:
    def test_x_forwarded_proto_is_trusted_unless_turned_off(self):
        assert settings_value("settings.SECURE_PROXY_SSL_HEADER") == (
            "('HTTP_X_FORWARDED_PROTO', 'https')"
        )
        assert settings_value("settings.SECURE_PROXY_SSL_HEADER", TRUST_X_FORWARDED_PROTO="0") == (
            "None"
        )

    def test_x_forwarded_host_is_off_unless_asked_for(self):
        assert settings_value("settings.USE_X_FORWARDED_HOST") == "False"
        assert settings_value("settings.USE_X_FORWARDED_HOST", USE_X_FORWARDED_HOST="1") == "True"

    def test_the_proxies_counted_for_client_addresses(self):
        assert settings_value("settings.REST_FRAMEWORK['NUM_PROXIES']", API_NUM_PROXIES="1") == "1"

    def test_the_cache_lifetime_is_bounded(self):
        assert settings_value("settings.ARCHIVE_HTTP_CACHE_SECONDS") == "60"
        with pytest.raises(AssertionError, match="from 0 to 300 seconds"):
            settings_value("settings.ARCHIVE_HTTP_CACHE_SECONDS", ARCHIVE_HTTP_CACHE_SECONDS="3600")

    def test_the_static_files_go_where_the_environment_says(self):
        assert settings_value("settings.STATIC_ROOT") == str(ROOT / "staticfiles")
        assert settings_value("settings.STATIC_ROOT", ARCHIVE_STATIC_ROOT="/srv/static") == (
            "/srv/static"
        )


class WarmStartTests:
    """Each worker answers a search itself before it takes a reader's request, so the
    first reader does not pay for what a first search loads (see deploy/gunicorn.conf.py)."""

    def test_each_worker_searches_before_its_first_reader(self, scratch_databases, tmp_path):
        from tests.support.nginx import free_port

        port = free_port()
        log = tmp_path / "gunicorn.log"
        env = clean_env(
            # The test settings serve static files without a collected manifest.
            DJANGO_SETTINGS_MODULE="archive.settings.test",
            SECRET_KEY=REAL_KEY,
            DATABASE_URL=scratch_databases.new(),
            ALLOWED_HOSTS="archive.example,127.0.0.1",
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS="2",
            GUNICORN_ACCESS_LOG="-",
            GUNICORN_CONTROL_SOCKET="off",
        )
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            # Nothing is sent until both workers said they had searched.
            deadline = time.monotonic() + 240
            while log.read_text().count("warm-up search answered") < 2:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            text = log.read_text()
            assert text.count("warm-up search answered 200 OK") == 2, text
            assert len(re.findall(r"facet data for [1-9]\d* testimonies built", text)) == 2, text
            # Not through gunicorn: its access log has no request yet.
            assert '"GET /' not in text
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/testimonies/?q=police") as r:
                assert r.status == 200
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
