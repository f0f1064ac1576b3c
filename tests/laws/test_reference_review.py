"""An editor's change to a law, clause or violation type is not public until a reviewer
publishes it: through the admin as served, on the public pages, the API and the search."""

import pytest
from django.urls import reverse

from laws import services
from laws.models import Clause, Law, ReferenceChange
from testimonies.models import ViolationType
from testimonies.search import index as indexing
from tests.support import factories
from tests.support.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

OLD_SUMMARY = "Requests are answered within the period the law sets."
NEW_SUMMARY = "Requests are answered within fifteen days, says zqnewsummaryqz."
NEW_HEADING = "Answering zqnewheadingqz"


@pytest.fixture
def clause() -> Clause:
    law = factories.make_law(slug="atipa-2008", short_name="ATIPA 2008")
    return factories.make_clause(
        law=law, slug="s-29", number="s. 29", heading="Answering requests", summary=OLD_SUMMARY
    )


def _login(client, user):
    client.force_login(user)
    return client


def _propose_clause_change(client, clause: Clause):
    """The editor opens the clause's admin page, edits heading and summary, saves."""
    url = reverse("admin:laws_clause_change", args=[clause.pk])
    data = change_form_data(client.get(url))
    data.update(summary=NEW_SUMMARY, heading=NEW_HEADING)
    return client.post(url, data)


def _public_texts(client, clause: Clause) -> str:
    """The clause's public page, its API record and the law list's search for the new heading."""
    api = reverse(
        "api:clause-detail", kwargs={"law_slug": clause.law.slug, "clause_slug": clause.slug}
    )
    pages = [
        client.get(clause.get_absolute_url()),
        client.get(api),
        client.get("/laws/", {"find": "zqnewheadingqz"}),
    ]
    assert [page.status_code for page in pages] == [200, 200, 200]
    return "\n".join(page.content.decode() for page in pages)


def test_an_editors_change_to_a_clause_waits_for_a_reviewer(client, editor, reviewer, clause):
    generation = indexing.current_generation()
    response = _propose_clause_change(_login(client, editor), clause)
    assert response.status_code == 302
    change = ReferenceChange.objects.get()
    page = client.get(response["Location"], follow=True).content.decode()
    assert (
        "Your change to ATIPA 2008, s. 29 was sent to review; it is not public until a "
        "reviewer publishes it."
    ) in page
    assert change.status == ReferenceChange.Status.IN_REVIEW
    assert change.author == editor
    assert change.proposed["summary"] == NEW_SUMMARY
    assert change.based_on["summary"] == OLD_SUMMARY
    clause.refresh_from_db()
    assert clause.summary == OLD_SUMMARY
    assert indexing.current_generation() == generation

    client.logout()
    before = _public_texts(client, clause)
    assert OLD_SUMMARY in before
    assert "zqnewsummaryqz" not in before
    assert NEW_HEADING not in before  # the search echoes the word typed, never the heading

    # The reviewer reads the change field by field, then publishes it.
    _login(client, reviewer)
    review_page = client.get(reverse("admin:laws_referencechange_change", args=[change.pk]))
    assert review_page.status_code == 200
    review_text = review_page.content.decode()
    assert "<ins>Requests are answered within fifteen days, says zqnewsummaryqz.</ins>" in (
        review_text
    )
    assert f"<del>{OLD_SUMMARY}</del>" in review_text
    published = client.post(reverse("admin:laws_referencechange_publish", args=[change.pk]))
    assert published.status_code == 302
    assert "The change to ATIPA 2008, s. 29 is published." in (
        client.get(published["Location"]).content.decode()
    )
    assert indexing.current_generation() != generation

    client.logout()
    after = _public_texts(client, clause)
    assert "zqnewsummaryqz" in after
    assert after.count(NEW_HEADING) >= 3  # the page, the API, the search's answer
    assert OLD_SUMMARY not in after

    change.refresh_from_db()
    assert (change.status, change.reviewer, change.author) == ("published", reviewer, editor)
    latest = clause.history.latest()
    assert latest.history_user == reviewer
    assert latest.summary == NEW_SUMMARY
    assert f"Proposed change {change.pk}" in latest.history_change_reason
    assert change.history.earliest().history_user == editor
    assert change.history.latest().history_user == reviewer


def test_a_new_violation_type_is_not_public_until_published(client, editor, reviewer):
    url = reverse("admin:testimonies_violationtype_add")
    _login(client, editor)
    response = client.post(
        url,
        {
            "slug": "zq-proposed-type",
            "label": "Held zqproposedlabelqz",
            "label_th": "",
            "scope_note": "A proposed kind of violation.",
            "scope_note_th": "",
            "order": "9",
        },
    )
    assert response.status_code == 302
    assert "Your new violation type Held zqproposedlabelqz was sent to review" in (
        client.get(response["Location"]).content.decode()
    )
    assert not ViolationType.objects.filter(slug="zq-proposed-type").exists()
    change = ReferenceChange.objects.get()
    assert change.target_id is None

    def public() -> tuple[str, int]:
        """The vocabulary in the API, and the type's own API record."""
        client.logout()
        listing = client.get(reverse("api:violation-type-list")).content.decode()
        detail = client.get(reverse("api:violation-type-detail", args=["zq-proposed-type"]))
        return listing, detail.status_code

    shown, status = public()
    assert "zqproposedlabelqz" not in shown
    assert status == 404

    services.reference_change_publish(change=change, by=reviewer)
    made = ViolationType.objects.get(slug="zq-proposed-type")
    assert made.label == "Held zqproposedlabelqz"
    shown, status = public()
    assert "zqproposedlabelqz" in shown
    assert status == 200
    change.refresh_from_db()
    assert change.target_id == made.pk


def test_a_renamed_violation_type_shows_in_the_search_facets_once_published(
    client, editor, reviewer
):
    kind = factories.make_violation_type(label="Detained in a shelter")
    testimony = factories.make_testimony()
    testimony.violations.create(violation_type=kind, perpetrator="police")
    factories.publish_testimony(testimony)
    url = reverse("admin:testimonies_violationtype_change", args=[kind.pk])
    _login(client, editor)
    data = change_form_data(client.get(url))
    data["label"] = "Held zqrenamedqz"
    assert client.post(url, data).status_code == 302

    def facets() -> str:
        client.logout()
        return client.get(reverse("testimonies:testimony_list")).content.decode()

    assert "Detained in a shelter" in facets()
    assert "zqrenamedqz" not in facets()
    services.reference_change_publish(change=ReferenceChange.objects.get(), by=reviewer)
    assert "Held zqrenamedqz" in facets()
    assert "Detained in a shelter" not in facets()


def test_a_violation_types_clauses_are_proposed_too(client, editor, reviewer, clause):
    kind = factories.make_violation_type(label="Detained")
    url = reverse("admin:testimonies_violationtype_change", args=[kind.pk])
    _login(client, editor)
    data = change_form_data(client.get(url))
    data["clauses"] = [str(clause.pk)]
    assert client.post(url, data).status_code == 302
    assert list(kind.clauses.all()) == []
    services.reference_change_publish(change=ReferenceChange.objects.get(), by=reviewer)
    assert list(kind.clauses.all()) == [clause]


def test_reject_leaves_the_record_unchanged(client, editor, reviewer, clause):
    _propose_clause_change(_login(client, editor), clause)
    change = ReferenceChange.objects.get()
    _login(client, reviewer)
    response = client.post(
        reverse("admin:laws_referencechange_reject", args=[change.pk]),
        {"note": "Say which days count."},
    )
    assert response.status_code == 302
    assert (
        "is rejected; the record is unchanged" in client.get(response["Location"]).content.decode()
    )
    change.refresh_from_db()
    clause.refresh_from_db()
    assert (change.status, change.note, change.reviewer) == (
        "rejected",
        "Say which days count.",
        reviewer,
    )
    assert clause.summary == OLD_SUMMARY
    # A decided change is decided for good.
    again = client.post(
        reverse("admin:laws_referencechange_publish", args=[change.pk]), follow=True
    )
    assert "is already rejected" in again.content.decode()
    clause.refresh_from_db()
    assert clause.summary == OLD_SUMMARY


def test_a_stale_proposal_is_refused_with_a_message(client, editor, reviewer, clause):
    _propose_clause_change(_login(client, editor), clause)
    change = ReferenceChange.objects.get()
    Clause.objects.filter(pk=clause.pk).update(summary="A newer summary from the statute book.")
    _login(client, reviewer)
    page = client.get(reverse("admin:laws_referencechange_change", args=[change.pk]))
    assert "The record has changed since this change was proposed" in page.content.decode()
    response = client.post(
        reverse("admin:laws_referencechange_publish", args=[change.pk]), follow=True
    )
    assert response.status_code == 200
    assert "ATIPA 2008, s. 29 has changed since this change was proposed" in (
        response.content.decode()
    )
    clause.refresh_from_db()
    assert clause.summary == "A newer summary from the statute book."
    change.refresh_from_db()
    assert change.status == ReferenceChange.Status.IN_REVIEW


def test_an_invalid_proposal_is_refused_with_a_message(client, editor, reviewer, clause):
    factories.make_clause(law=clause.law, slug="s-30", number="s. 30")
    url = reverse("admin:laws_clause_change", args=[clause.pk])
    _login(client, editor)
    data = change_form_data(client.get(url))
    data["slug"] = "s-31"
    client.post(url, data)
    change = ReferenceChange.objects.get()
    # Another clause takes the slug before the reviewer gets to it.
    factories.make_clause(law=clause.law, slug="s-31", number="s. 31")
    _login(client, reviewer)
    response = client.post(
        reverse("admin:laws_referencechange_publish", args=[change.pk]), follow=True
    )
    assert response.status_code == 200
    assert "The change to ATIPA 2008, s. 29 cannot be published:" in response.content.decode()
    clause.refresh_from_db()
    assert clause.slug == "s-29"


def test_an_editor_cannot_bypass_review_through_the_law_inline_nor_delete(client, editor, clause):
    law = clause.law
    url = reverse("admin:laws_law_change", args=[law.pk])
    _login(client, editor)
    page = client.get(url)
    inline = page.context["inline_admin_formsets"][0]
    assert not inline.has_change_permission and not inline.has_add_permission
    data = change_form_data(page)
    data.update(
        {
            "clauses-TOTAL_FORMS": "1",
            "clauses-INITIAL_FORMS": "1",
            "clauses-MIN_NUM_FORMS": "0",
            "clauses-MAX_NUM_FORMS": "1000",
            "clauses-0-id": str(clause.pk),
            "clauses-0-law": str(law.pk),
            "clauses-0-number": "s. 29",
            "clauses-0-slug": "s-29",
            "clauses-0-heading": "Heading zqinlineqz",
            "clauses-0-parent": "",
            "clauses-0-order": "1",
        }
    )
    assert client.post(url, data).status_code == 302
    clause.refresh_from_db()
    assert clause.heading == "Answering requests"
    # The law's own values went to review; the clause's posted row went nowhere.
    assert "zqinlineqz" not in str(ReferenceChange.objects.get().proposed)

    delete = client.post(reverse("admin:laws_clause_delete", args=[clause.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Clause.objects.filter(pk=clause.pk).exists()
    assert Law.objects.filter(pk=law.pk).exists()


def test_an_editor_cannot_publish_their_own_change(client, editor, clause):
    _propose_clause_change(_login(client, editor), clause)
    change = ReferenceChange.objects.get()
    response = client.post(reverse("admin:laws_referencechange_publish", args=[change.pk]))
    assert response.status_code == 403
    with pytest.raises(services.ReferenceChangeRefused, match="do not have permission"):
        services.reference_change_publish(change=change, by=editor)
    clause.refresh_from_db()
    assert clause.summary == OLD_SUMMARY


def test_a_reviewers_own_save_is_direct(client, reviewer, clause):
    _propose_clause_change(_login(client, reviewer), clause)
    clause.refresh_from_db()
    assert clause.summary == NEW_SUMMARY
    assert not ReferenceChange.objects.exists()


def test_other_writers_of_reference_data_are_not_staged(clause):
    # The fill command, fixtures and scripts write through the ORM, as before.
    assert services.clause_versions_fill() == 1
    assert clause.versions.count() == 1
    assert not ReferenceChange.objects.exists()


def test_publishing_a_proposal_that_does_not_exist_is_a_404(client, reviewer):
    _login(client, reviewer)
    for path in ["999999", "not-a-number"]:
        url = reverse("admin:laws_referencechange_publish", args=[path])
        assert client.post(url).status_code == 404
