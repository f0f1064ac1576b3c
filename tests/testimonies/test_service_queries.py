"""How many queries publishing and withdrawing a testimony make, pinned.

A lost ``select_related`` or a query per link in the workflow shows here
before a reviewer feels it. The reviewer's permissions are read once first
and the content type is cached (a withdrawal rewrites the change log), so
the counts are the service's own, whatever order the tests run in. The
testimony has two clause links and two violations, so that a query per link
would show as a changed count.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from testimonies import services
from testimonies.models import Testimony
from tests.support import factories

pytestmark = pytest.mark.django_db

# A withdrawal on SQLite also merges its two full-text tables (the whole text,
# and the head alone) so they forget the deleted document (``purge_deleted``:
# one statement each); PostgreSQL has no such step.
QUERIES = {
    "sqlite": {"publish": 27, "correction": 20, "withdraw": 23},
    "postgresql": {"publish": 27, "correction": 20, "withdraw": 21},
}[connection.vendor]


@pytest.fixture
def reviewer(reviewer):
    assert reviewer.has_perm("testimonies.publish_testimony")  # fills the permission cache
    ContentType.objects.get_for_model(Testimony)  # cached for the process after its first read
    return reviewer


@pytest.fixture
def in_review(reviewer):
    testimony = factories.make_testimony()
    for n in range(2):
        testimony.clause_links.create(
            clause=factories.make_clause(), relation="violated", note_source=f"Held {n}."
        )
        testimony.violations.create(
            violation_type=factories.make_violation_type(),
            perpetrator="police",
            note_source=f"Seen {n}.",
        )
    factories.make_consent(testimony)
    return services.send_to_review(record=testimony, by=reviewer)


class ServiceQueryTests:
    def test_testimony_publish(self, django_assert_num_queries, in_review, reviewer):
        with django_assert_num_queries(QUERIES["publish"]):
            services.testimony_publish(testimony=in_review, by=reviewer)

    def test_testimony_publish_of_a_correction(
        self, django_assert_num_queries, in_review, reviewer
    ):
        published = services.testimony_publish(testimony=in_review, by=reviewer)
        published.body_source = "A corrected account."
        published.save()
        with django_assert_num_queries(QUERIES["correction"]):
            services.testimony_publish(
                testimony=published, by=reviewer, correction_note="Account corrected"
            )

    def test_testimony_withdraw(self, django_assert_num_queries, in_review, reviewer):
        published = services.testimony_publish(testimony=in_review, by=reviewer)
        with django_assert_num_queries(QUERIES["withdraw"]):
            services.testimony_withdraw(testimony=published, by=reviewer)

    def test_withdraw_of_a_testimony_makes_the_same_queries(
        self, django_assert_num_queries, in_review, reviewer
    ):
        published = services.publish(record=in_review, by=reviewer)
        with django_assert_num_queries(QUERIES["withdraw"]):
            services.withdraw(record=published, by=reviewer)
