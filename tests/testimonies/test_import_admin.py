"""The admin's bulk import over HTTP: upload, preview, confirm; drafts only; all or nothing."""

import re

import pytest
from django.urls import reverse

from laws.models import Clause
from testimonies import services
from testimonies.models import RightsViolation, Status, Testimony, TestimonyClause
from tests import factories, import_files

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


def confirm(client, preview):
    confirm_form = preview.context["confirm_form"]
    data = {name: confirm_form[name].value() for name in confirm_form.fields}
    return client.post(CONFIRM_URL, data)


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

        assert done.status_code == 302
        assert done["Location"] == reverse("admin:testimonies_testimony_changelist")
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
        page = editor_client.get(done["Location"])
        assert "Import finished: 1000 new" in page.text

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

    def test_confirm_writes_the_whole_file_or_nothing(self, editor_client, vocabulary, tmp_path):
        data = import_files.rows(300)
        data[-1]["clauses"] = "atipa-2008/s-41:violated"  # only the last row needs s-41
        preview = upload(editor_client, import_files.write_csv(tmp_path / "f.csv", data))
        assert preview.context["result"].totals["new"] == 300
        # Between preview and confirmation the clause goes: the last row fails for real.
        Clause.objects.get(slug="s-41").delete()

        done = confirm(editor_client, preview)

        assert done.status_code == 302
        assert Testimony.objects.count() == 0
        assert TestimonyClause.objects.count() == 0
        page = editor_client.get(done["Location"])
        assert "Nothing was imported" in page.text

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
