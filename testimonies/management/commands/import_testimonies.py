"""Import testimonies from a CSV or XLSX file as drafts.

    python manage.py import_testimonies testimonies.csv [--dry-run] [--batch-size 500]

The same columns and checks as the admin's import (testimonies/imports.py).
Every row is checked first and nothing is written if any row is wrong; then
the file is written in batches, each one transaction, so an interrupted run
leaves whole batches only, and running the same file again skips what is
already there.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import DatabaseError

from archive.progress import ProgressBar
from testimonies.imports import ImportFileError, import_file, read_dataset


class Command(BaseCommand):
    help = "Import testimonies from a CSV or XLSX file; every row becomes a draft."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .csv (UTF-8) or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=settings.ARCHIVE_IMPORT_BATCH_SIZE,
            help="Rows written per transaction (default: ARCHIVE_IMPORT_BATCH_SIZE, 500).",
        )

    def handle(self, *args, file: Path, dry_run: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            dataset = read_dataset(file)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        bars: dict[str, ProgressBar] = {}

        def progress(stage: str, done: int) -> None:
            if stage not in bars:
                label = "Checking rows" if stage == "check" else "Importing rows"
                bars[stage] = ProgressBar(len(dataset), label=label, stream=self.stderr)
            bars[stage].update(done)

        try:
            report = import_file(
                dataset,
                file_name=file.name,
                batch_size=batch_size,
                dry_run=dry_run,
                progress=progress,
            )
        except DatabaseError as error:
            # Raised when a batch is committed; that batch was rolled back whole.
            raise CommandError(
                f"The database refused a batch, which was rolled back: {error}. "
                "Batches before it are imported; run the command again to resume."
            ) from error
        for problem in report.problems:
            self.stderr.write(str(problem))
        if report.problems:
            if report.new or report.updated or report.skipped:
                raise CommandError(
                    f"Stopped: {report.new} new, {report.updated} updated and {report.skipped} "
                    "unchanged rows were imported before the batch that failed, which was "
                    "rolled back. Fix the rows above and run the command again to resume."
                )
            raise CommandError(
                f"{len(report.problems)} problem(s) in {file.name}; nothing was imported."
            )
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"{report.rows} rows checked; no problems. Nothing written.")
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file.name}: {report.new} new, {report.updated} updated, "
                f"{report.skipped} unchanged. Every imported record is a draft."
            )
        )
