"""Rebuild the full-text index from the published testimonies, with progress."""

from django.core.management import BaseCommand

from archive.progress import ProgressBar
from testimonies.models import Testimony
from testimonies.search.index import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index (published testimonies only) and refresh facet data."

    def handle(self, *args, **options):
        bar = ProgressBar(Testimony.objects.public().count(), label="Indexing")
        count = rebuild_index(progress=lambda done, _total: bar.update(done))
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published testimonies."))
