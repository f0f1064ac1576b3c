"""Make the next dataset release of the public archive, with progress."""

from django.core.management import BaseCommand

from archive.progress import ProgressBar
from releases import storage
from releases.services import build_release


class Command(BaseCommand):
    help = "Make the next dataset release (CSV, JSON, SQLite, Data Package) of the public archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            help="The archive's public address for permalinks and citations "
            "(default: ARCHIVE_SITE_URL).",
        )

    def handle(self, *args, site_url: str | None = None, **options):
        bar: ProgressBar | None = None

        def progress(step: str, done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = ProgressBar(total, label="Writing tables", stream=self.stderr)
            bar.update(done)

        release = build_release(site_url=site_url, progress=progress)
        folder = storage.release_folder(release.number)
        self.stdout.write(
            self.style.SUCCESS(
                f"Release {release.number}: {release.counts.get('testimonies', 0)} testimonies, "
                f"{release.total_bytes} bytes in {folder}"
            )
        )
