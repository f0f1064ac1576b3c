"""/data/: the releases listed, each at its permanent address, its files streamed from disk."""

import hashlib

import pytest
from lxml import html

from releases.models import Release
from releases.services import build_release
from testimonies import services
from tests.support import factories

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


class ReleasePagesTests:
    def test_the_list_shows_each_release_with_date_counts_size_checksums_and_citation(
        self, sample, client
    ):
        release = build_release()
        response = client.get("/data/")
        assert response.status_code == 200
        page = html.fromstring(response.content)
        row = page.cssselect(".release-list tbody tr")[0]
        assert row.cssselect("a")[0].get("href") == "/data/1/"
        assert "1" in row.text_content()
        citation = page.cssselect(".release-citation")[0].text_content()
        assert "dataset release 1" in citation and "https://archive.test/data/1/" in citation
        checksums = page.cssselect(".checksums")[0].text_content()
        for record in release.files.all():
            assert record.sha256 in checksums

    def test_a_file_is_served_from_disk_with_the_recorded_checksum(
        self, sample, client, releases_dir
    ):
        release = build_release()
        for name in ("testimonies.csv", "archive.sqlite", "datapackage.json", "SHA256SUMS"):
            response = client.get(f"/data/1/{name}")
            assert response.status_code == 200, name
            content = body(response)
            assert content == (releases_dir / "1" / name).read_bytes()
            assert hashlib.sha256(content).hexdigest() == release.files.get(name=name).sha256
        assert client.get("/data/1/testimonies.csv")["Content-Type"].startswith("text/csv")

    def test_only_files_the_record_lists_are_served(self, sample, client, releases_dir):
        build_release()
        (releases_dir / "1" / "notes.txt").write_text("not part of the release")
        assert client.get("/data/1/notes.txt").status_code == 404
        assert client.get("/data/1/..%2F..%2Fsettings.py").status_code == 404
        assert client.get("/data/2/testimonies.csv").status_code == 404
        assert client.get("/data/2/").status_code == 404

    def test_an_unfinished_release_is_nowhere(self, sample, client):
        Release.objects.create(number=5, created_at="2026-01-01T00:00:00Z")
        assert client.get("/data/5/").status_code == 404
        assert "/data/5/" not in client.get("/data/").content.decode()

    def test_the_changelog_lists_added_and_corrected_ids_and_counts_withdrawn(
        self, sample, reviewer, client, django_capture_on_commit_callbacks
    ):
        first = build_release()
        kept = sample["records"]["published"]
        assert first.members.get(public_id=kept.public_id).change == "added"
        added = factories.publish_testimony()
        corrected = factories.publish_testimony()
        gone = factories.publish_testimony()
        build_release()  # release 2 holds all four
        corrected.body_source = "A corrected first paragraph."
        corrected.save()
        services.publish(record=corrected, by=reviewer, correction_note="A date was wrong.")
        with django_capture_on_commit_callbacks(execute=True):
            services.withdraw(record=gone, by=reviewer)
        newest = factories.publish_testimony()
        third = build_release()
        assert third.withdrawn_since_previous == 1
        page = html.fromstring(client.get(f"/data/{third.number}/").content)
        assert [a.text for a in page.cssselect(".added-ids a")] == [newest.public_id]
        assert [a.text for a in page.cssselect(".corrected-ids a")] == [corrected.public_id]
        text = page.text_content()
        assert "1 testimony withdrawn" in text
        assert gone.public_id not in html.tostring(page).decode()
        assert added.public_id not in [a.text for a in page.cssselect(".changed-ids a")]
        changes = body(client.get(f"/data/{third.number}/changes.csv")).decode().splitlines()
        assert changes == [
            "change,public_id",
            f"added,{newest.public_id}",
            f"corrected,{corrected.public_id}",
        ]


class MakingReleasesTests:
    def test_a_reviewer_makes_a_release_from_the_admin(self, sample, reviewer, client):
        client.force_login(reviewer)
        listing = client.get("/admin/releases/release/")
        assert b"Make a new release" in listing.content
        response = client.post("/admin/releases/release/make/", follow=True)
        assert response.status_code == 200
        release = Release.objects.get()
        assert release.created_by == reviewer and release.completed_at is not None
        assert b"Release 1 is made" in response.content

    def test_an_editor_cannot(self, sample, editor, client):
        client.force_login(editor)
        assert b"Make a new release" not in client.get("/admin/releases/release/").content
        assert client.post("/admin/releases/release/make/").status_code == 403
        assert not Release.objects.exists()

    def test_the_command_makes_a_release_with_progress(self, sample, capsys):
        from django.core.management import call_command

        call_command("release")
        captured = capsys.readouterr()
        assert "Release 1: 1 testimonies" in captured.out
        assert "Writing tables" in captured.err
        assert Release.objects.complete().count() == 1
