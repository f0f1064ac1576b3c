"""The index generation is renewed, and the change logged, by the database itself.

Workers bring their facet columns up to date when the token changes; these
tests change every table the facets read the ways code and the admin can (a
queryset update, a bulk insert, a delete, the admin's bulk delete) and check
the token moved and the next search shows the change, on both databases.
Saving a draft leaves the token alone: nothing public changed. Then, after
each kind of change, the columns a worker follows from the change log equal
those of a full read.
"""

import io

import numpy as np
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.urls import reverse

from laws.models import Clause, Law
from testimonies import services
from testimonies.models import (
    Authority,
    FacetChange,
    RaidIncident,
    RightsViolation,
    SearchDocument,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from testimonies.search import columns, index
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


# --- Following changes: a worker reads only what the change log names ---------------------
#
# After each kind of change, the facet data a worker brings up to date from the
# log must equal, column for column, the facet data of a full read.


def _build() -> columns.FacetData:
    generation = index.current_generation()
    return columns.build_facet_data(generation, index.last_change())


def _follow(data: columns.FacetData) -> columns.FacetData:
    return columns.follow_changes(data, index.current_generation())


def _column_arrays(data: columns.FacetData) -> dict[str, object]:
    rows = ("ids", "years", "published_order", "recorded_order", "published_key", "recorded_key")
    arrays: dict[str, object] = {name: getattr(data, name) for name in rows}
    for name, column in data.columns.items():
        arrays[f"{name}.values"] = [(value.code, str(value.label)) for value in column.values]
        for part in ("codes", "doc_index", "value_index"):
            arrays[f"{name}.{part}"] = getattr(column, part)
    for part in ("years", "doc_index", "raid_index"):
        arrays[f"raids.{part}"] = getattr(data.raids, part)
    for part in ("law_of_clause", "doc_index", "link_index"):
        arrays[f"practice.{part}"] = getattr(data.practice, part)
    for part in ("laws", "clauses"):
        arrays[f"practice.{part}"] = [value.code for value in getattr(data.practice, part)]
    return arrays


def assert_same_columns(followed: columns.FacetData, built: columns.FacetData) -> None:
    expected = _column_arrays(built)
    for name, value in _column_arrays(followed).items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, expected[name], err_msg=name)
        else:
            assert value == expected[name], name
    assert followed.generation == built.generation


@pytest.fixture
def reviewer():
    return factories.make_user("Reviewer")


@pytest.fixture
def archive(published, reviewer) -> dict[str, Testimony]:
    """Three published testimonies around ``published``, and one left in draft."""
    earlier = factories.publish_testimony(
        factories.make_testimony(nationality="lao", date_recorded="2019-05-01")
    )
    later = factories.make_testimony(province="tak", date_recorded="2008-01-01")
    later.violations.create(
        violation_type=published.violations.get().violation_type, perpetrator="police"
    )
    later = factories.publish_testimony(later)
    return {"published": published, "earlier": earlier, "later": later}


def _publish_new(archive, reviewer):
    testimony = factories.make_testimony(nationality="cambodian", year_of_events=2015)
    testimony.clause_links.create(
        clause=archive["published"].clause_links.get().clause, relation="invoked"
    )
    testimony = factories.publish_testimony(testimony)
    archive["published"].incidents.get().testimonies.add(testimony)


def _correct(archive, reviewer):
    testimony = archive["earlier"]
    testimony.nationality = "shan"
    testimony.date_recorded = None
    testimony.save()
    services.testimony_publish(testimony=testimony, by=reviewer, correction_note="Corrected.")


INCREMENTAL_CHANGES = {
    "published": _publish_new,
    "facet value corrected": _correct,
    "clause link added": lambda a, r: TestimonyClause.objects.create(
        testimony=a["later"], clause=a["published"].clause_links.get().clause, relation="other"
    ),
    "clause link removed": lambda a, r: TestimonyClause.objects.filter(
        testimony=a["published"]
    ).delete(),
    "clause link's relation changed": lambda a, r: TestimonyClause.objects.filter(
        testimony=a["published"]
    ).update(relation="not-applied"),
    "violation added": lambda a, r: RightsViolation.objects.create(
        testimony=a["earlier"],
        violation_type=a["published"].violations.get().violation_type,
        perpetrator="police",
    ),
    "violation removed": lambda a, r: RightsViolation.objects.filter(testimony=a["later"]).delete(),
    "raid link added": lambda a, r: a["published"].incidents.get().testimonies.add(a["earlier"]),
    "raid link removed": lambda a, r: a["published"].incidents.get().testimonies.clear(),
    "withdrawn": lambda a, r: services.withdraw(record=a["published"], by=r),
    "deleted": lambda a, r: Testimony.objects.filter(pk=a["later"].pk).delete(),
    "draft edited": lambda a, r: factories.make_testimony().save(),
    # Ties in both orders (same moment, no recording date), broken by id as a full read does.
    "published at one moment": lambda a, r: Testimony.objects.filter(
        pk__in=[a["later"].pk, a["published"].pk]
    ).update(first_published_at=a["earlier"].first_published_at, date_recorded=None),
}


@pytest.mark.parametrize("change", INCREMENTAL_CHANGES.values(), ids=INCREMENTAL_CHANGES.keys())
def test_following_a_change_gives_the_columns_of_a_full_read(archive, reviewer, change):
    before = _build()
    change(archive, reviewer)
    followed = _follow(before)
    # Read incrementally: the vocabulary of the last full read is still the one in use.
    assert followed.vocabulary is before.vocabulary
    assert_same_columns(followed, _build())


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_write_to_what_facets_read_is_followed_exactly(archive, change):
    before = _build()
    change(archive["published"])
    assert_same_columns(_follow(before), _build())


def test_a_links_relation_is_followed_in_the_practice_counts(archive):
    published = archive["published"]
    link = published.clause_links.select_related("clause__law").get()
    before = _build()
    TestimonyClause.objects.filter(pk=link.pk).update(relation="not-applied")
    followed = _follow(before)
    year = published.year_of_events
    counted = followed.practice.counts(None, followed.years, by_law=True, only=link.clause.law.slug)
    assert (link.clause.law.slug, "not-applied", year, 1) in counted
    assert (link.clause.law.slug, link.relation, year, 1) not in counted
    assert_same_columns(followed, _build())


def test_a_withdrawn_testimony_is_never_counted(archive, reviewer):
    before = _build()
    withdrawn = archive["published"]
    services.withdraw(record=withdrawn, by=reviewer)
    followed = _follow(before)
    assert withdrawn.pk not in followed.ids.tolist()
    assert len(followed.positions([withdrawn.pk])) == 0
    assert sum(followed.totals("nationality").values()) == before.size - 1
    assert sum(followed.totals("violation").values()) == 1  # only ``later``'s remains


def test_two_workers_at_different_changes_converge(archive, reviewer):
    first = _build()
    _correct(archive, reviewer)
    second = _follow(first)
    third = _build()
    _publish_new(archive, reviewer)
    services.withdraw(record=archive["later"], by=reviewer)
    built = _build()
    for worker in (_follow(first), _follow(second), _follow(third)):
        assert_same_columns(worker, built)


def test_a_renamed_vocabulary_makes_the_worker_read_everything(archive):
    before = _build()
    CHANGES["law renamed"](archive["published"])
    followed = _follow(before)
    assert followed.vocabulary is not before.vocabulary
    assert "Renamed Act" in [str(value.label) for value in followed.columns["law"].values]


def test_a_pruned_log_makes_the_worker_read_everything(archive, reviewer):
    before = _build()
    _correct(archive, reviewer)
    assert index.prune_changes(keep=1) > 0
    followed = _follow(before)
    assert followed.vocabulary is not before.vocabulary
    assert_same_columns(followed, _build())


def test_a_change_id_given_again_is_not_taken_for_the_one_seen(archive, reviewer):
    """A restored backup or a rolled-back transaction can hand out an id again."""
    before = _build()
    assert before.change is not None
    FacetChange.objects.filter(id=before.change.id).update(token="0" * 32)
    _correct(archive, reviewer)
    followed = _follow(before)
    assert followed.vocabulary is not before.vocabulary
    assert_same_columns(followed, _build())


def test_a_restore_makes_every_worker_read_everything(archive):
    before = _build()
    index.bump_generation()  # as ``manage.py restore`` does
    assert _follow(before).vocabulary is not before.vocabulary


def test_pruning_keeps_the_newest_change(archive):
    newest = FacetChange.objects.order_by("-id").first()
    index.prune_changes(keep=0)
    assert list(FacetChange.objects.all()) == [newest]


def test_the_search_page_follows_a_publication_without_reading_everything(client, archive):
    _search(client)
    held = columns._cached
    assert held is not None
    testimony = factories.publish_testimony(title="Published after the page was read")
    assert testimony.public_id in _search(client, q='"Published after the page"')
    assert columns._cached is not None and columns._cached.vocabulary is held.vocabulary


def test_the_prune_command_keeps_the_newest_changes(archive):
    ids = list(FacetChange.objects.order_by("id").values_list("id", flat=True))
    out = io.StringIO()
    call_command("prune_facet_changes", "--keep", "2", stdout=out)
    assert list(FacetChange.objects.order_by("id").values_list("id", flat=True)) == ids[-2:]
    assert f"Deleted {len(ids) - 2} " in out.getvalue()
