"""Write a consistent backup of the database while the site keeps running."""

from pathlib import Path

from archive import dbfiles
from archive.management.database_file import DatabaseFileCommand


class Command(DatabaseFileCommand):
    help = (
        "Back up the database: SQLite through its online backup API, PostgreSQL with "
        "pg_dump -Fc. Default file: ARCHIVE_BACKUP_DIR/archive-<date>-<time>.<sqlite3|pgdump>."
    )

    progress_label = "Backing up"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="file to write (default: see above)")

    def handle(self, *args, output: Path | None, **options) -> None:
        target = output or dbfiles.default_backup_path()
        self.copy(dbfiles.backup, target)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
