"""manage.py import_testimonies: drafts only, per-row errors, atomic batches, idempotent reruns."""

import io

import pytest
from django.core.management import CommandError, call_command

from laws.models import Clause
from testimonies import imports, services
from testimonies.models import (
    PublicIdCounter,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
)
from tests.support import factories, import_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary(db):
    return import_files.make_vocabulary()


def run(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_testimonies", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def assert_all_drafts(count: int) -> None:
    imported = Testimony.objects.filter(external_ref__isnull=False)
    assert imported.count() == count
    assert not imported.exclude(status=Status.DRAFT).exists()
    assert not imported.filter(public_id__isnull=False).exists()
    assert not Testimony.objects.public().filter(external_ref__isnull=False).exists()


class ImportCommandTests:
    def test_a_thousand_rows_become_drafts_with_their_links(self, vocabulary, tmp_path, client):
        path = import_files.write_csv(tmp_path / "big.csv", import_files.rows(1000))
        counter_before = list(PublicIdCounter.objects.values_list("prefix", "last_number"))

        out, err = run(path, "--batch-size", "300")

        assert "1000 new, 0 updated, 0 unchanged" in out
        assert "Importing rows" in err and "1000/1000" in err  # the progress bar
        assert_all_drafts(1000)
        links, violations = import_files.expected_links(1000)
        assert TestimonyClause.objects.count() == links
        assert RightsViolation.objects.count() == violations
        # Drafts consume no public numbers, and nothing imported reaches the public.
        assert list(PublicIdCounter.objects.values_list("prefix", "last_number")) == (
            counter_before
        )
        assert client.get("/testimonies/", {"q": "Imported"}).context["result"].total == 0
        one = Testimony.objects.get(external_ref="imp-00003")
        assert one.work_setting == "massage"  # a label is taken for its code
        assert one.date_recorded.isoformat() == "2012-04-04"
        other = Testimony.objects.get(external_ref="imp-00004")
        assert other.age_group == "unknown"  # an empty optional cell takes the default
        assert other.date_recorded is None
        assert one.is_sample is True
        assert {(link.clause.slug, link.relation) for link in one.clause_links.all()} == {
            ("s-29", "invoked")
        }
        assert one.history.get().history_change_reason == "Imported from big.csv"

    def test_running_the_same_file_again_adds_nothing(self, vocabulary, tmp_path):
        path = import_files.write_csv(tmp_path / "big.csv", import_files.rows(1000))
        run(path)
        links = TestimonyClause.objects.count()

        out, _ = run(path)

        assert "0 new, 0 updated, 1000 unchanged" in out
        assert_all_drafts(1000)
        assert TestimonyClause.objects.count() == links

    def test_a_corrected_file_updates_the_drafts_and_their_links(self, vocabulary, tmp_path):
        data = import_files.rows(3)
        run(import_files.write_csv(tmp_path / "a.csv", data))
        data[0]["title"] = "A corrected title"
        data[0]["clauses"] = "atipa-2008/s-41:violated"
        data[0]["violations"] = "forced-med-exam:medical-staff"

        out, _ = run(import_files.write_csv(tmp_path / "b.csv", data))

        assert "0 new, 1 updated, 2 unchanged" in out
        record = Testimony.objects.get(external_ref=data[0]["external_ref"])
        assert record.title == "A corrected title"
        assert [(link.clause.slug, link.relation) for link in record.clause_links.all()] == [
            ("s-41", "violated")
        ]
        assert [v.violation_type.slug for v in record.violations.all()] == ["forced-med-exam"]
        assert Testimony.objects.count() == 3

    def test_dry_run_checks_and_writes_nothing(self, vocabulary, tmp_path):
        path = import_files.write_csv(tmp_path / "big.csv", import_files.rows(50))
        out, _ = run(path, "--dry-run")
        assert "50 rows checked; no problems" in out
        assert Testimony.objects.count() == 0

    def test_every_bad_row_is_reported_and_nothing_is_written(self, vocabulary, tmp_path):
        data = import_files.rows(1000)
        data[4]["nationality"] = "burmse"
        data[9]["clauses"] = "atipa/s29"
        data[10]["title"] = ""
        data[11]["date_recorded"] = "14/02/2012"
        data[12]["violations"] = "no-such-thing:police"
        data[13]["year_of_events"] = "1970"
        data[998]["external_ref"] = data[997]["external_ref"]
        data[999]["province"] = "Chiangmai"
        path = import_files.write_csv(tmp_path / "bad.csv", data)

        with pytest.raises(CommandError, match="8 problem"):
            run(path, "--batch-size", "100")

        assert Testimony.objects.count() == 0
        assert TestimonyClause.objects.count() == 0

    def test_problems_name_the_line_the_key_and_the_fix(self, vocabulary, tmp_path):
        data = import_files.rows(5)
        data[0]["nationality"] = "burmse"
        data[1]["clauses"] = "atipa/s29; atipa-2008/s-29:arrested"
        data[2]["date_recorded"] = "14/02/2012"
        data[3]["title"] = ""
        data[4]["external_ref"] = data[3]["external_ref"]
        report = imports.import_file(
            imports.read_dataset(import_files.write_csv(tmp_path / "bad.csv", data)),
            file_name="bad.csv",
        )
        text = [str(problem) for problem in report.problems]
        assert text[0].startswith("Line 2 (imp-00001): nationality: Unknown nationality code")
        assert "Did you mean 'burmese'?" in text[0]
        assert "Unknown clause 'atipa/s29'. Did you mean 'atipa-2008/s-29'?" in text[1]
        assert "Unknown relation for atipa-2008/s-29 'arrested'" in text[1]
        assert "Bad date '14/02/2012': write dates as YYYY-MM-DD" in text[2]
        assert "title: The title is required." in text[3]
        assert text[4].startswith("Line 6 (imp-00004): external_ref: The import key 'imp-00004'")
        assert not report.committed
        assert Testimony.objects.count() == 0

    def test_redaction_markers_are_checked_and_rendered(self, vocabulary, tmp_path):
        data = import_files.rows(2)
        data[0]["body"] = "The owner, [[name:Somchai]], called the police.\n\nWe waited."
        data[1]["body"] = "The owner, [[name:Somchai, called the police."
        path = import_files.write_csv(tmp_path / "marked.csv", data)
        report = imports.import_file(imports.read_dataset(path), file_name="marked.csv")
        assert len(report.problems) == 1
        assert str(report.problems[0]).startswith("Line 3 (imp-00002): body: ")
        assert Testimony.objects.count() == 0

        data.pop()
        run(import_files.write_csv(tmp_path / "fixed.csv", data))
        record = Testimony.objects.get()
        assert "Somchai" in record.body_source
        assert "Somchai" not in record.body
        assert "[name withheld]" in record.body

    @pytest.mark.parametrize("column", ["content_note", "source"])
    def test_markers_are_checked_and_rendered_in_every_marked_column(
        self, vocabulary, tmp_path, column
    ):
        data = import_files.rows(2)
        data[0][column] = "Told by [[name:Somchai]]."
        data[1][column] = "Told by [[name:Somchai."
        path = import_files.write_csv(tmp_path / "marked.csv", data)
        report = imports.import_file(imports.read_dataset(path), file_name="marked.csv")
        assert [str(problem) for problem in report.problems] == [
            f"Line 3 (imp-00002): {column}: A marker is opened with [[ but not closed "
            "with ]] on the same line."
        ]
        assert Testimony.objects.count() == 0

        data.pop()
        run(import_files.write_csv(tmp_path / "fixed.csv", data))
        record = Testimony.objects.get()
        assert getattr(record, f"{column}_source") == "Told by [[name:Somchai]]."
        assert getattr(record, column) == "Told by [name withheld]."

    def test_a_bad_row_in_the_last_batch_stops_the_whole_file(self, vocabulary, tmp_path):
        data = import_files.rows(1000)
        data[-1]["clauses"] = "atipa-2008/s-999"
        path = import_files.write_csv(tmp_path / "bad.csv", data)
        with pytest.raises(CommandError, match="nothing was imported"):
            run(path, "--batch-size", "250")
        assert Testimony.objects.count() == 0

    @pytest.mark.parametrize("column", ["status", "public_id", "published_at"])
    def test_the_file_cannot_publish_or_number_anything(self, vocabulary, tmp_path, column):
        data = import_files.rows(3)
        for row in data:
            row[column] = "published" if column == "status" else "T-0001"
        path = import_files.write_csv(tmp_path / "sneaky.csv", data)
        with pytest.raises(CommandError, match="1 problem"):
            run(path)
        assert Testimony.objects.count() == 0

    def test_unknown_and_missing_columns_are_named(self, vocabulary, tmp_path):
        data = [{k: v for k, v in row.items() if k != "source"} for row in import_files.rows(2)]
        for row in data:
            row["nationalty"] = "lao"
        report = imports.import_file(
            imports.read_dataset(import_files.write_csv(tmp_path / "cols.csv", data)),
            file_name="cols.csv",
        )
        assert len(report.problems) == 1
        assert "Unknown column(s): nationalty." in report.problems[0]
        assert "Missing required column(s): source." in report.problems[0]

    def test_a_record_sent_to_review_is_never_changed_by_a_file(self, vocabulary, tmp_path):
        data = import_files.rows(2)
        run(import_files.write_csv(tmp_path / "a.csv", data))
        record = factories.publish_testimony(
            Testimony.objects.get(external_ref=data[0]["external_ref"])
        )
        # Unchanged: skipped quietly. Changed: refused, and nothing else is written.
        out, _ = run(import_files.write_csv(tmp_path / "b.csv", data))
        assert "0 new, 0 updated, 2 unchanged" in out
        data[0]["title"] = "Changed after publication"
        data.extend(import_files.rows(1, prefix="more"))
        with pytest.raises(CommandError, match="1 problem"):
            run(import_files.write_csv(tmp_path / "c.csv", data))
        record.refresh_from_db()
        assert record.status == Status.PUBLISHED
        assert record.title != "Changed after publication"
        assert Testimony.objects.count() == 2

    def test_xlsx_with_number_and_date_cells(self, vocabulary, tmp_path):
        path = import_files.write_xlsx(tmp_path / "sheet.xlsx", import_files.rows(120))
        out, _ = run(path, "--batch-size", "50")
        assert "120 new" in out
        assert_all_drafts(120)
        one = Testimony.objects.get(external_ref="imp-00003")
        assert one.year_of_events == 2008
        assert one.date_recorded.isoformat() == "2012-04-04"

    def test_unreadable_files_get_a_clear_answer(self, tmp_path):
        with pytest.raises(CommandError, match=r"use a \.csv or \.xlsx file"):
            run(tmp_path / "notes.txt")
        with pytest.raises(CommandError, match="could not be read"):
            run(tmp_path / "missing.csv")
        broken = tmp_path / "broken.xlsx"
        broken.write_bytes(b"not a spreadsheet")
        with pytest.raises(CommandError, match="could not be read"):
            run(broken)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class InterruptedImportTests:
    """Batches are committed one by one; a batch that fails is rolled back whole."""

    def test_a_batch_failing_midway_leaves_whole_batches_and_a_rerun_finishes(self, tmp_path):
        import_files.make_vocabulary()
        data = import_files.rows(1000)
        # Only row 900 (in the fifth batch of 200) links s-41.
        data[899]["clauses"] = "atipa-2008/s-41:violated"
        path = import_files.write_csv(tmp_path / "big.csv", data)
        dataset = imports.read_dataset(path)

        def progress(stage: str, done: int) -> None:
            # Between two batches someone deletes the clause that row 900 needs:
            # the row passed the check, and now fails for real when written.
            if stage == "import" and done == 600:
                Clause.objects.get(slug="s-41").delete()

        report = imports.import_file(
            dataset, file_name="big.csv", batch_size=200, progress=progress
        )

        assert not report.committed
        assert [str(problem)[:22] for problem in report.problems] == ["Line 901 (imp-00900): "]
        assert "Unknown clause 'atipa-2008/s-41'" in str(report.problems[0])
        # Batches 1-4 are in, whole, with every link; nothing of batch 5 is.
        assert_all_drafts(800)
        links, violations = import_files.expected_links(800)
        assert TestimonyClause.objects.count() == links
        assert RightsViolation.objects.count() == violations
        assert not Testimony.objects.filter(external_ref__gt="imp-00800").exists()

        # The clause is back; the same file resumes where it stopped.
        factories.make_clause(law=Clause.objects.first().law, slug="s-41", number="s. 41")
        out, _ = run(path, "--batch-size", "200")
        assert "200 new, 0 updated, 800 unchanged" in out
        assert_all_drafts(1000)
        assert TestimonyClause.objects.count() == import_files.expected_links(1000)[0]


def withdraw_imported(external_ref: str) -> Testimony:
    """Publish the draft a file made, then withdraw it (the narrator's consent is gone)."""
    record = factories.publish_testimony(Testimony.objects.get(external_ref=external_ref))
    return services.withdraw(record=record, by=factories.make_user("Reviewer"))


class WithdrawnRowsTests:
    """A withdrawal erases the import key; its fingerprint in the ledger keeps the row out."""

    def test_the_same_file_again_refuses_the_withdrawn_row_and_writes_nothing(
        self, vocabulary, tmp_path
    ):
        path = import_files.write_csv(tmp_path / "a.csv", import_files.rows(3))
        run(path)
        withdrawn = withdraw_imported("imp-00002")

        err = io.StringIO()
        with pytest.raises(CommandError, match="1 problem"):
            call_command("import_testimonies", str(path), stdout=io.StringIO(), stderr=err)
        [problem] = [line for line in err.getvalue().splitlines() if line.startswith("Line")]
        assert problem.startswith(
            "Line 3 (imp-00002): external_ref: This row's testimony was withdrawn at the "
            "narrator's request; it cannot be imported again."
        )
        assert Testimony.objects.count() == 3
        assert not Testimony.objects.filter(external_ref="imp-00002").exists()
        withdrawn.refresh_from_db()
        assert withdrawn.status == Status.WITHDRAWN and withdrawn.title == ""

    def test_the_key_retyped_in_another_case_or_spacing_is_refused_too(self, vocabulary, tmp_path):
        data = import_files.rows(2)
        run(import_files.write_csv(tmp_path / "a.csv", data))
        withdraw_imported("imp-00001")
        data[0]["external_ref"] = "  IMP-00001 "
        with pytest.raises(CommandError, match="1 problem"):
            run(import_files.write_csv(tmp_path / "b.csv", data))
        assert Testimony.objects.count() == 2

    def test_the_other_rows_import_once_the_withdrawn_row_is_removed(self, vocabulary, tmp_path):
        data = import_files.rows(3)
        run(import_files.write_csv(tmp_path / "a.csv", data))
        withdraw_imported("imp-00003")
        data[0]["title"] = "Corrected before the second import"
        data.pop()

        out, _ = run(import_files.write_csv(tmp_path / "b.csv", data))

        assert "0 new, 1 updated, 1 unchanged" in out
        assert Testimony.objects.count() == 3
