"""Withdrawals reaching stored releases: the record's rows leave every file.

A withdrawn testimony's or raid's rows are removed, not kept with their text
blanked: a row with its id, province, year and nationality left standing
would still list the narrator in the release, and a withdrawn id listed
anywhere says who withdrew. Rows that only point at it (a translation's
original) keep their row with that cell emptied. The CSV and JSON files are
rewritten a line at a time; the SQLite file is built anew from the JSON (so
no free page keeps the old rows); checksums and the Data Package follow.
"""

import csv
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from releases import storage
from releases.files import (
    SQLITE_NAME,
    SUMS_NAME,
    build_sqlite,
    csv_name,
    json_lines,
    json_name,
    replace_file,
    sha256_of,
    write_sums,
)
from releases.metadata import DATAPACKAGE_NAME, METADATA_NAMES
from releases.models import Amendment, Release, ReleaseFile
from releases.tables import TABLES, Table
from testimonies.models import Withdrawal


@dataclass
class Patched:
    changed: bool = False
    rows: dict[str, int] = field(default_factory=dict)


def _keep(values: list, table: Table, withdrawn: set[str], empty: object) -> list | None:
    """The row without cells naming a withdrawn record, or None if it belongs to one."""
    names = table.column_names
    if any(values[names.index(c)] in withdrawn for c in table.owners):
        return None
    for column in table.references:
        if values[names.index(column)] in withdrawn:
            values = [*values]
            values[names.index(column)] = empty
    return values


def _patch_csv(path: Path, table: Table, withdrawn: set[str]) -> tuple[bool, int]:
    temporary = path.with_name(path.name + ".new")
    changed, rows = False, 0
    with (
        open(path, encoding="utf-8", newline="") as source,
        open(temporary, "w", encoding="utf-8", newline="") as target,
    ):
        reader, writer = csv.reader(source), csv.writer(target)
        writer.writerow(next(reader))
        for values in reader:
            kept = _keep(values, table, withdrawn, "")
            changed |= kept != values
            if kept is not None:
                writer.writerow(kept)
                rows += 1
    _settle(temporary, path, changed)
    return changed, rows


def _patch_json(path: Path, table: Table, withdrawn: set[str]) -> bool:
    temporary = path.with_name(path.name + ".new")
    changed = False
    lines = json_lines(path)
    with open(temporary, "w", encoding="utf-8") as target:
        target.write("[\n" + json.dumps(next(lines), ensure_ascii=False))
        for values in lines:
            kept = _keep(values, table, withdrawn, None)
            changed |= kept != values
            if kept is not None:
                target.write(",\n" + json.dumps(kept, ensure_ascii=False))
        target.write("\n]\n")
    _settle(temporary, path, changed)
    return changed


def _settle(temporary: Path, path: Path, changed: bool) -> None:
    """Put the rewritten file in place if anything left it; else keep the old bytes."""
    if changed:
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    else:
        temporary.unlink()


def patch_folder(folder: Path, withdrawn: set[str]) -> Patched:
    """Remove every row of a withdrawn record from a release's files; idempotent."""
    patched = Patched()
    for table in TABLES:
        csv_changed, rows = _patch_csv(folder / csv_name(table), table, withdrawn)
        json_changed = _patch_json(folder / json_name(table), table, withdrawn)
        patched.changed |= csv_changed or json_changed
        patched.rows[table.name] = rows
    if patched.changed:
        build_sqlite(folder, TABLES)
    return patched


def describe_files(folder: Path) -> dict[str, tuple[int, str]]:
    """Bring datapackage.json's sizes and digests and SHA256SUMS up to date with the
    files; returns every file's (bytes, sha256). Each file is read once."""
    package_path = folder / DATAPACKAGE_NAME
    package = json.loads(package_path.read_text(encoding="utf-8"))
    sums = {r["path"]: sha256_of(folder / r["path"]) for r in package["resources"]}
    for resource in package["resources"]:
        if "hash" in resource:
            resource["bytes"] = (folder / resource["path"]).stat().st_size
            resource["hash"] = "sha256:" + sums[resource["path"]]
    replace_file(package_path, (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode())
    sums |= {name: sha256_of(folder / name) for name in METADATA_NAMES}
    write_sums(folder, sums)
    sums[SUMS_NAME] = sha256_of(folder / SUMS_NAME)
    return {name: ((folder / name).stat().st_size, digest) for name, digest in sums.items()}


def withdrawn_ids() -> set[str]:
    return set(Withdrawal.objects.values_list("public_id", flat=True))


def _amend(release: Release, withdrawn: set[str]) -> bool:
    folder = storage.release_folder(release.number)
    patched = patch_folder(folder, withdrawn)
    stats = describe_files(folder)
    now = timezone.now()
    with transaction.atomic():
        files = {f.name: f for f in release.files.all()}
        for name, (size, digest) in stats.items():
            if name in files:
                files[name].size, files[name].sha256 = size, digest
                table_name = name.rsplit(".", 1)[0]
                if name.endswith(".csv") and table_name in patched.rows:
                    files[name].rows = patched.rows[table_name]
        ReleaseFile.objects.bulk_update(files.values(), ["size", "sha256", "rows"])
        gone = release.members.filter(
            withdrawn=False, public_id__in=Withdrawal.objects.values("public_id")
        )
        removed = gone.count()
        gone.update(withdrawn=True, digest="")
        release.counts = patched.rows
        if removed:
            release.amended_at = now
            Amendment.objects.create(release=release, amended_at=now, records_removed=removed)
        release.save(update_fields=["counts", "amended_at"])
    return removed > 0 or patched.changed


def remove_withdrawn(*, releases: Iterable[Release] | None = None) -> int:
    """Remove every record the withdrawal ledger names from the stored releases that
    hold it (or from ``releases``); the number of releases amended."""
    withdrawn = withdrawn_ids()
    if releases is None:
        releases = (
            Release.objects.complete()
            .filter(
                members__withdrawn=False,
                members__public_id__in=Withdrawal.objects.values("public_id"),
            )
            .distinct()
        )
    amended = 0
    with storage.writing():
        for release in list(releases):
            amended += _amend(release, withdrawn)
    return amended


def reconcile_all() -> int:
    """After a restore: every release's files checked against the whole ledger, their
    checksums read again from disk, and folders the database no longer knows
    (made after the backup was taken) cleaned as well, though no page lists them."""
    withdrawn = withdrawn_ids()
    known = Release.objects.complete()
    amended = remove_withdrawn(releases=known)
    numbers = set(known.values_list("number", flat=True))
    with storage.writing():
        for number in sorted(storage.numbers_on_disk() - numbers):
            folder = storage.release_folder(number)
            if (folder / DATAPACKAGE_NAME).exists() and (folder / SQLITE_NAME).exists():
                patch_folder(folder, withdrawn)
                describe_files(folder)
    return amended
