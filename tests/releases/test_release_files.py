"""A release checked by tools that are not ours: frictionless, sqlite3, sha256 sums."""

import csv
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Package, validate

from releases.services import build_release
from testimonies.models import RaidIncident, RightsViolation, Testimony, TestimonyClause

pytestmark = pytest.mark.django_db


def folder_of(releases_dir, release):
    return releases_dir / str(release.number)


def all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


class ReleaseFilesTests:
    def test_frictionless_validates_every_file_against_its_schema_and_keys(
        self, sample, releases_dir
    ):
        release = build_release()
        report = validate(str(folder_of(releases_dir, release) / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        package = Package(str(folder_of(releases_dir, release) / "datapackage.json"))
        names = {r.name for r in package.resources}
        for table in ("testimonies", "clause_links", "violations", "raid_incidents", "laws"):
            assert {table, f"{table}-json"} <= names
        testimonies = package.get_resource("testimonies")
        assert testimonies.schema.primary_key == ["public_id"]
        links = package.get_resource("clause_links").schema.foreign_keys
        assert {
            "fields": ["testimony_id"],
            "reference": {"resource": "testimonies", "fields": ["public_id"]},
        } in links
        licences = {lic["path"] for lic in package.licenses}
        assert licences == {
            "https://creativecommons.org/licenses/by-nc/4.0/",
            "https://creativecommons.org/licenses/by/4.0/",
        }

    def test_the_frictionless_command_finds_the_package_valid(self, sample, releases_dir):
        package = folder_of(releases_dir, build_release()) / "datapackage.json"
        command = Path(sys.executable).with_name("frictionless")
        result = subprocess.run(
            [command, "validate", "--json", package], capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout[-2000:]
        report = json.loads(result.stdout)
        assert report["valid"] and len(report["tasks"]) == 29

    def test_a_broken_key_is_caught_by_the_validator(self, sample, releases_dir):
        # The test of the test: a link to a testimony that is not in the release.
        folder = folder_of(releases_dir, build_release())
        path = folder / "clause_links.csv"
        rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
        rows[1][0] = "T-9999"
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
        report = validate(str(folder / "datapackage.json"))
        assert not report.valid

    def test_sqlite_counts_equal_the_public_archive(self, sample, releases_dir):
        folder = folder_of(releases_dir, build_release())
        database = sqlite3.connect(folder / "archive.sqlite")
        count = lambda table: database.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        assert count("testimonies") == Testimony.objects.public().count() == 1
        assert count("raid_incidents") == RaidIncident.objects.public().count() == 1
        assert (
            count("clause_links")
            == TestimonyClause.objects.filter(testimony__in=Testimony.objects.public()).count()
        )
        assert count("violations") == RightsViolation.objects.public().count() == 1
        assert count("incident_testimonies") == 1
        public_id = sample["records"]["published"].public_id
        assert database.execute("SELECT public_id FROM testimonies").fetchall() == [(public_id,)]
        assert database.execute("PRAGMA foreign_key_check").fetchall() == []
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    def test_every_checksum_holds(self, sample, releases_dir):
        release = build_release()
        folder = folder_of(releases_dir, release)
        sums = dict(
            reversed(line.split("  ", 1))
            for line in (folder / "SHA256SUMS").read_text().splitlines()
        )
        data_files = {p.name for p in folder.iterdir()} - {"SHA256SUMS"}
        assert set(sums) == data_files
        for name, digest in sums.items():
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        recorded = {f.name: f for f in release.files.all()}
        assert set(recorded) == data_files | {"SHA256SUMS"}
        for name, record in recorded.items():
            content = (folder / name).read_bytes()
            assert record.sha256 == hashlib.sha256(content).hexdigest()
            assert record.size == len(content)

    def test_only_public_records_reach_any_file(self, sample, releases_dir):
        content = all_bytes(folder_of(releases_dir, build_release()))
        assert b"Zqpublishedmark body one" in content
        for hidden in ("draft", "review", "withdrawn"):
            assert f"Zq{hidden}mark".encode() not in content

    def test_csv_and_json_hold_the_same_rows_with_permalinks(self, sample, releases_dir):
        folder = folder_of(releases_dir, build_release())
        with (folder / "testimonies.csv").open(encoding="utf-8", newline="") as stream:
            from_csv = list(csv.DictReader(stream))
        header, *rows = json.loads((folder / "testimonies.json").read_text(encoding="utf-8"))
        from_json = [dict(zip(header, row, strict=True)) for row in rows]
        public_id = sample["records"]["published"].public_id
        assert [r["public_id"] for r in from_csv] == [r["public_id"] for r in from_json]
        assert from_json[0]["permalink"] == f"https://archive.test/testimonies/{public_id}/"
        assert from_csv[0]["body"] == from_json[0]["body"]
        assert from_json[0]["is_sample"] is False and from_csv[0]["is_sample"] == "false"

    def test_citation_and_datacite_describe_the_release(self, sample, releases_dir):
        import yaml

        release = build_release()
        folder = folder_of(releases_dir, release)
        cff = yaml.safe_load((folder / "CITATION.cff").read_text(encoding="utf-8"))
        assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
        assert cff["version"] == "1" and cff["url"] == "https://archive.test/data/1/"
        datacite = json.loads((folder / "datacite.json").read_text())
        assert datacite["types"]["resourceTypeGeneral"] == "Dataset"
        assert {r["rightsUri"] for r in datacite["rightsList"]} == {
            "https://creativecommons.org/licenses/by-nc/4.0/",
            "https://creativecommons.org/licenses/by/4.0/",
        }

    def test_two_releases_of_an_unchanged_archive_hold_the_same_tables(self, sample, releases_dir):
        first, second = build_release(), build_release()
        assert (second.number, first.number) == (2, 1)
        for name in ("testimonies.csv", "clause_links.json", "laws.csv"):
            assert (folder_of(releases_dir, first) / name).read_bytes() == (
                folder_of(releases_dir, second) / name
            ).read_bytes()
