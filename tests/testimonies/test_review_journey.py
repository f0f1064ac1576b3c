"""The review journey in the admin: the law named beside every link, warnings for unlikely
laws, the publish confirmation in full, and the workflow buttons on the record's page."""

import datetime
from pathlib import Path

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from laws.models import Clause, Law
from laws.services import clause_versions_fill
from testimonies import services
from testimonies.models import Status, Testimony
from tests.support import factories
from tests.support.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:testimonies_testimony_changelist"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def change_url(testimony: Testimony) -> str:
    return reverse("admin:testimonies_testimony_change", args=[testimony.pk])


def publish_url(testimony: Testimony) -> str:
    return reverse("admin:testimonies_testimony_publish", args=[testimony.pk])


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def laws():
    """An Act of 2008, a treaty Thailand joined in 2013, one it joined in 1996, one it never did."""
    atipa = factories.make_law(short_name="ATIPA 2008", title_en="Anti-Trafficking Act", year=2008)
    protocol = factories.make_law(
        short_name="Palermo Protocol",
        title_en="Trafficking Protocol",
        jurisdiction=Law.Jurisdiction.INTERNATIONAL,
        kind=Law.Kind.PROTOCOL,
        year=2000,
        ratification_status=Law.Ratification.RATIFIED,
        ratification_date=datetime.date(2013, 10, 17),
    )
    covenant = factories.make_law(
        short_name="ICCPR",
        title_en="Civil and Political Rights Covenant",
        jurisdiction=Law.Jurisdiction.INTERNATIONAL,
        kind=Law.Kind.TREATY,
        year=1966,
        ratification_status=Law.Ratification.ACCEDED,
        ratification_date=datetime.date(1996, 10, 29),
    )
    unsigned = factories.make_law(
        short_name="Migrant Workers Convention",
        title_en="Convention on Migrant Workers",
        jurisdiction=Law.Jurisdiction.INTERNATIONAL,
        kind=Law.Kind.TREATY,
        year=1990,
        ratification_status=Law.Ratification.NOT_PARTY,
    )
    return {
        "atipa": factories.make_clause(law=atipa, number="s. 29", heading="Temporary custody"),
        "protocol": factories.make_clause(law=protocol, number="Art. 6", heading="Assistance"),
        "covenant": factories.make_clause(law=covenant, number="Art. 9", heading="Liberty"),
        "unsigned": factories.make_clause(law=unsigned, number="Art. 16", heading="Detention"),
    }


class UnlikelyLinkTests:
    def test_each_law_not_binding_in_the_year_of_events_is_named(self, laws):
        testimony = factories.make_testimony(year_of_events=2005)
        for clause in laws.values():
            testimony.clause_links.create(clause=clause, relation="invoked")
        warnings = services.unlikely_links(testimony)
        assert len(warnings) == 3
        joined = " ".join(warnings)
        assert "ATIPA 2008, s. 29" in joined and "adopted after the events (2005)" in joined
        assert "only from 2013" in joined
        assert "has not ratified" in joined and "Migrant Workers" in joined
        assert "ICCPR" not in joined

    def test_a_law_in_force_and_binding_is_not_flagged(self, laws):
        testimony = factories.make_testimony(year_of_events=2014)
        for name in ("atipa", "protocol", "covenant"):
            testimony.clause_links.create(clause=laws[name], relation="violated")
        assert services.unlikely_links(testimony) == []

    def test_clauses_a_violation_breached_are_checked_too(self, laws):
        testimony = factories.make_testimony(year_of_events=2005)
        violation = testimony.violations.create(
            violation_type=factories.make_violation_type(), perpetrator="police"
        )
        violation.clauses_breached.add(laws["atipa"])
        assert "ATIPA 2008, s. 29" in services.unlikely_links(testimony)[0]

    def test_saving_warns_but_keeps_the_links(self, client, editor, laws):
        testimony = factories.make_testimony(year_of_events=2005)
        client.force_login(editor)
        data = change_form_data(client.get(change_url(testimony)))
        data["clause_links-0-clause"] = str(laws["atipa"].pk)
        data["clause_links-0-relation"] = "invoked"
        response = client.post(change_url(testimony), data)
        assert response.status_code == 302
        warnings = [text for level, text in messages_of(response) if level == "warning"]
        assert any("ATIPA 2008, s. 29" in text and "after the events" in text for text in warnings)
        assert testimony.clause_links.get().clause == laws["atipa"]


@pytest.fixture
def versioned_laws():
    """The archive's own laws with their amendments, as readers are shown them."""
    for name in ("laws.json", "law_versions.json"):
        call_command("loaddata", str(FIXTURES / name), verbosity=0)
    clause_versions_fill()


def fixture_clause(law_slug: str, clause_slug: str) -> Clause:
    return Clause.objects.get(law__slug=law_slug, slug=clause_slug)


def linked(clause: Clause, *, year: int) -> Testimony:
    testimony = factories.make_testimony(year_of_events=year)
    testimony.clause_links.create(clause=clause, relation="invoked")
    return testimony


class NotInForceTests:
    """Warnings read the clause's versions over the period the public page reads it in."""

    def test_an_atipa_clause_warns_for_2005_and_not_for_2010(self, versioned_laws):
        atipa_6 = fixture_clause("atipa-2008", "s-6")
        before = " ".join(services.unlikely_links(linked(atipa_6, year=2005)))
        assert atipa_6.citation in before and "adopted after the events (2005)" in before
        assert services.unlikely_links(linked(atipa_6, year=2010)) == []

    def test_a_clause_added_by_a_later_amendment_warns(self, versioned_laws):
        # The Entertainment Places Act is of 1966; its s. 16/1 came with No. 4, in force 2004.
        added = fixture_clause("epa-1966", "s-16-slash-1")
        first_day = added.versions.get().valid_from
        warnings = services.unlikely_links(linked(added, year=first_day.year - 1))
        assert len(warnings) == 1
        assert f"came into force only on {first_day.isoformat()}" in warnings[0]
        assert services.unlikely_links(linked(added, year=first_day.year + 1)) == []
        # A clause of the same law that existed all along is not flagged.
        assert services.unlikely_links(linked(fixture_clause("epa-1966", "s-16"), year=2003)) == []

    def test_a_raid_before_entry_into_force_in_the_same_year_warns(self, versioned_laws):
        atipa_6 = fixture_clause("atipa-2008", "s-6")
        in_force = atipa_6.versions.order_by("valid_from").first().valid_from
        before = in_force - datetime.timedelta(days=31)
        testimony = linked(atipa_6, year=in_force.year)
        assert services.unlikely_links(testimony) == []
        raid = factories.publish_incident(date=before, date_precision="month")
        raid.testimonies.add(testimony)
        warnings = services.unlikely_links(testimony)
        assert len(warnings) == 1 and f"only on {in_force.isoformat()}" in warnings[0]
        assert f"({before.replace(day=1).isoformat()}/" in warnings[0]

    def test_a_draft_raid_does_not_narrow_the_period(self, versioned_laws):
        atipa_6 = fixture_clause("atipa-2008", "s-6")
        in_force = atipa_6.versions.order_by("valid_from").first().valid_from
        testimony = linked(atipa_6, year=in_force.year)
        factories.make_incident(date=in_force.replace(day=1, month=1)).testimonies.add(testimony)
        assert services.unlikely_links(testimony) == []

    def test_saving_in_the_admin_warns_of_a_clause_not_yet_in_force(
        self, client, editor, versioned_laws
    ):
        added = fixture_clause("epa-1966", "s-16-slash-1")
        testimony = factories.make_testimony(year_of_events=2003)
        client.force_login(editor)
        data = change_form_data(client.get(change_url(testimony)))
        data["clause_links-0-clause"] = str(added.pk)
        data["clause_links-0-relation"] = "invoked"
        response = client.post(change_url(testimony), data)
        assert response.status_code == 302
        warnings = [text for level, text in messages_of(response) if level == "warning"]
        assert any(
            added.citation in text and "came into force only on" in text for text in warnings
        )


class LawShownOnTheChangeFormTests:
    def test_each_linked_clause_shows_its_law_in_full(self, client, editor, laws):
        testimony = factories.make_testimony()
        testimony.clause_links.create(clause=laws["protocol"], relation="not-applied")
        client.force_login(editor)
        page = client.get(change_url(testimony)).content.decode()
        assert "Palermo Protocol: Trafficking Protocol (2000)" in page


class PublishConfirmationTests:
    def test_every_link_is_listed_in_full_for_each_testimony(self, client, reviewer, laws):
        records = []
        for name in ("atipa", "covenant"):
            testimony = factories.make_testimony(year_of_events=2012)
            factories.make_consent(testimony)
            testimony.clause_links.create(clause=laws[name], relation="invoked")
            records.append(services.send_to_review(record=testimony, by=reviewer))
        violation = records[0].violations.create(
            violation_type=factories.make_violation_type(label="Held in a shelter"),
            perpetrator="police",
        )
        violation.clauses_breached.add(laws["protocol"])
        client.force_login(reviewer)
        response = client.post(
            reverse(CHANGELIST),
            {"action": "publish", ACTION_CHECKBOX_NAME: [r.pk for r in records]},
        )
        page = response.content.decode()
        for clause in (laws["atipa"], laws["covenant"], laws["protocol"]):
            assert clause.number in page and clause.heading in page
            assert clause.law.title_en in page
        assert "Held in a shelter" in page
        # The protocol bound Thailand only from 2013; the events were in 2012.
        assert "only from 2013" in page
        assert set(Testimony.objects.values_list("status", flat=True)) == {Status.IN_REVIEW}

        response = client.post(
            reverse(CHANGELIST),
            {
                "action": "publish",
                ACTION_CHECKBOX_NAME: [r.pk for r in records],
                "confirm_publication": "yes",
            },
            follow=True,
        )
        assert "2 testimonies published." in response.content.decode()
        assert set(Testimony.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


class WorkflowButtonTests:
    def test_editor_sees_send_to_review_and_not_publish(self, client, editor):
        client.force_login(editor)
        page = client.get(reverse("admin:testimonies_testimony_add")).content.decode()
        assert 'name="_send_to_review"' in page and 'name="_publish"' not in page

    def test_reviewer_sees_publish_on_a_record_in_review(self, client, reviewer):
        testimony = services.send_to_review(record=factories.make_testimony(), by=reviewer)
        client.force_login(reviewer)
        page = client.get(change_url(testimony)).content.decode()
        assert 'name="_publish"' in page and 'name="_send_to_review"' not in page

    def test_save_and_send_to_review_from_the_change_page(self, client, editor):
        testimony = factories.make_testimony(title="Kept at the station")
        client.force_login(editor)
        data = change_form_data(client.get(change_url(testimony)))
        data["_send_to_review"] = "Save and send to review"
        response = client.post(change_url(testimony), data)
        assert response.status_code == 302 and response.url == reverse(CHANGELIST)
        assert ("success", "1 testimony sent to review.") in messages_of(response)
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW

    def test_an_editor_cannot_publish_through_the_button_or_its_page(self, client, editor):
        testimony = services.send_to_review(record=factories.make_testimony(), by=editor)
        factories.make_consent(testimony)
        client.force_login(editor)
        data = change_form_data(client.get(change_url(testimony)))
        data["_publish"] = "Save and publish"
        assert client.post(change_url(testimony), data).status_code == 403
        assert client.get(publish_url(testimony)).status_code == 403
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW

    def test_one_who_may_only_edit_cannot_send_to_review(self, client, db):
        # Someone who may change testimonies but holds no workflow permission.
        user = factories.make_user("Editor")
        user.groups.clear()
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_testimony", "change_testimony"])
        )
        testimony = factories.make_testimony()
        client.force_login(user)
        data = change_form_data(client.get(change_url(testimony)))
        data["_send_to_review"] = "Save and send to review"
        assert client.post(change_url(testimony), data).status_code == 403
        testimony.refresh_from_db()
        assert testimony.status == Status.DRAFT

    def test_save_and_publish_confirms_then_publishes(self, client, reviewer, laws):
        testimony = services.send_to_review(
            record=factories.make_testimony(year_of_events=2012), by=reviewer
        )
        testimony.clause_links.create(clause=laws["atipa"], relation="invoked")
        client.force_login(reviewer)
        data = change_form_data(client.get(change_url(testimony)))
        # The consent step on the same page: recorded with the save.
        data.update(
            {
                "consent-0-scope": "full",
                "consent-0-basis": "written",
                "consent-0-given_on": "2012-03-01",
                "_publish": "Save and publish",
            }
        )
        response = client.post(change_url(testimony), data)
        assert response.status_code == 302 and response.url == publish_url(testimony)
        confirmation = client.get(publish_url(testimony)).content.decode()
        assert "ATIPA 2008" in confirmation and "Temporary custody" in confirmation
        assert f'action="{reverse(CHANGELIST)}"' in confirmation
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW
        response = client.post(
            reverse(CHANGELIST),
            {
                "action": "publish",
                ACTION_CHECKBOX_NAME: [testimony.pk],
                "confirm_publication": "yes",
            },
            follow=True,
        )
        assert "1 testimony published." in response.content.decode()
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED

    def test_a_refusal_for_want_of_consent_links_to_the_consent_step(self, client, reviewer):
        testimony = services.send_to_review(record=factories.make_testimony(), by=reviewer)
        client.force_login(reviewer)
        response = client.get(publish_url(testimony))
        assert response.status_code == 302 and response.url == change_url(testimony)
        [(level, text)] = messages_of(response)
        assert level == "error" and "no consent recorded" in text
        assert f'href="{change_url(testimony)}#consent-group"' in text
        page = client.get(response.url).content.decode()
        assert 'id="consent-group"' in page


class ReviewListTests:
    def test_reviewers_see_consent_on_the_list_and_editors_do_not(self, client, reviewer, editor):
        with_consent = factories.make_testimony(title="With consent")
        factories.make_consent(with_consent, scope="excerpts")
        factories.make_testimony(title="Without consent")
        client.force_login(reviewer)
        page = client.get(reverse(CHANGELIST)).content.decode()
        assert "None recorded" in page and "Publish excerpts only" in page
        client.force_login(editor)
        page = client.get(reverse(CHANGELIST)).content.decode()
        assert "None recorded" not in page
