"""Apply the withdrawal ledger (file and table) to this database again, e.g. after a restore."""

from django.core.management import BaseCommand, CommandError

from archive.progress import ProgressBar
from testimonies import ledger, services


class Command(BaseCommand):
    help = (
        "Erase again every record named in the withdrawal ledger (the file from "
        "ARCHIVE_WITHDRAWAL_LEDGER and the table). Safe to run any number of times."
    )

    def handle(self, *args, **options) -> None:
        try:
            total = len(ledger.all_entries())
        except ValueError as error:
            raise CommandError(str(error)) from None
        bar = ProgressBar(total, label="Re-applying withdrawals", stream=self.stderr)
        report = services.reapply_withdrawals(progress=lambda done, _total: bar.update(done))
        self.stdout.write(
            f"{report.entries} ledger entries; {len(report.applied)} withdrawn again"
            + (f" ({', '.join(report.applied)})" if report.applied else "")
            + "."
        )
        if report.not_here:
            self.stdout.write(
                f"Not in this database (nothing to erase): {', '.join(report.not_here)}."
            )
