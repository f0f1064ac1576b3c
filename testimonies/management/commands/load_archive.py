"""Load the archive's fixtures (laws, vocabulary, illustrative samples) once.

Run by ``make run`` on every start: it does nothing when the laws are already
there, so an editor's changes are never overwritten by a restart. The
archive's own pages are created whenever one is missing, on every run, so an
archive loaded before a page existed gets it too; a page that exists is never
rewritten.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

from laws.models import Law
from laws.services import clause_versions_fill
from pages.services import pages_seed
from testimonies.models import Status, Testimony
from testimonies.search.index import rebuild_index
from testimonies.services import record_version, sync_public_id_counters

FIXTURES = ["laws.json", "law_versions.json", "violation_types.json", "sample_records.json"]


class Command(BaseCommand):
    help = (
        "Load the laws, the violation vocabulary and the illustrative sample records, and "
        "create any of the archive's own pages that is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even if laws are already present."
        )

    def handle(self, *args, force: bool = False, **options):
        created = pages_seed()
        if created:
            self.stdout.write(f"Created the pages: {', '.join(created)}.")
        if Law.objects.exists() and not force:
            self.stdout.write("Fixtures already loaded; nothing to do (use --force to reload).")
            return
        fixture_dir = Path(settings.BASE_DIR) / "fixtures"
        paths = [str(fixture_dir / name) for name in FIXTURES if (fixture_dir / name).exists()]
        with transaction.atomic():
            for path in paths:
                self.stdout.write(f"Loading {Path(path).name} ...")
                call_command("loaddata", path, verbosity=0)
            # The fixtures list only the clauses whose text changed; every other
            # clause gets its one version, as enacted, from its own text.
            clause_versions_fill()
            # Fixtures are loaded raw, so the steps publication normally takes
            # (the first public version) are done here.
            published = Testimony.objects.filter(status=Status.PUBLISHED, versions__isnull=True)
            for testimony in published:
                record_version(testimony=testimony)
            sync_public_id_counters()
            indexed = rebuild_index()
        self.stdout.write(f"Indexed {indexed} published testimonies for search.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {Law.objects.count()} laws and "
                f"{Testimony.objects.public().count()} published testimonies."
            )
        )
