"""Restore a backup into the configured database, then re-apply the withdrawal ledger."""

from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection

from archive import dbfiles
from archive.management.database_file import DatabaseFileCommand
from testimonies.search import index


class Command(DatabaseFileCommand):
    help = (
        "Replace the database's content with a backup made by `manage.py backup`, bring "
        "its schema up to date, and re-apply every withdrawal in the ledger file, so that "
        "nothing withdrawn after the backup was taken comes back."
    )

    progress_label = "Restoring"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, file: Path, yes: bool, **options) -> None:
        name = connection.settings_dict["NAME"]
        if not yes:
            answer = input(
                f"This replaces everything in the database {name} with {file}. "
                "Type 'restore' to go ahead: "
            )
            if answer.strip() != "restore":
                raise CommandError("Nothing was restored.")
        self.copy(dbfiles.restore, file)
        self.stdout.write(f"Restored {file} into {name}.")
        # A backup older than the code lacks its newest tables and columns.
        call_command("migrate", interactive=False, verbosity=0)
        call_command("reapply_withdrawals", stdout=self.stdout, stderr=self.stderr)
        # The backup brings back a generation token some worker may still hold:
        # a new one makes every worker rebuild its facet data on its next request.
        index.bump_generation()
        self.stdout.write(self.style.SUCCESS("Restore complete."))
