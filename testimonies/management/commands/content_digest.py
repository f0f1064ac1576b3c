"""Print one hash per content table, to compare a restored database with its original."""

import json

from django.core.management import BaseCommand

from archive import dbfiles


class Command(BaseCommand):
    help = (
        "Print a SHA-256 per content table (laws and testimonies apps, history and the "
        "cache token left out) as JSON. Equal output means equal content."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(json.dumps(dbfiles.content_digest(), indent=2, sort_keys=True))
