"""Where releases live on disk, and the lock every writer of them takes."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def releases_root() -> Path:
    root = Path(settings.ARCHIVE_RELEASES_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def release_folder(number: int) -> Path:
    return releases_root() / str(number)


def numbers_on_disk() -> set[int]:
    return {int(p.name) for p in releases_root().iterdir() if p.is_dir() and p.name.isdigit()}


@contextmanager
def writing() -> Iterator[None]:
    """Held while release files are rewritten: two withdrawals amending one release
    at once, in two processes, would otherwise each write over the other's file."""
    with open(releases_root() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
