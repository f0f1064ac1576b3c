"""Generate a synthetic published corpus for speed and load tests.

    python manage.py seed_synthetic --testimonies 100000 --seed 1 [--text natural|template]
    python manage.py seed_synthetic --testimonies 100000 --seed 1 --generate-only

Bulk inserts in batches, with a progress bar; the laws, clauses and
vocabularies must already be loaded (``load_archive``). Synthetic records
carry no history rows and no published versions: they exist to be searched.
``--generate-only`` makes the same records and writes nothing, to show how
much of a seed's time is the text generator's.
"""

import random
import time

from django.core.management import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction

from archive.progress import ProgressBar
from laws.models import Clause
from testimonies.models import (
    Authority,
    ClauseRelation,
    RaidIncident,
    RightsViolation,
    SearchDocument,
    Status,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from testimonies.search import index
from testimonies.services import allocate_public_ids, sync_public_id_counters
from testimonies.synthetic import TEXTS, TextKind, generate
from testimonies.vocabulary import Perpetrator

BATCH = 2000
SOURCE = "Synthetic record generated for load and speed tests; not a testimony."


class Command(BaseCommand):
    help = "Generate N synthetic published testimonies (deterministic for a seed)."

    def add_arguments(self, parser):
        parser.add_argument("--testimonies", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--text",
            choices=TEXTS,
            default="natural",
            help="natural: English and Thai words at real frequencies, realistic lengths "
            "(default); template: the earlier corpus of about twenty sentences",
        )
        parser.add_argument(
            "--generate-only",
            action="store_true",
            help="make the records without writing them, and report the generator's rate",
        )

    def handle(
        self, *args, testimonies: int, seed: int, text: TextKind, generate_only: bool, **options
    ):
        if testimonies < 1:
            raise CommandError("--testimonies must be at least 1.")
        try:
            records = generate(testimonies, seed=seed, text=text)
        except ImportError as error:
            raise CommandError(str(error)) from error
        if generate_only:
            self._generate_only(records, testimonies)
            return
        clauses = list(Clause.objects.order_by("law__order", "order").values_list("id", flat=True))
        violation_types = list(ViolationType.objects.values_list("id", flat=True))
        authorities = list(Authority.objects.values_list("id", flat=True))
        if not clauses or not violation_types:
            raise CommandError("Load the laws and vocabulary first: manage.py load_archive")
        rng = random.Random(seed)
        sync_public_id_counters()
        with transaction.atomic():
            public_ids = iter(allocate_public_ids(Testimony, testimonies))
        incidents = self._incidents(rng, max(1, testimonies // 25), authorities)
        started = time.monotonic()
        bar = ProgressBar(testimonies, label="Synthetic testimonies")
        batch: list[Testimony] = []
        for record in records:
            batch.append(
                Testimony(
                    public_id=next(public_ids),
                    status=Status.PUBLISHED,
                    # Generated text has no redaction markers: it is its own rendering.
                    title=record.title,
                    title_source=record.title,
                    narrator_pseudonym=record.pseudonym,
                    nationality=record.nationality,
                    age_group=record.age_group,
                    work_setting=record.work_setting,
                    province=record.province,
                    year_of_events=record.year_of_events,
                    date_recorded=record.date_recorded,
                    language=record.language,
                    summary=record.summary,
                    summary_source=record.summary,
                    body=record.body,
                    body_source=record.body,
                    source=SOURCE,
                    source_source=SOURCE,
                    is_sample=True,
                    first_published_at=record.published_at,
                    published_at=record.published_at,
                )
            )
            if len(batch) == BATCH:
                self._insert(rng, batch, clauses, violation_types, incidents)
                reset_queries()  # with DEBUG on, Django would keep every INSERT in memory
                bar.advance(len(batch))
                batch = []
        if batch:
            self._insert(rng, batch, clauses, violation_types, incidents)
            bar.advance(len(batch))
        # Fresh statistics, or the planner guesses badly on tables this size.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {testimonies} synthetic testimonies ({text} text) in {elapsed:.1f} s: "
                f"{testimonies / elapsed:.0f} a second."
            )
        )

    def _generate_only(self, records, count: int) -> None:
        started = time.monotonic()
        bar = ProgressBar(count, label="Generated (not written)")
        characters = words = 0
        for number, record in enumerate(records, start=1):
            characters += len(record.title) + len(record.body)
            words += len(record.body.split())
            if number % 500 == 0 or number == count:
                bar.update(number)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Generated {count} testimonies in {elapsed:.1f} s: {count / elapsed:.0f} a second; "
            f"{words} words (split at spaces), {characters} characters of title and body."
        )

    def _incidents(self, rng: random.Random, count: int, authorities: list[int]) -> list[int]:
        with transaction.atomic():
            public_ids = allocate_public_ids(RaidIncident, count)
        ids = []
        for public_id in public_ids:
            with transaction.atomic():
                incident = RaidIncident.objects.create(
                    public_id=public_id,
                    status=Status.PUBLISHED,
                    title_source="Synthetic raid",
                    date=f"{rng.randint(2000, 2012)}-{rng.randint(1, 12):02d}-01",
                    date_precision="month",
                    province="tak",
                    venue_type="karaoke",
                    description_source="Synthetic record generated for load and speed tests.",
                    is_sample=True,
                )
                incident.authorities.set(rng.sample(authorities, rng.randint(1, 3)))
            ids.append(incident.pk)
        return ids

    def _insert(self, rng, batch, clauses, violation_types, incidents) -> None:
        with transaction.atomic():
            created = Testimony.objects.bulk_create(batch)
            SearchDocument.objects.bulk_create(index.search_document(t) for t in created)
            links, violations, recounts = [], [], []
            relations = [value for value, _ in ClauseRelation.choices]
            for testimony in created:
                # Skewed: a few clauses (the first in the list) are linked far more often.
                for clause in {
                    clauses[int(rng.paretovariate(1.3)) % len(clauses)]
                    for _ in range(rng.randint(1, 4))
                }:
                    links.append(
                        TestimonyClause(
                            testimony=testimony, clause_id=clause, relation=rng.choice(relations)
                        )
                    )
                for violation_type in {
                    violation_types[int(rng.paretovariate(1.2)) % len(violation_types)]
                    for _ in range(rng.randint(0, 4))
                }:
                    violations.append(
                        RightsViolation(
                            testimony=testimony,
                            violation_type_id=violation_type,
                            perpetrator=rng.choice(Perpetrator.values),
                        )
                    )
                if rng.random() < 0.4:
                    recounts.append(
                        RaidIncident.testimonies.through(
                            raidincident_id=rng.choice(incidents), testimony_id=testimony.pk
                        )
                    )
            TestimonyClause.objects.bulk_create(links)
            RightsViolation.objects.bulk_create(violations)
            RaidIncident.testimonies.through.objects.bulk_create(recounts)
