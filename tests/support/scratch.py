"""Throwaway databases beside the test database, for tests that need other processes.

Backups, restores, files on disk and caches held by another worker can only
be checked with a real database file or server that several processes open.
Each scratch database is a copy of one template (migrated, the archive's
fixtures loaded) made once per test session, on the backend under test: a
file for SQLite, a database created ``TEMPLATE`` for PostgreSQL. All are
dropped at the end.
"""

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
_numbers = itertools.count(1)


def vendor() -> str:
    return settings.DATABASE_VENDOR


def manage(
    database_url: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    """Run ``manage.py`` in a new process against ``database_url``; fails loudly."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "archive.settings.test",
            **(env or {}),
        },
        input=stdin,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


class ScratchDatabases:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.created: list[str] = []
        self.template = ""

    # --- PostgreSQL: names beside the configured database, same server ---
    def _pg_config(self) -> dict:
        return dj_database_url.parse(os.environ["DATABASE_URL"])

    def _pg_url(self, name: str) -> str:
        config = self._pg_config()
        password = f":{quote(config['PASSWORD'])}" if config.get("PASSWORD") else ""
        host = config.get("HOST") or "127.0.0.1"
        port = config.get("PORT") or 5432
        return f"postgres://{quote(config['USER'])}{password}@{host}:{port}/{name}"

    def _pg_admin(self, statement: str) -> None:
        import psycopg

        config = self._pg_config()
        with psycopg.connect(
            host=config.get("HOST") or "127.0.0.1",
            port=config.get("PORT") or 5432,
            user=config["USER"],
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(statement)

    def _new_name(self) -> str:
        return f"{self._pg_config()['NAME']}_scratch_{os.getpid()}_{next(_numbers)}"

    def build_template(self) -> None:
        """Migrate once and load the fixtures; every scratch database starts as a copy."""
        if vendor() == "sqlite":
            path = self.directory / "template.sqlite3"
            self.template = str(path)
            url = f"sqlite:///{path}"
        else:
            self.template = self._new_name()
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self.template}"')
            self._pg_admin(f'CREATE DATABASE "{self.template}"')
            self.created.append(self.template)
            url = self._pg_url(self.template)
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "load_archive")
        manage(url, "createsuperuser", "--noinput", "--username", "chief", "--email", "c@x.org")

    def template_url(self) -> str:
        """The URL of the template itself (read it, never write it)."""
        if vendor() == "sqlite":
            return f"sqlite:///{self.template}"
        return self._pg_url(self.template)

    def new(self, *, empty: bool = False) -> str:
        """The URL of a new database: a copy of the template, or empty (nothing at all)."""
        number = next(_numbers)
        if vendor() == "sqlite":
            path = self.directory / f"scratch-{number}.sqlite3"
            if not empty:
                shutil.copyfile(self.template, path)
            return f"sqlite:///{path}"
        name = self._new_name()
        template = "" if empty else f' TEMPLATE "{self.template}"'
        self._pg_admin(f'CREATE DATABASE "{name}"{template}')
        self.created.append(name)
        return self._pg_url(name)

    def path_of(self, url: str) -> Path:
        """The file of a SQLite scratch database."""
        return Path(dj_database_url.parse(url)["NAME"])

    def drop_all(self) -> None:
        for name in reversed(self.created):
            self._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()
