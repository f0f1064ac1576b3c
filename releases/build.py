"""Making a release: the public archive read once, written to files, described and recorded."""

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from laws.models import Law
from releases import amend, storage
from releases.files import (
    SQLITE_NAME,
    build_sqlite,
    csv_name,
    json_name,
    replace_file,
    row_digest,
    write_table,
)
from releases.metadata import (
    CITATION_NAME,
    DATACITE_NAME,
    DATAPACKAGE_NAME,
    Facts,
    citation_cff,
    datacite,
    datapackage,
)
from releases.models import Change, Release, ReleaseFile, ReleaseMember
from releases.tables import TABLES, Row, Table

type Progress = Callable[[str, int, int], None]  # (step, done, total)

MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".sqlite": "application/vnd.sqlite3",
    ".cff": "application/x-yaml; charset=utf-8",
    "": "text/plain; charset=utf-8",
}
MEMBER_BATCH = 5000


def media_type(name: str) -> str:
    return MEDIA_TYPES[Path(name).suffix]


def release_url(site_url: str, number: int) -> str:
    return site_url + reverse("releases:detail", kwargs={"number": number})


def facts_of(release: Release, *, site_url: str | None = None) -> Facts:
    site = (site_url or settings.ARCHIVE_SITE_URL).rstrip("/")
    return Facts(
        number=release.number,
        created_at=release.created_at,
        archive_name=settings.ARCHIVE_NAME,
        site_url=site,
        release_url=release_url(site, release.number),
        contact_email=settings.ARCHIVE_CONTACT_EMAIL,
        law_sources=tuple(
            (f"Official text: {name}", url)
            for name, url in Law.objects.order_by("slug").values_list("short_name", "source_url")
        ),
    )


def _reserve_number(*, by: User | None, created_at: datetime) -> Release:
    """The next number, past every release recorded or left on disk (a folder kept
    from before a restore keeps its number)."""
    for _attempt in range(5):
        recorded = Release.objects.aggregate(top=Max("number"))["top"] or 0
        number = max([recorded, *storage.numbers_on_disk()]) + 1
        try:
            with transaction.atomic():
                return Release.objects.create(number=number, created_at=created_at, created_by=by)
        except IntegrityError:
            continue  # another build took it meanwhile
    raise RuntimeError("Could not reserve a release number.")


@contextmanager
def _snapshot() -> Iterator[None]:
    """Every table read from one state of the database, so keys hold across files
    while editors keep publishing. SQLite gives a transaction one snapshot; on
    PostgreSQL that takes REPEATABLE READ, which must be asked for first."""
    outermost = not connection.in_atomic_block  # a test may already hold one open
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _write_tables(
    folder: Path, site: str, members: Path, progress: Progress | None
) -> dict[str, int]:
    counts: dict[str, int] = {}
    steps = len(TABLES) + 1  # and the SQLite file
    with open(members, "w", encoding="utf-8") as member_file, _snapshot():
        for done, table in enumerate(TABLES, start=1):
            counts[table.name] = write_table(
                folder, table, table.rows(site), on_row=_member_writer(table, member_file)
            )
            if progress:
                progress(table.name, done, steps)
    return counts


def _member_writer(table: Table, stream: IO[str]) -> Callable[[Row], None] | None:
    if table.member_column is None:
        return None
    index = table.column_names.index(table.member_column)

    def write(row: Row) -> None:
        stream.write(f"{row[index]}\t{row_digest(row)}\n")

    return write


def _record_members(release: Release, members: Path) -> None:
    batch: list[ReleaseMember] = []
    with open(members, encoding="utf-8") as stream:
        for line in stream:
            public_id, digest = line.rstrip("\n").split("\t")
            batch.append(ReleaseMember(release=release, public_id=public_id, digest=digest))
            if len(batch) >= MEMBER_BATCH:
                ReleaseMember.objects.bulk_create(batch)
                batch.clear()
    ReleaseMember.objects.bulk_create(batch)


def _mark_changes(release: Release, previous: Release | None) -> int:
    """Added and corrected since the previous release; returns how many of its
    testimonies are gone from this one (withdrawn: counted, never listed)."""
    mine = ReleaseMember.objects.filter(release=release)
    if previous is None:
        mine.update(change=Change.ADDED)
        return 0
    before = ReleaseMember.objects.filter(release=previous)
    mine.exclude(public_id__in=before.values("public_id")).update(change=Change.ADDED)
    mine.filter(
        Exists(
            before.filter(public_id=OuterRef("public_id"), withdrawn=False).exclude(
                digest=OuterRef("digest")
            )
        )
    ).update(change=Change.CORRECTED)
    return (
        before.filter(public_id__startswith="T-")
        .exclude(public_id__in=mine.values("public_id"))
        .count()
    )


def _describe(release: Release, folder: Path, site: str, previous: Release | None) -> None:
    """Write the metadata files and SHA256SUMS; record every file in the database."""
    data_names = [n for t in TABLES for n in (csv_name(t), json_name(t))] + [SQLITE_NAME]
    # Digests are filled in by describe_files below, which reads each file once.
    stats = {name: ((folder / name).stat().st_size, "") for name in data_names}
    facts = facts_of(release, site_url=site)
    previous_url = release_url(site, previous.number) if previous else None
    total = sum(size for size, _ in stats.values())
    replace_file(
        folder / DATAPACKAGE_NAME,
        (
            json.dumps(datapackage(facts, TABLES, stats), ensure_ascii=False, indent=2) + "\n"
        ).encode(),
    )
    replace_file(folder / CITATION_NAME, citation_cff(facts).encode())
    replace_file(
        folder / DATACITE_NAME,
        (
            json.dumps(datacite(facts, total_bytes=total, previous_url=previous_url), indent=2)
            + "\n"
        ).encode(),
    )
    stats = amend.describe_files(folder)
    rows = {csv_name(t): release.counts.get(t.name) for t in TABLES}
    ReleaseFile.objects.bulk_create(
        ReleaseFile(
            release=release,
            name=name,
            media_type=media_type(name),
            size=size,
            sha256=digest,
            rows=rows.get(name),
        )
        for name, (size, digest) in sorted(stats.items())
    )


def build_release(
    *,
    by: User | None = None,
    site_url: str | None = None,
    progress: Progress | None = None,
) -> Release:
    """Make the next release of the public archive and return it, complete.

    Files are written into a hidden folder and moved to the release's number
    once whole, so no one downloads a half-written release. A failure leaves
    no folder and frees the number.
    """
    site = (site_url or settings.ARCHIVE_SITE_URL).rstrip("/")
    release = _reserve_number(by=by, created_at=timezone.now())
    root = storage.releases_root()
    building = root / f".building-{release.number}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    members = root / f".members-{release.number}.tsv"
    try:
        release.counts = _write_tables(building, site, members, progress)
        build_sqlite(building, TABLES)
        if progress:
            progress(SQLITE_NAME, len(TABLES) + 1, len(TABLES) + 1)
        previous = (
            Release.objects.complete().filter(number__lt=release.number).order_by("-number").first()
        )
        with transaction.atomic():
            _record_members(release, members)
            release.withdrawn_since_previous = _mark_changes(release, previous)
            _describe(release, building, site, previous)
            release.save(update_fields=["counts", "withdrawn_since_previous"])
        with storage.writing():
            building.rename(storage.release_folder(release.number))
            release.completed_at = timezone.now()
            release.save(update_fields=["completed_at"])
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        Release.objects.filter(pk=release.pk).delete()
        raise
    finally:
        members.unlink(missing_ok=True)
    # A withdrawal committed while the tables were being read is in no file
    # yet only if it came after the snapshot: this removes it.
    amend.remove_withdrawn(releases=[release])
    release.refresh_from_db()
    return release
