"""A withdrawal reaches every stored release: its bytes leave every file, the sums follow."""

import hashlib

import pytest
from frictionless import validate

from releases.models import Release
from releases.services import build_release
from testimonies import services
from testimonies.services.withdrawal import reapply_withdrawals

pytestmark = pytest.mark.django_db

MARK = b"Zqpublishedmark"


def folder_bytes(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def assert_clean(release: Release, folder) -> None:
    """No file holds the mark; every checksum, recorded and in SHA256SUMS, holds."""
    contents = folder_bytes(folder)
    for name, content in contents.items():
        assert MARK not in content, name
    sums = dict(
        reversed(line.split("  ", 1)) for line in contents["SHA256SUMS"].decode().splitlines()
    )
    for name, digest in sums.items():
        assert hashlib.sha256(contents[name]).hexdigest() == digest, name
    for record in release.files.all():
        assert record.sha256 == hashlib.sha256(contents[record.name]).hexdigest(), record.name
        assert record.size == len(contents[record.name])
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


class WithdrawalReachesReleasesTests:
    def test_withdrawing_removes_the_record_from_every_release(
        self, sample, reviewer, releases_dir, django_capture_on_commit_callbacks
    ):
        first, second = build_release(), build_release()
        testimony = sample["records"]["published"]
        for release in (first, second):
            assert MARK in (releases_dir / str(release.number) / "archive.sqlite").read_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(record=testimony, by=reviewer)
        for release in (first, second):
            release.refresh_from_db()
            folder = releases_dir / str(release.number)
            assert_clean(release, folder)
            assert release.counts["testimonies"] == 0
            assert release.counts["clause_links"] == 0
            assert release.counts["violations"] == 0
            # The raid stays, without its link to the withdrawn testimony.
            assert release.counts["raid_incidents"] == 1
            assert release.counts["incident_testimonies"] == 0
            assert release.amended_at is not None
            assert [a.records_removed for a in release.amendments.all()] == [1]
            member = release.members.get(public_id=testimony.public_id)
            assert member.withdrawn and member.digest == ""

    def test_the_release_page_says_it_was_amended_without_naming_the_record(
        self, sample, reviewer, client, django_capture_on_commit_callbacks
    ):
        build_release()
        testimony = sample["records"]["published"]
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(record=testimony, by=reviewer)
        page = client.get("/data/1/").content.decode()
        assert "Amended on" in page and "1 record was removed at its narrator" in page
        assert testimony.public_id not in page
        listing = client.get("/data/").content.decode()
        assert "amended" in listing and testimony.public_id not in listing
        changes = b"".join(client.get("/data/1/changes.csv").streaming_content).decode()
        assert testimony.public_id not in changes

    def test_a_release_made_after_a_withdrawal_counts_it_and_names_it_nowhere(
        self, sample, reviewer, releases_dir, django_capture_on_commit_callbacks
    ):
        build_release()
        testimony = sample["records"]["published"]
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(record=testimony, by=reviewer)
        second = build_release()
        assert second.withdrawn_since_previous == 1
        assert_clean(second, releases_dir / str(second.number))

    def test_reapply_withdrawals_after_a_restore_cleans_releases_the_database_forgot(
        self, sample, reviewer, releases_dir
    ):
        # As after restoring a backup taken before the withdrawal: the ledger names
        # the record, but the release files were never amended (no commit hook ran).
        release = build_release()
        folder = releases_dir / str(release.number)
        services.withdraw(record=sample["records"]["published"], by=reviewer)
        assert MARK in (folder / "testimonies.csv").read_bytes()
        # And a release folder the restored database no longer knows of.
        orphan = releases_dir / "7"
        orphan.mkdir()
        for name, content in folder_bytes(folder).items():
            (orphan / name).write_bytes(content)
        reapply_withdrawals()
        release.refresh_from_db()
        assert_clean(release, folder)
        for name, content in folder_bytes(orphan).items():
            assert MARK not in content, name
        # The next release takes a number past the folder left on disk.
        assert build_release().number == 8

    def test_withdrawing_a_raid_removes_it_and_what_hangs_on_it(
        self, sample, reviewer, releases_dir, django_capture_on_commit_callbacks
    ):
        release = build_release()
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(record=sample["incident"], by=reviewer)
        release.refresh_from_db()
        assert release.counts["raid_incidents"] == 0
        assert release.counts["incident_testimonies"] == 0
        assert release.counts["incident_clauses"] == 0
        assert release.counts["violations"] == 0
        assert release.counts["testimonies"] == 1
        content = (releases_dir / "1" / "raid_incidents.csv").read_bytes()
        assert sample["incident"].public_id.encode() not in content
        assert validate(str(releases_dir / "1" / "datapackage.json")).valid
