"""Publish one new testimony through the workflow, as a reviewer would; used by
bench/publish_then_search.py.

Run with the working directory at the checkout to use and DATABASE_URL set:

    python bench/publish_one.py --word zqxbench1

The testimony's title carries ``--word`` (a word found nowhere else, so a
search for it finds this testimony only). Prints one JSON line once the
publication has committed: its public id and how long the publication took.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")

import django

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402

from testimonies import services  # noqa: E402
from testimonies.models import Testimony  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--word", required=True)
    word = parser.parse_args().word
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer", defaults={"is_staff": True})
    reviewer.groups.add(Group.objects.get(name="Reviewer"))
    testimony = Testimony.objects.create(
        title_source=f"Benchmark account {word}",
        narrator_pseudonym="Bench",
        nationality="burmese",
        age_group="25-34",
        work_setting="karaoke",
        province="chiang-mai",
        year_of_events=2012,
        language="en",
        summary_source="Written by the publish-then-search benchmark.",
        body_source=f"An account written for the benchmark, about {word}.",
        source_source="The benchmark.",
    )
    services.consent_record(
        testimony=testimony,
        by=reviewer,
        basis="written",
        scope="full",
        given_on=datetime.date(2012, 1, 1),
    )
    started = time.perf_counter()
    testimony = services.send_to_review(record=testimony, by=reviewer)
    testimony = services.publish(record=testimony, by=reviewer)
    elapsed = (time.perf_counter() - started) * 1000
    print(json.dumps({"public_id": testimony.public_id, "publish_ms": round(elapsed, 1)}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
