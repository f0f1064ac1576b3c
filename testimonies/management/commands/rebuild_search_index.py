"""Rebuild the full-text index from the published testimonies, with progress."""

import sys

from django.core.management import BaseCommand

from testimonies.indexing import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index (published testimonies only) and refresh facet data."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            width = 40
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

        count = rebuild_index(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published testimonies."))
