"""Write a consistent backup of the database while the site keeps running."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from archive import dbfiles
from archive.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite through its online backup API, PostgreSQL with "
        "pg_dump -Fc. Default file: ARCHIVE_BACKUP_DIR/archive-<date>-<time>.<sqlite3|pgdump>."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="file to write (default: see above)")

    def handle(self, *args, output: Path | None, **options) -> None:
        target = output or dbfiles.default_backup_path()
        bars: list[ProgressBar] = []

        def progress(done: int, total: int) -> None:
            if not bars:
                bars.append(ProgressBar(total, label="Backing up", stream=self.stderr))
            bars[0].update(done)

        try:
            dbfiles.backup(target, progress=progress)
        except dbfiles.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
