"""Forget old rows of the facet change log; run it daily (cron, a systemd timer)."""

from django.core.management import BaseCommand

from testimonies.search.index import KEEP_CHANGES, prune_changes


class Command(BaseCommand):
    help = (
        "Delete all but the newest changes of the facet change log. A worker further "
        "behind than that reads every testimony again on its next request."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--keep", type=int, default=KEEP_CHANGES, help=f"changes kept (default {KEEP_CHANGES})"
        )

    def handle(self, *args, keep: int, **options) -> None:
        deleted = prune_changes(keep=keep)
        self.stdout.write(f"Deleted {deleted} old changes from the facet change log.")
