"""The database as files: consistent backups, restores, and what lingers on disk.

SQLite is copied with its online backup API, PostgreSQL with ``pg_dump -Fc``
and ``pg_restore``; both give a consistent copy while the site keeps serving.
A content digest (one hash per table) lets a restore be checked against the
database it came from.
"""

import hashlib
import os
import re
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from django.apps import apps
from django.conf import settings
from django.db import connection

Progress = Callable[[int, int], None]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Tables whose content a digest compares: the curated data, not bookkeeping.
DIGEST_APPS = ("laws", "testimonies", "pages")
# Rows that differ between two faithful copies: history (its own timestamps),
# the cache token (random by design), the log of changes that renewed it, and
# the time of the last save.
DIGEST_SKIPPED_MODELS = {"indexgeneration", "facetchange"}
DIGEST_SKIPPED_FIELDS = {"updated_at"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def vendor() -> str:
    return connection.vendor


def flush_write_ahead_log() -> None:
    """Empty SQLite's write-ahead log into the database file and truncate it.

    The log keeps old page images (with the text they held) until it is
    reused; after a withdrawal they should not wait for that. Another reader
    can make the checkpoint partial; it is then completed by a later one.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def default_backup_path() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if vendor() == "sqlite" else "pgdump"
    return Path(settings.ARCHIVE_BACKUP_DIR) / f"archive-{stamp}.{suffix}"


def backup(target: Path, *, progress: Progress | None = None) -> Path:
    """Write a consistent copy of the database to ``target`` (written whole, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if vendor() == "sqlite":
        _sqlite_backup(partial, progress)
    else:
        _pg_dump(partial, progress)
    partial.replace(target)
    return target


def restore(source: Path, *, progress: Progress | None = None) -> None:
    """Replace the configured database's content with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    with source.open("rb") as handle:
        head = handle.read(16)
    if vendor() == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{source} is not a SQLite backup.")
        _sqlite_restore(source, progress)
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump custom-format backup.")
        _pg_restore(source, progress)


def _sqlite_path() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection, progress) -> None:
    # A read transaction held on the source for the whole copy: the backup
    # then copies that one snapshot, in steps, however much the site writes
    # meanwhile (without it, every write by another connection restarts it).
    source.execute("BEGIN")
    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        source.backup(
            target,
            pages=1024,
            progress=(lambda _status, left, total: progress(total - left, total))
            if progress
            else None,
        )
    finally:
        source.execute("COMMIT")


def _sqlite_backup(target: Path, progress: Progress | None) -> None:
    source = sqlite3.connect(_sqlite_path(), isolation_level=None)
    copy = sqlite3.connect(target)
    try:
        _sqlite_copy(source, copy, progress)
    finally:
        copy.close()
        source.close()


def _sqlite_restore(source_path: Path, progress: Progress | None) -> None:
    connection.close()
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, isolation_level=None)
    target = sqlite3.connect(_sqlite_path(), timeout=30)
    try:
        _sqlite_copy(source, target, progress)
    finally:
        target.close()
        source.close()


def _pg_env() -> dict[str, str]:
    """libpq's variables for the configured database; keeps the password off the command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    libpq: list[tuple[str, Literal["HOST", "PORT", "USER", "PASSWORD", "NAME"]]] = [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]
    for key, name in libpq:
        if db.get(name):
            env[key] = str(db[name])
    return env


def _run_with_progress(command: list[str], marker: re.Pattern, total: int, progress) -> None:
    """Run a pg tool in verbose mode; each stderr line matching ``marker`` is one step done."""
    done, log = 0, []
    with subprocess.Popen(
        command, env=_pg_env(), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            log.append(line)
            if marker.search(line):
                done += 1
                if progress:
                    progress(min(done, total), total)
    if process.returncode:
        errors = [line.strip() for line in log if "error" in line.lower()] or log[-5:]
        raise BackupError(f"{command[0]} failed: " + " ".join(errors)[-2000:])
    if progress:
        progress(total, total)


def _pg_dump(target: Path, progress: Progress | None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
        )
        total = cursor.fetchone()[0]
    _run_with_progress(
        ["pg_dump", "--format=custom", "--no-owner", "--verbose", f"--file={target}"],
        re.compile(r"dumping contents of table"),
        total,
        progress,
    )


def _pg_restore(source: Path, progress: Progress | None) -> None:
    listing = subprocess.run(
        ["pg_restore", "--list", str(source)], capture_output=True, text=True, check=True
    ).stdout
    total = sum(1 for line in listing.splitlines() if " TABLE DATA " in line)
    connection.close()
    _run_with_progress(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--verbose",
            f"--dbname={settings.DATABASES['default']['NAME']}",
            str(source),
        ],
        re.compile(r"processing data for table"),
        total,
        progress,
    )


def _plain(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(value)


def content_digest() -> dict[str, str]:
    """One SHA-256 per content table, over every row in primary-key order.

    Two databases with the same curated content give the same digests on the
    same vendor, whatever their history tables or cache tokens say.
    """
    digests = {}
    for label in DIGEST_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            name = model._meta.model_name
            assert name is not None  # set on every model class
            if name.startswith("historical") or name in DIGEST_SKIPPED_MODELS:
                continue
            columns = [
                field.attname
                for field in model._meta.concrete_fields
                if field.name not in DIGEST_SKIPPED_FIELDS
            ]
            digest = hashlib.sha256()
            for row in model._base_manager.order_by("pk").values_list(*columns).iterator():
                digest.update("\x1f".join(_plain(value) for value in row).encode())
                digest.update(b"\x1e")
            digests[model._meta.db_table] = digest.hexdigest()
    return digests
