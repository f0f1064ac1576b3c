"""The database itself refuses rows that break the archive's rules."""

import pytest
from django.db import IntegrityError, transaction

from testimonies.models import RightsViolation, Status, Testimony, TestimonyClause
from tests.support import factories

pytestmark = pytest.mark.django_db


def _refused(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


class ConstraintTests:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("nationality", "martian"),
            ("age_group", "12"),
            ("work_setting", "office"),
            ("province", "atlantis"),
            ("language", "xx"),
            ("status", "secret"),
            ("year_of_events", 1066),
        ],
    )
    def test_unknown_choice_values_are_refused(self, field, value):
        testimony = factories.make_testimony()
        assert _refused(lambda: Testimony.objects.filter(pk=testimony.pk).update(**{field: value}))

    def test_published_without_public_id_is_refused(self):
        testimony = factories.make_testimony()
        assert _refused(
            lambda: Testimony.objects.filter(pk=testimony.pk).update(status=Status.PUBLISHED)
        )

    def test_violation_needs_a_testimony_or_an_incident(self):
        violation_type = factories.make_violation_type()
        assert _refused(
            lambda: RightsViolation.objects.create(
                violation_type=violation_type, perpetrator="police"
            )
        )
        RightsViolation.objects.create(
            violation_type=violation_type, perpetrator="police", incident=factories.make_incident()
        )

    def test_clause_slug_is_unique_within_its_law_only(self):
        law = factories.make_law()
        factories.make_clause(law=law, slug="s-29")
        assert _refused(lambda: factories.make_clause(law=law, slug="s-29"))
        factories.make_clause(law=factories.make_law(), slug="s-29")

    def test_same_clause_and_relation_twice_is_refused(self):
        testimony = factories.make_testimony()
        clause = factories.make_clause()
        TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="violated")
        assert _refused(
            lambda: TestimonyClause.objects.create(
                testimony=testimony, clause=clause, relation="violated"
            )
        )
        TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="invoked")

    def test_unknown_relation_is_refused(self):
        link = TestimonyClause.objects.create(
            testimony=factories.make_testimony(), clause=factories.make_clause(), relation="other"
        )
        assert _refused(lambda: TestimonyClause.objects.filter(pk=link.pk).update(relation="liked"))

    def test_duplicate_public_ids_are_refused(self):
        first = factories.publish_testimony()
        second = factories.make_testimony()
        assert _refused(
            lambda: Testimony.objects.filter(pk=second.pk).update(public_id=first.public_id)
        )
