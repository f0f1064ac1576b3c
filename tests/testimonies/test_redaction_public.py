"""Redaction and excerpts hold on every public surface; the admin checks and warns."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from testimonies import redaction, services
from testimonies.models import Status, Testimony, TestimonyVersion
from tests import factories, surfaces
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

# A made-up name that appears nowhere else, in English and in Thai.
NAME = "Zorbanak"
THAI_NAME = "สมปองนาค"
SOURCE_TITLE = f"A raid at the [[venue:{NAME} Palace]] karaoke"
SOURCE_SUMMARY = f"[[name:{NAME}]] describes a raid on [[date:12 March 2010]]."
SOURCE_BODY = (
    f"The raid came at night. [[name:{NAME}]] was standing by the door.\n\n"
    f"Later the shelter staff called me by my name; [[name:{THAI_NAME}]] cried.\n\n"
    "We were kept three months without a word from anyone."
)


def _surfaces(testimony: Testimony) -> list[str]:
    base = testimony.get_absolute_url()
    search = reverse("testimonies:testimony_list")
    return [
        base,
        base + "v1/",
        base + "cite.bib",
        base + "cite.ris",
        base + "cite.json",
        base + "v1/cite.json",
        search,
        search + "?q=raid",
        search + "?q=shelter+staff",
        search + "?q=withheld",
        reverse("testimonies:home"),
    ]


@pytest.fixture
def redacted(db) -> Testimony:
    return factories.publish_testimony(
        title=SOURCE_TITLE, summary=SOURCE_SUMMARY, body=SOURCE_BODY, narrator_pseudonym="Ploy"
    )


class RedactedOnEveryPublicSurfaceTests:
    def test_the_public_fields_hold_the_rendering_and_the_source_keeps_the_markers(self, redacted):
        assert redacted.title == "A raid at the [venue withheld] karaoke"
        assert redacted.summary == "[name withheld] describes a raid on [date withheld]."
        assert NAME not in redacted.body and "[name withheld] was standing" in redacted.body
        assert f"[[name:{NAME}]]" in redacted.body_source
        version = TestimonyVersion.objects.get(testimony=redacted)
        for text in (version.title, version.summary, version.body):
            assert NAME not in text and THAI_NAME not in text
        assert NAME.lower() not in redacted.search_document.text

    def test_no_page_snippet_or_citation_shows_the_name(self, client, redacted):
        for url in _surfaces(redacted):
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            for hidden in (NAME, THAI_NAME, "12 March 2010"):
                assert hidden not in page, (url, hidden)
        page = client.get(redacted.get_absolute_url()).content.decode()
        assert "[name withheld] was standing by the door" in page
        snippet_page = client.get(reverse("testimonies:testimony_list"), {"q": "door"})
        assert redacted.public_id in snippet_page.content.decode()

    @pytest.mark.parametrize("query", [NAME, NAME.lower(), THAI_NAME, f'"{NAME} Palace"'])
    def test_searching_for_the_redacted_name_finds_nothing(self, client, redacted, query):
        response = client.get(reverse("testimonies:testimony_list"), {"q": query})
        assert response.status_code == 200
        assert response.context["result"].total == 0
        assert redacted.public_id not in response.content.decode()

    def test_a_correction_keeps_the_rendering_in_every_version(self, client, redacted, reviewer):
        redacted.body_source = SOURCE_BODY + f"\n\nAdded: [[name:{NAME}]] came back."
        redacted.save()
        services.publish(record=redacted, by=reviewer, correction_note="Paragraph added")
        assert redacted.versions.count() == 2
        for url in [*_surfaces(redacted), redacted.get_absolute_url() + "v2/"]:
            assert NAME not in client.get(url).content.decode(), url

    def test_a_row_inserted_without_sources_keeps_its_text_when_saved(self):
        testimony = factories.make_testimony(title="Bulk title", body="Bulk body.")
        Testimony.objects.filter(pk=testimony.pk).update(
            title_source="", summary_source="", body_source=""
        )
        row = Testimony.objects.get(pk=testimony.pk)
        assert row.title_source == "Bulk title" and row.body_source == "Bulk body."
        row.save()
        row.refresh_from_db()
        assert (row.title, row.body) == ("Bulk title", "Bulk body.")

    def test_code_that_writes_the_public_field_directly_still_goes_through_redaction(self):
        testimony = factories.make_testimony()
        testimony.body = f"Written directly with [[name:{NAME}]] marked."
        testimony.save()
        testimony.refresh_from_db()
        assert testimony.body_source == f"Written directly with [[name:{NAME}]] marked."
        assert testimony.body == "Written directly with [name withheld] marked."


EXCERPT_SOURCE = (
    "HIDDENPARA my home village and my family.\n\n"
    "[[excerpt]] The police came at night and filmed us against the wall.\n\n"
    "HIDDENPARA the money I owed and to whom.\n\n"
    "[[excerpt]] We stayed three months in the shelter."
)


@pytest.fixture
def excerpted(db, reviewer) -> Testimony:
    testimony = factories.make_testimony(title="Filmed at night", body=EXCERPT_SOURCE)
    factories.make_consent(testimony, scope="excerpts")
    return factories.publish_testimony(testimony)


class ExcerptScopeTests:
    def test_only_the_excerpts_are_public(self, client, excerpted):
        assert excerpted.paragraphs == [
            "The police came at night and filmed us against the wall.",
            "We stayed three months in the shelter.",
        ]
        assert "HIDDENPARA" in excerpted.body_source
        assert "hiddenpara" not in excerpted.search_document.text
        for url in _surfaces(excerpted):
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            assert "HIDDENPARA" not in page and "money I owed" not in page, url
        page = client.get(excerpted.get_absolute_url()).content.decode()
        assert 'id="p2"' in page and 'id="p3"' not in page
        for words in ("money owed", "HIDDENPARA"):
            found = client.get(reverse("testimonies:testimony_list"), {"q": words})
            assert found.context["result"].total == 0
            assert excerpted.public_id not in found.content.decode()

    def test_narrowing_a_published_testimony_to_excerpts_takes_effect_at_once(
        self, client, reviewer
    ):
        testimony = factories.publish_testimony(body=EXCERPT_SOURCE)
        assert "HIDDENPARA" in testimony.body
        client.force_login(reviewer)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = change_form_data(client.get(url))
        data["consent-0-scope"] = "excerpts"
        assert client.post(url, data).status_code == 302
        testimony.refresh_from_db()
        assert "HIDDENPARA" not in testimony.body
        assert testimony.versions.count() == 2
        client.logout()
        assert "HIDDENPARA" not in client.get(testimony.get_absolute_url()).content.decode()
        assert "HIDDENPARA" not in testimony.search_document.text.upper()
        # The first version, published under full consent, keeps its number and
        # date but loses what the narrator took back, and says so without saying what.
        first = client.get(testimony.get_absolute_url() + "v1/").content.decode()
        assert "HIDDENPARA" not in first and "money I owed" not in first
        assert "The police came at night" in first
        assert "withheld at the narrator" in first


class WithdrawalScrubsSourcesTests:
    def test_record_and_every_history_row_lose_the_source_text(self, redacted, reviewer):
        redacted.body_source += "\n\nA later correction."
        redacted.save()
        assert redacted.history.filter(body_source__contains=NAME).count() >= 2
        services.withdraw(record=redacted, by=reviewer)
        redacted.refresh_from_db()
        for field in ("title_source", "summary_source", "body_source", "title", "body"):
            assert getattr(redacted, field) == "", field
        for row in redacted.history.all():
            assert (row.title_source, row.summary_source, row.body_source) == ("", "", "")
        assert not Testimony.history.filter(body_source__contains=NAME).exists()
        assert not TestimonyVersion.objects.filter(testimony=redacted).exists()


class AdminRedactionTests:
    def test_a_broken_marker_is_refused_with_a_clear_message(self, client, editor):
        testimony = factories.make_testimony()
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = change_form_data(client.get(url))
        data["body_source"] = f"Fine.\n\nI met [[name:{NAME} at the bar."
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Paragraph 2: A marker is opened with [[ but not closed" in (
            response.content.decode()
        )
        testimony.refresh_from_db()
        assert NAME not in testimony.body_source and NAME not in testimony.body

    def test_the_public_fields_are_not_editable_in_the_admin(self, client, editor):
        testimony = factories.make_testimony()
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        response = client.get(url)
        form = response.context["adminform"].form
        assert {"title_source", "summary_source", "body_source"} <= set(form.fields)
        assert not {"title", "summary", "body"} & set(form.fields)
        assert "[[name:Somchai]]" in response.content.decode()  # the help text
        data = change_form_data(response)
        data["body"] = f"Posted straight to the public field: {NAME}"
        client.post(url, data)
        testimony.refresh_from_db()
        assert NAME not in testimony.body

    def test_change_page_warns_about_identifying_text(self, client, reviewer):
        testimony = factories.make_testimony(
            body="On 12 March 2010 Somchai took me to the Golden Dragon karaoke.\n\n"
            "[[name:Noi]] stayed behind."
        )
        client.force_login(reviewer)
        response = client.get(reverse("admin:testimonies_testimony_change", args=[testimony.pk]))
        warnings = [str(m) for m in response.context["messages"]]
        assert len(warnings) == 1
        assert "name 'Somchai'" in warnings[0]
        assert "date '12 March 2010'" in warnings[0]
        assert "venue 'Golden Dragon karaoke'" in warnings[0]
        assert "Noi" not in warnings[0]

    def test_publish_action_asks_first_when_text_looks_identifying(self, client, reviewer):
        testimony = factories.make_testimony(body="Somchai took me there.")
        factories.make_consent(testimony)
        testimony = services.send_to_review(record=testimony, by=reviewer)
        client.force_login(reviewer)
        changelist = reverse("admin:testimonies_testimony_changelist")
        form = {"action": "publish", ACTION_CHECKBOX_NAME: [testimony.pk]}
        response = client.post(changelist, form)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Publish anyway" in page and "Somchai" in page
        testimony.refresh_from_db()
        assert testimony.status == Status.IN_REVIEW
        client.post(changelist, {**form, "confirm_identifying": "yes"})
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED

    def test_clean_text_publishes_without_asking(self, client, reviewer):
        testimony = factories.make_testimony(body="[[name:Somchai]] took me there.")
        factories.make_consent(testimony)
        testimony = services.send_to_review(record=testimony, by=reviewer)
        client.force_login(reviewer)
        client.post(
            reverse("admin:testimonies_testimony_changelist"),
            {"action": "publish", ACTION_CHECKBOX_NAME: [testimony.pk]},
        )
        testimony.refresh_from_db()
        assert testimony.status == Status.PUBLISHED

    def test_a_correction_that_leaves_no_excerpt_is_refused_before_saving(
        self, client, reviewer, excerpted
    ):
        client.force_login(reviewer)
        url = reverse("admin:testimonies_testimony_change", args=[excerpted.pk])
        data = change_form_data(client.get(url))
        data["body_source"] = data["body_source"].replace("[[excerpt]]", "")
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Consent covers excerpts only" in response.content.decode()
        excerpted.refresh_from_db()
        assert "[[excerpt]]" in excerpted.body_source
        assert "HIDDENPARA" not in excerpted.body

    def test_the_archive_s_law_names_are_not_reported(self):
        factories.make_law(short_name="Kalvenor Act", title_en="Kalvenor Protection Act")
        testimony = factories.make_testimony(
            body="The officer read from the Kalvenor Act. Then Somchai spoke."
        )
        found = services.identifying_text(testimony)
        assert [(f.kind, f.text) for f in found] == [("name", "Somchai")]


LATER_NAME = "Kovarith"


class LaterRedactionTests:
    """A name published unmarked, marked in a correction, is taken out of earlier versions."""

    @pytest.fixture
    def corrected(self, db, reviewer) -> Testimony:
        testimony = factories.publish_testimony(
            title=f"What {LATER_NAME} saw",
            summary=f"{LATER_NAME} and her sister were taken to a shelter.",
            body=f"{LATER_NAME} told the officer her age.\n\nWe waited for {THAI_NAME}.",
        )
        testimony.title_source = f"What [[name:{LATER_NAME}]] saw"
        testimony.summary_source = f"[[name:{LATER_NAME}]] and her sister were taken to a shelter."
        testimony.body_source = (
            f"[[name:{LATER_NAME}]] told the officer her age.\n\n"
            f"We waited for [[name:{THAI_NAME}]]."
        )
        testimony.save()
        return services.publish(record=testimony, by=reviewer, correction_note="Names withheld.")

    def _apply(self, client, user, testimony: Testimony):
        client.force_login(user)
        return client.post(
            reverse("admin:testimonies_testimony_changelist"),
            {"action": "apply_redactions_to_versions", ACTION_CHECKBOX_NAME: [testimony.pk]},
            follow=True,
        )

    def test_the_name_is_on_no_version_afterwards(self, client, reviewer, corrected):
        first = corrected.versions.get(number=1)
        assert LATER_NAME in client.get(corrected.get_absolute_url() + "v1/").content.decode()
        response = self._apply(client, reviewer, corrected)
        assert "later redactions applied to version 1." in response.content.decode()
        client.logout()
        found = surfaces.answers(client, corrected, query=LATER_NAME.lower())
        leaks = [url for url, text in found.items() if LATER_NAME in text or THAI_NAME in text]
        assert leaks == []
        after = corrected.versions.get(number=1)
        assert (after.number, after.published_at) == (1, first.published_at)
        assert after.title == "What [name withheld] saw"
        assert after.body == (
            "[name withheld] told the officer her age.\n\nWe waited for [name withheld]."
        )
        page = client.get(corrected.get_absolute_url() + "v1/").content.decode()
        assert "were withheld from this version on" in page
        assert LogEntry.objects.filter(
            object_id=str(corrected.pk), change_message="Applied later redactions to versions 1."
        ).exists()

    def test_an_editor_cannot_apply_them(self, client, editor, corrected):
        self._apply(client, editor, corrected)
        assert LATER_NAME in corrected.versions.get(number=1).body

    def test_narrowing_after_a_later_redaction_keeps_it(self, reviewer, corrected):
        services.versions_apply_redactions(testimony=corrected, by=reviewer)
        corrected.body_source = "[[excerpt]] " + corrected.body_source
        corrected.save()
        corrected = services.publish(record=corrected, by=reviewer)
        factories.make_consent(corrected, scope="excerpts")
        bodies = corrected.versions.values_list("body", flat=True)
        assert not [body for body in bodies if LATER_NAME in body or THAI_NAME in body]


class ApplyMarkedTests:
    def test_a_replacement_is_not_matched_again(self):
        marked = {"name": "name", "Withheld": "name"}
        assert redaction.apply_marked("My name is Withheld.", marked) == (
            "My [name withheld] is [name withheld]."
        )

    def test_whole_words_any_case_any_spacing(self):
        marked = {"Ann Lee": "name", "Golden Star": "venue"}
        text = "ann  lee met Anna at the GOLDEN STAR; Golden Stars closed."
        assert redaction.apply_marked(text, marked) == (
            "[name withheld] met Anna at the [venue withheld]; Golden Stars closed."
        )

    def test_thai_names_inside_unspaced_text(self):
        marked = redaction.marked_texts(f"เรารอ[[name:{THAI_NAME}]]อยู่")
        assert redaction.apply_marked(f"เรารอ{THAI_NAME}อยู่", marked) == "เรารอ[name withheld]อยู่"

    def test_only_well_formed_markers_count(self):
        assert redaction.marked_texts("[[name: ]] [[kind:x]] [[name:Lek]] [[date:5 May]]") == {
            "Lek": "name",
            "5 May": "date",
        }
