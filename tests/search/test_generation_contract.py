"""The index generation is renewed by the database itself, for any writer.

Workers rebuild their facet columns when the token changes; these tests
change every table the facets read the ways code and the admin can (a
queryset update, a bulk insert, a delete, the admin's bulk delete) and
check the token moved and the next search shows the change, on both
databases. Saving a draft leaves the token alone: nothing public changed.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from laws.models import Clause, Law
from testimonies.models import (
    Authority,
    RaidIncident,
    RightsViolation,
    SearchDocument,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from testimonies.search.index import current_generation
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(db) -> Testimony:
    testimony = factories.make_testimony(title="Detained after the raid")
    testimony.clause_links.create(clause=factories.make_clause(), relation="violated")
    testimony.violations.create(
        violation_type=factories.make_violation_type(), perpetrator="police"
    )
    testimony = factories.publish_testimony(testimony)
    incident = factories.make_incident()
    incident.testimonies.add(testimony)
    incident.authorities.add(Authority.objects.order_by("pk").first())
    factories.publish_incident(incident)
    return testimony


def _renews(change) -> None:
    before = current_generation()
    change()
    assert current_generation() != before


def _search(client, **params) -> str:
    return client.get(reverse("testimonies:testimony_list"), params).content.decode()


CHANGES = {
    "violation type renamed": lambda t: ViolationType.objects.filter(
        occurrences__testimony=t
    ).update(label="Renamed violation"),
    "authority renamed": lambda t: Authority.objects.filter(incidents__testimonies=t).update(
        name="Renamed authority"
    ),
    "law renamed": lambda t: Law.objects.filter(clauses__testimony_links__testimony=t).update(
        short_name="Renamed Act"
    ),
    "clause renumbered": lambda t: Clause.objects.filter(testimony_links__testimony=t).update(
        number="s. 999"
    ),
    "link bulk-created": lambda t: TestimonyClause.objects.bulk_create(
        [TestimonyClause(testimony=t, clause=factories.make_clause(), relation="invoked")]
    ),
    "link updated": lambda t: TestimonyClause.objects.filter(testimony=t).update(relation="other"),
    "link deleted": lambda t: TestimonyClause.objects.filter(testimony=t).delete(),
    "violation bulk-created": lambda t: RightsViolation.objects.bulk_create(
        [
            RightsViolation(
                testimony=t, violation_type=factories.make_violation_type(), perpetrator="police"
            )
        ]
    ),
    "violation deleted": lambda t: RightsViolation.objects.filter(testimony=t).delete(),
    "published attribute updated": lambda t: Testimony.objects.filter(pk=t.pk).update(
        nationality="shan"
    ),
    "raid authorities cleared": lambda t: t.incidents.get().authorities.clear(),
    "raid unlinked": lambda t: t.incidents.get().testimonies.clear(),
    "published raid updated": lambda t: RaidIncident.objects.filter(testimonies=t).update(
        province="phuket"
    ),
    "search document deleted": lambda t: SearchDocument.objects.filter(testimony=t).delete(),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_to_what_search_reads_renews_the_token(published, change):
    _renews(lambda: change(published))


def test_a_renamed_vocabulary_label_shows_on_the_next_search(client, published):
    _search(client, expand="violation")  # the worker builds its columns
    CHANGES["violation type renamed"](published)
    assert "Renamed violation" in _search(client, expand="violation")


def test_a_bulk_inserted_link_counts_on_the_next_search(client, published):
    clause = factories.make_clause()
    code = f"{clause.law.slug}:{clause.slug}"
    _search(client)
    assert "1 testimon" not in _search(client, clause=code).split('id="results-heading"')[1][:80]
    TestimonyClause.objects.bulk_create(
        [TestimonyClause(testimony=published, clause=clause, relation="invoked")]
    )
    assert published.public_id in _search(client, clause=code)


def test_the_admins_bulk_delete_shows_on_the_next_search(client, admin_client, published):
    authority = Authority.objects.create(slug="short-lived", name="Short-lived authority")
    published.incidents.get().authorities.add(authority)
    assert "Short-lived authority" in _search(client, expand="authority")
    response = admin_client.post(
        reverse("admin:testimonies_authority_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [authority.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert "Short-lived authority" not in _search(client, expand="authority")


def test_saving_a_draft_leaves_the_token_alone(published):
    draft = factories.make_testimony()
    before = current_generation()
    draft.body_source += "\n\nMore."
    draft.save()
    Testimony.objects.filter(pk=draft.pk).update(nationality="shan")
    RaidIncident.objects.create(
        title="Draft raid", date="2012-01-01", province="tak", venue_type="karaoke"
    )
    assert current_generation() == before
