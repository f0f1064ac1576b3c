"""Reading an import file and writing it in batches, each one transaction."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.results import Result

from testimonies.imports.resource import TestimonyResource, cell_text


class ImportFileError(Exception):
    """The file cannot be read as an import file; the message says why."""


def read_dataset(path: Path) -> tablib.Dataset:
    formats = {".csv": base_formats.CSV, ".xlsx": base_formats.XLSX}
    format_class = formats.get(path.suffix.lower())
    if format_class is None:
        raise ImportFileError(f"{path.name}: use a .csv or .xlsx file.")
    file_format = format_class()
    try:
        # utf-8-sig: spreadsheet programs often start a CSV with a byte-order mark.
        data: bytes | str = (
            path.read_bytes() if file_format.is_binary() else path.read_text(encoding="utf-8-sig")
        )
        dataset = file_format.create_dataset(data)
    except Exception as error:
        # Each format fails in its own way (zipfile, csv, openpyxl errors): all
        # of them mean the same thing to the person running the command.
        raise ImportFileError(f"{path.name} could not be read: {error}") from error
    if not dataset.headers:
        raise ImportFileError(f"{path.name} has no header row.")
    return dataset


@dataclass
class RowProblem:
    line: int  # the row's line in the file, the header being line 1
    ref: str
    messages: list[str]

    def __str__(self) -> str:
        ref = f" ({self.ref})" if self.ref else ""
        return (
            _("Line %(line)s%(ref)s:") % {"line": self.line, "ref": ref}
            + " "
            + " ".join(self.messages)
        )


@dataclass
class ImportReport:
    rows: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    problems: list[str | RowProblem] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _batches(dataset: tablib.Dataset, size: int) -> Iterator[tuple[int, tablib.Dataset]]:
    for start in range(0, len(dataset), size):
        batch = tablib.Dataset(headers=dataset.headers)
        for row in dataset[start : start + size]:
            batch.append(row)
        yield start, batch


def _row_problems(result: Result, start: int) -> list[RowProblem]:
    found = []
    for row in result.error_rows:
        messages = [str(error.error) for error in row.errors]
        found.append(RowProblem(start + row.number + 1, "", messages))
    for row in result.invalid_rows:
        messages = [
            " ".join(errors) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(errors)}"
            for name, errors in row.error_dict.items()
        ]
        ref = cell_text(row.values[0]) if row.values else ""
        found.append(RowProblem(start + row.number + 1, ref, messages))
    return sorted(found, key=lambda problem: problem.line)


Progress = Callable[[str, int], None]


class BatchFailed(Exception):
    """A batch of a checked file failed when it was written, and was rolled back.

    The file passed its check, so the database changed in between: a clause
    deleted, a record sent to review meanwhile.
    """

    def __init__(self, problems: list[str | RowProblem], *, done: int) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems
        self.done = done  # rows written by the batches before this one


def write_batches(
    dataset: tablib.Dataset,
    *,
    file_name: str,
    batch_size: int,
    user=None,
    resource: TestimonyResource | None = None,
    retain_instances: bool = False,
) -> Iterator[tuple[int, Result]]:
    """Write the file ``batch_size`` rows at a time; after each batch, yield the
    rows done so far and the batch's result.

    Each batch is one transaction, or one savepoint inside the caller's: a
    batch with any problem is rolled back whole and ``BatchFailed`` raised.
    One resource serves every batch, so an import key repeated in a later
    batch is still caught.
    """
    writer = resource or TestimonyResource()
    for start, batch in _batches(dataset, batch_size):
        result = writer.import_data(
            batch,
            dry_run=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=retain_instances,
            file_name=file_name,
            user=user,
        )
        problems: list[str | RowProblem] = [str(error.error) for error in result.base_errors]
        problems += _row_problems(result, start)
        if problems:
            raise BatchFailed(problems, done=start)
        yield start + len(batch), result


def import_file(
    dataset: tablib.Dataset,
    *,
    file_name: str,
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Progress | None = None,
    user=None,
) -> ImportReport:
    """Check every row of the file, then (unless ``dry_run``) write it in batches.

    Nothing is written unless the whole file passes the check. Each batch is
    then one transaction: an interruption leaves whole batches only, and a
    second run skips the rows the first one wrote. ``progress`` is called
    with the stage ("check" or "import") and the rows done after each batch.
    """
    report = ImportReport(rows=len(dataset))
    checker = TestimonyResource(check_only=True)
    for start, batch in _batches(dataset, batch_size):
        result = checker.import_data(
            batch, dry_run=True, use_transactions=True, file_name=file_name, user=user
        )
        if result.base_errors:
            # A file-level problem (columns) is the same for every batch.
            report.problems.extend(str(error.error) for error in result.base_errors)
            return report
        report.problems.extend(_row_problems(result, start))
        if progress:
            progress("check", start + len(batch))
    if dry_run or not report.ok:
        return report

    try:
        for done, result in write_batches(
            dataset, file_name=file_name, batch_size=batch_size, user=user
        ):
            report.new += result.totals["new"]
            report.updated += result.totals["update"]
            report.skipped += result.totals["skip"]
            if progress:
                progress("import", done)
    except BatchFailed as failed:
        # The batches before this one stay written: a re-run resumes here.
        report.problems.extend(failed.problems)
        return report
    report.committed = True
    return report
