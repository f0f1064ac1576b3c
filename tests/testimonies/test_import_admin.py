"""The admin's bulk import over HTTP: upload, preview, confirm; drafts only; all or nothing."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.urls import reverse
from django.utils import translation

from laws.models import Clause
from testimonies import services
from testimonies.models import RightsViolation, Status, Testimony, TestimonyClause
from tests.support import factories, import_files

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:testimonies_testimony_import")
CONFIRM_URL = reverse("admin:testimonies_testimony_process_import")


@pytest.fixture
def vocabulary(db):
    return import_files.make_vocabulary()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def format_index(response, label: str) -> str:
    """The value of the format option (CSV, XLSX) in the upload form."""
    match = re.search(rf'<option value="(\d+)"[^>]*>{label}</option>', response.text)
    assert match, f"no {label} option"
    return match.group(1)


def upload(client, path, label: str = "csv"):
    form = client.get(IMPORT_URL)
    assert form.status_code == 200
    with path.open("rb") as handle:
        return client.post(
            IMPORT_URL,
            {"format": format_index(form, label), "import_file": handle, "resource": "0"},
        )


@pytest.fixture
def seed_data(transactional_db):
    """The groups and vocabularies, which a transactional test before this one may
    have flushed away with everything else."""
    factories.restore_seed_data()


def post_confirmation(client, preview):
    confirm_form = preview.context["confirm_form"]
    data = {name: confirm_form[name].value() for name in confirm_form.fields}
    return client.post(CONFIRM_URL, data)


def confirm(client, preview, *, language_while_streaming: str | None = None):
    """Post the confirmation and read the streamed page to its end, as a browser would
    (the import runs while the page streams); the chunks are kept in ``.chunks``."""
    response = post_confirmation(client, preview)
    assert response.status_code == 200
    assert response.streaming
    # The server reads the body after the view has returned, when the thread's
    # language may be anything.
    with translation.override(language_while_streaming):
        response.chunks = [chunk.decode() for chunk in response.streaming_content]
    response.page = "".join(response.chunks)
    return response


def progress_lines(page: str) -> list[str]:
    return re.findall(r"<li><progress [^>]*></progress> ([^<]*)</li>", page)


class AdminImportTests:
    def test_the_changelist_offers_import_to_editors(self, editor_client):
        page = editor_client.get(reverse("admin:testimonies_testimony_changelist"))
        assert IMPORT_URL in page.text
        form = editor_client.get(IMPORT_URL)
        assert "Every imported row becomes a <strong>draft</strong>" in form.text

    def test_a_thousand_rows_upload_preview_confirm(self, editor_client, vocabulary, tmp_path):
        path = import_files.write_csv(tmp_path / "big.csv", import_files.rows(1000))

        preview = upload(editor_client, path)

        assert preview.status_code == 200
        result = preview.context["result"]
        assert result.totals["new"] == 1000
        assert not result.has_errors() and not result.has_validation_errors()
        assert preview.context["confirm_form"] is not None
        assert "atipa-2008/s-29:invoked" in preview.text  # the links, as they will be
        assert Testimony.objects.count() == 0  # a preview writes nothing

        done = confirm(editor_client, preview)

        imported = Testimony.objects.all()
        assert imported.count() == 1000
        assert set(imported.values_list("status", flat=True)) == {Status.DRAFT}
        assert not imported.filter(public_id__isnull=False).exists()
        assert not Testimony.objects.public().exists()
        links, violations = import_files.expected_links(1000)
        assert TestimonyClause.objects.count() == links
        assert RightsViolation.objects.count() == violations
        record = imported.get(external_ref="imp-00010")
        assert record.history.get().history_user.username == "editor"
        assert LogEntry.objects.filter(user__username="editor").count() == 1000
        assert "1,000 rows imported as drafts." in done.page
        assert "New: 1,000; updated: 0; unchanged: 0." in done.page

    def test_uploading_the_same_file_again_duplicates_nothing(
        self, editor_client, vocabulary, tmp_path
    ):
        path = import_files.write_csv(tmp_path / "few.csv", import_files.rows(20))
        confirm(editor_client, upload(editor_client, path))
        again = upload(editor_client, path)
        assert again.context["result"].totals["skip"] == 20
        confirm(editor_client, again)
        assert Testimony.objects.count() == 20

    def test_errors_are_shown_per_row_and_nothing_can_be_confirmed(
        self, editor_client, vocabulary, tmp_path
    ):
        data = import_files.rows(1000)
        data[2]["nationality"] = "martian"
        data[500]["clauses"] = "atipa/s29"
        data[999]["date_recorded"] = "2012-13-45"
        path = import_files.write_csv(tmp_path / "bad.csv", data)

        preview = upload(editor_client, path)

        result = preview.context["result"]
        assert [row.number for row in result.invalid_rows] == [3, 501, 1000]
        assert "confirm_form" not in preview.context
        assert "Unknown nationality code &#x27;martian&#x27;" in preview.text
        assert "Did you mean &#x27;atipa-2008/s-29&#x27;?" in preview.text
        assert "Bad date &#x27;2012-13-45&#x27;" in preview.text
        assert Testimony.objects.count() == 0

    def test_a_status_column_is_refused(self, editor_client, vocabulary, tmp_path):
        data = import_files.rows(2)
        for row in data:
            row["status"] = "published"
        preview = upload(editor_client, import_files.write_csv(tmp_path / "pub.csv", data))
        assert "Imported records always start as drafts" in preview.text
        assert "confirm_form" not in preview.context
        assert Testimony.objects.count() == 0

    def test_confirm_writes_the_whole_file_or_nothing(
        self, editor_client, vocabulary, tmp_path, settings
    ):
        data = import_files.rows(300)
        data[-1]["clauses"] = "atipa-2008/s-41:violated"  # only the last row needs s-41
        preview = upload(editor_client, import_files.write_csv(tmp_path / "f.csv", data))
        assert preview.context["result"].totals["new"] == 300
        # Between preview and confirmation the clause goes: the last row fails for real.
        Clause.objects.get(slug="s-41").delete()
        settings.ARCHIVE_IMPORT_BATCH_SIZE = 100

        done = confirm(editor_client, preview)

        # Two batches went in before the third failed; all three are rolled back.
        assert progress_lines(done.page) == [
            "Imported 100 of 300 rows",
            "Imported 200 of 300 rows",
        ]
        assert Testimony.objects.count() == 0
        assert TestimonyClause.objects.count() == 0
        assert RightsViolation.objects.count() == 0
        assert not LogEntry.objects.exists()
        assert "Nothing was imported: the whole file was rolled back." in done.page
        assert "Line 301 (imp-00300)" in done.page
        assert "rows imported as drafts" not in done.page

    def test_a_large_file_streams_its_progress_batch_by_batch(
        self, editor_client, vocabulary, tmp_path, settings
    ):
        settings.ARCHIVE_IMPORT_BATCH_SIZE = 100
        path = import_files.write_csv(tmp_path / "large.csv", import_files.rows(250))
        preview = upload(editor_client, path)

        done = confirm(editor_client, preview)

        assert progress_lines(done.page) == [
            "Imported 100 of 250 rows",
            "Imported 200 of 250 rows",
            "Imported 250 of 250 rows",
        ]
        # Each line is sent as its batch is written, not all at the end.
        lines = [chunk for chunk in done.chunks if "<progress" in chunk]
        assert len(lines) == 3
        assert done.chunks.index(lines[0]) < done.chunks.index(lines[-1])
        summary = next(chunk for chunk in done.chunks if "imported as drafts" in chunk)
        assert done.chunks.index(summary) > done.chunks.index(lines[-1])
        assert "250 rows imported as drafts." in summary
        drafts_url = reverse("admin:testimonies_testimony_changelist") + "?status__exact=draft"
        assert f'href="{drafts_url}"' in summary
        assert done.page.rstrip().endswith("</html>")  # the admin page is whole
        assert Testimony.objects.filter(status=Status.DRAFT).count() == 250
        assert not Testimony.objects.exclude(status=Status.DRAFT).exists()
        links, violations = import_files.expected_links(250)
        assert TestimonyClause.objects.count() == links
        assert RightsViolation.objects.count() == violations

    # Real transactions: what the import wrote must be gone for good, and the
    # rollback must be the import's own (see the connection check below).
    @pytest.mark.django_db(transaction=True)
    def test_closing_the_page_midway_writes_nothing(
        self, seed_data, editor_client, vocabulary, tmp_path, settings
    ):
        settings.ARCHIVE_IMPORT_BATCH_SIZE = 50
        preview = upload(
            editor_client, import_files.write_csv(tmp_path / "f.csv", import_files.rows(200))
        )
        response = post_confirmation(editor_client, preview)
        chunks = iter(response.streaming_content)
        while b"<progress" not in next(chunks):
            pass
        assert Testimony.objects.count() == 50  # one batch in, inside the open transaction
        open_connection = connection.connection

        response.close()  # what the server does when the browser goes away

        # Django closes a connection left inside a transaction at the end of a
        # request; the same connection still open means the import's own
        # transaction was rolled back when the page was closed.
        assert connection.connection is open_connection
        assert not connection.in_atomic_block
        assert Testimony.objects.count() == 0
        assert TestimonyClause.objects.count() == 0

    def test_in_thai_problems_progress_and_numbers_are_thai(
        self, editor_client, vocabulary, tmp_path, settings
    ):
        settings.ARCHIVE_IMPORT_BATCH_SIZE = 1000
        editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        data = import_files.rows(1200)
        data[0]["year_of_events"] = "1850"
        bad = upload(editor_client, import_files.write_csv(tmp_path / "bad.csv", data))
        assert "ปี 1850 อยู่นอกช่วง 1980-2100" in bad.text

        data[0]["year_of_events"] = "2010"
        data[1]["nationality"] = "พม่า"  # the label an editor reading Thai sees
        preview = upload(editor_client, import_files.write_csv(tmp_path / "ok.csv", data))
        done = confirm(editor_client, preview, language_while_streaming="en")

        assert progress_lines(done.page) == [
            "นำเข้าแล้ว 1,000 จาก 1,200 แถว",
            "นำเข้าแล้ว 1,200 จาก 1,200 แถว",
        ]
        assert "นำเข้า 1,200 แถวเป็นฉบับร่างแล้ว" in done.page
        assert Testimony.objects.get(external_ref="imp-00002").nationality == "burmese"

    def test_xlsx_upload(self, editor_client, vocabulary, tmp_path):
        path = import_files.write_xlsx(tmp_path / "sheet.xlsx", import_files.rows(40))
        preview = upload(editor_client, path, label="xlsx")
        assert preview.context["result"].totals["new"] == 40
        confirm(editor_client, preview)
        assert Testimony.objects.filter(status=Status.DRAFT).count() == 40
        assert Testimony.objects.get(external_ref="imp-00003").date_recorded.isoformat() == (
            "2012-04-04"
        )

    def test_staff_who_cannot_add_testimonies_cannot_import(self, client, vocabulary, tmp_path):
        client.force_login(factories.make_user(username="reader"))  # staff, in no group
        assert client.get(IMPORT_URL).status_code == 403
        path = import_files.write_csv(tmp_path / "few.csv", import_files.rows(2))
        with path.open("rb") as handle:
            response = client.post(IMPORT_URL, {"format": "0", "import_file": handle})
        assert response.status_code == 403
        assert Testimony.objects.count() == 0

    def test_the_preview_refuses_a_withdrawn_testimonys_row(
        self, editor_client, vocabulary, tmp_path
    ):
        path = import_files.write_csv(tmp_path / "few.csv", import_files.rows(4))
        confirm(editor_client, upload(editor_client, path))
        record = factories.publish_testimony(Testimony.objects.get(external_ref="imp-00003"))
        services.withdraw(record=record, by=factories.make_user("Reviewer"))

        preview = upload(editor_client, path)

        result = preview.context["result"]
        assert [row.number for row in result.invalid_rows] == [3]
        assert result.invalid_rows[0].error_dict == {
            "external_ref": [
                "This row's testimony was withdrawn at the narrator's request; it cannot be "
                "imported again. Remove the row from the file."
            ]
        }
        assert "withdrawn at the narrator&#x27;s request" in preview.text
        assert "confirm_form" not in preview.context
        assert Testimony.objects.count() == 4
        assert not Testimony.objects.filter(external_ref="imp-00003").exists()
