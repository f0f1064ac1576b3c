"""Redaction and excerpts hold on every public surface; the admin checks and warns."""

import importlib
from dataclasses import dataclass
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import reverse

from laws.models import Clause
from testimonies import services
from testimonies.models import (
    RaidIncident,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    TestimonyVersion,
)
from testimonies.search import index as indexing
from tests.support import factories, surfaces
from tests.support.admin_forms import change_form_data

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

    def test_the_public_fields_are_not_editable_directly(self):
        testimony = factories.make_testimony(body=f"Kept with [[name:{NAME}]] marked.")
        testimony.title = f"Written directly by {NAME}"
        testimony.body = f"Written directly with {NAME} unmarked."
        testimony.save()
        testimony.refresh_from_db()
        assert testimony.body_source == f"Kept with [[name:{NAME}]] marked."
        assert testimony.body == "Kept with [name withheld] marked."
        assert NAME not in testimony.title


# The free-text fields the public reads besides a testimony's title, summary and body.
OTHER_FIELDS = [
    "content_note",
    "source",
    "correction_note",
    "clause_note",
    "violation_note",
    "incident_title",
    "incident_description",
    "clause_note_th",
]
MARKED = f"Told by [[name:{NAME}]] at the [[venue:{NAME} Palace]] karaoke."
RENDERED = "Told by [name withheld] at the [venue withheld] karaoke."


@dataclass
class Records:
    """A published testimony, its clause link and violation, and the incident it recounts."""

    field: str
    testimony: Testimony
    incident: RaidIncident
    clause: Clause

    def public_value(self, field: str) -> str:
        return {
            "content_note": lambda: self.testimony.content_note,
            "source": lambda: self.testimony.source,
            "correction_note": lambda: self.testimony.versions.get(number=2).correction_note,
            "clause_note": lambda: self.testimony.clause_links.get().note,
            "clause_note_th": lambda: self.testimony.clause_links.get().note_th,
            "violation_note": lambda: self.testimony.violations.get().note,
            "incident_title": lambda: self.incident.title,
            "incident_description": lambda: self.incident.description,
        }[field]()


def make_records(text: dict[str, str], *, by, field: str = "") -> Records:
    """Records whose every field in OTHER_FIELDS holds ``text[field]``, published
    as the public reads them: the testimony corrected once, so it has two versions."""
    clause = factories.make_clause()
    incident = factories.make_incident(
        title=text["incident_title"], description=text["incident_description"]
    )
    testimony = factories.make_testimony(
        content_note=text["content_note"], source=text["source"], narrator_pseudonym="Ploy"
    )
    TestimonyClause.objects.create(
        testimony=testimony,
        clause=clause,
        relation="violated",
        note_source=text["clause_note"],
        note_th_source=text["clause_note_th"],
    )
    RightsViolation.objects.create(
        violation_type=factories.make_violation_type(),
        testimony=testimony,
        incident=incident,
        perpetrator="police",
        note_source=text["violation_note"],
    )
    incident.testimonies.add(testimony)
    incident.clauses_invoked.add(clause)
    testimony = factories.publish_testimony(testimony)
    testimony.body_source += "\n\nA paragraph added in the correction."
    testimony.save()
    testimony = services.publish(record=testimony, by=by, correction_note=text["correction_note"])
    incident = factories.publish_incident(incident)
    return Records(field, testimony, incident, clause)


def _plain(field: str) -> str:
    return f"A plain {field.replace('_', ' ')}."


@pytest.fixture(params=OTHER_FIELDS)
def marked(request, reviewer) -> Records:
    """The records with MARKED in one field and plain text in the others."""
    field = request.param
    text = {name: MARKED if name == field else _plain(name) for name in OTHER_FIELDS}
    return make_records(text, by=reviewer, field=field)


def _body(response: HttpResponse) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def _every_surface(records: Records) -> list[str]:
    """Every public address that shows any of the records, in every format."""
    testimony, incident, clause = records.testimony, records.incident, records.clause
    page = testimony.get_absolute_url()
    law, clause_slug = clause.law.slug, clause.slug
    return [
        *_surfaces(testimony),
        page + "v2/",
        page + "v2/cite.json",
        incident.get_absolute_url(),
        reverse("testimonies:incident_list"),
        clause.get_absolute_url(),
        clause.law.get_absolute_url(),
        reverse("api:testimony-detail", kwargs={"public_id": testimony.public_id}),
        reverse("api:testimony-list"),
        reverse("api:incident-detail", kwargs={"public_id": incident.public_id}),
        reverse("api:incident-list"),
        reverse("api:clause-detail", kwargs={"law_slug": law, "clause_slug": clause_slug}),
        reverse("opendata:search_csv"),
        reverse("opendata:testimony_feed"),
        reverse("opendata:search_feed") + "?q=plain",
        reverse("opendata:clause_feed", kwargs={"law_slug": law, "clause_slug": clause_slug}),
        reverse("opendata:oai") + "?verb=ListRecords&metadataPrefix=oai_dc",
    ]


def _where_shown(records: Records) -> list[str]:
    """The addresses that show the records' field under test, rendered."""
    testimony, incident, clause = records.testimony, records.incident, records.clause
    page = testimony.get_absolute_url()
    api_testimony = reverse("api:testimony-detail", kwargs={"public_id": testimony.public_id})
    api_incident = reverse("api:incident-detail", kwargs={"public_id": incident.public_id})
    api_clause = reverse(
        "api:clause-detail", kwargs={"law_slug": clause.law.slug, "clause_slug": clause.slug}
    )
    return {
        "content_note": [page, page + "v1/", api_testimony],
        "source": [
            page,
            api_testimony,
            reverse("opendata:oai") + "?verb=ListRecords&metadataPrefix=oai_dc",
        ],
        "correction_note": [page, page + "v2/", api_testimony],
        "clause_note": [page, clause.get_absolute_url(), api_testimony, api_clause],
        # English pages show the English note; Thai pages are walked below.
        "clause_note_th": [api_testimony, api_clause],
        "violation_note": [page, incident.get_absolute_url(), api_testimony, api_incident],
        "incident_title": [incident.get_absolute_url(), page, api_incident],
        "incident_description": [incident.get_absolute_url(), api_incident],
    }[records.field]


class OtherFieldsRedactedEverywhereTests:
    """Markers in every other free-text field the public reads: notes, source, incidents."""

    def test_the_public_field_holds_the_rendering(self, marked):
        assert marked.public_value(marked.field) == RENDERED
        assert NAME not in marked.public_value(marked.field)

    def test_no_public_surface_shows_the_marked_text(self, client, marked):
        for url in _every_surface(marked):
            response = client.get(url)
            assert response.status_code == 200, url
            body = _body(response)
            assert NAME not in body, url
            assert "[[" not in body, url
        for url in _where_shown(marked):
            assert RENDERED in _body(client.get(url)), url

    def test_no_public_surface_in_thai_shows_the_marked_text(self, client, marked):
        # Thai readers are shown the Thai note where the English one stood.
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        for url in _every_surface(marked):
            body = _body(client.get(url))
            assert NAME not in body, url
            assert "[[" not in body, url
        if marked.field == "clause_note_th":
            for url in [marked.testimony.get_absolute_url(), marked.clause.get_absolute_url()]:
                assert RENDERED in _body(client.get(url)), url

    @pytest.mark.parametrize("query", [NAME, f'"{NAME} Palace"'])
    def test_searching_for_the_marked_text_finds_nothing(self, client, marked, query):
        response = client.get(reverse("testimonies:testimony_list"), {"q": query})
        assert response.context["result"].total == 0
        assert marked.testimony.public_id not in response.content.decode()
        found = client.get(reverse("api:testimony-list"), {"q": query}).json()
        assert found["count"] == 0

    def test_a_row_written_with_the_public_field_only_gets_the_rendering_of_its_source(self):
        link = TestimonyClause.objects.create(
            testimony=factories.make_testimony(),
            clause=factories.make_clause(),
            relation="violated",
            note=f"Bypassing [[name:{NAME}]]",
        )
        link.refresh_from_db()
        assert link.note == link.note_source == ""


def _unmarked(field: str) -> dict[str, str]:
    text = {name: _plain(name) for name in OTHER_FIELDS}
    text[field] = "Somchai was there."
    return text


class IdentifyingTextInOtherFieldsTests:
    @pytest.mark.parametrize("field", [*OTHER_FIELDS[:5], "clause_note_th"])
    def test_a_testimony_s_every_field_is_checked(self, field):
        testimony = _draft_with(_unmarked(field))
        found = services.identifying_text(testimony)
        assert [(f.kind, f.text) for f in found] == [("name", "Somchai")]

    @pytest.mark.parametrize("field", ["incident_title", "incident_description", "violation_note"])
    def test_an_incident_s_every_field_is_checked(self, field):
        incident = _draft_with(_unmarked(field)).incidents.get()
        found = services.identifying_text(incident)
        assert [(f.kind, f.text) for f in found] == [("name", "Somchai")]

    def test_plain_text_gives_no_warning(self):
        testimony = _draft_with({name: _plain(name) for name in OTHER_FIELDS})
        assert services.identifying_text(testimony) == []
        assert services.identifying_text(testimony.incidents.get()) == []

    def test_incident_change_page_warns(self, client, reviewer):
        incident = factories.make_incident(description="Somchai took us to the station.")
        client.force_login(reviewer)
        response = client.get(reverse("admin:testimonies_raidincident_change", args=[incident.pk]))
        warnings = [str(m) for m in response.context["messages"]]
        assert len(warnings) == 1 and "name 'Somchai'" in warnings[0]

    def test_incident_publish_action_asks_first(self, client, reviewer):
        incident = factories.make_incident(title="Raid on the bar where Somchai worked")
        incident = services.send_to_review(record=incident, by=reviewer)
        client.force_login(reviewer)
        changelist = reverse("admin:testimonies_raidincident_changelist")
        form = {"action": "publish", ACTION_CHECKBOX_NAME: [incident.pk]}
        response = client.post(changelist, form)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Publish anyway" in page and "Somchai" in page
        incident.refresh_from_db()
        assert incident.status == Status.IN_REVIEW
        client.post(changelist, {**form, "confirm_publication": "yes"})
        incident.refresh_from_db()
        assert incident.status == Status.PUBLISHED

    def test_a_clean_incident_publishes_without_asking(self, client, reviewer):
        incident = factories.make_incident(title="Raid on the bar where [[name:Somchai]] worked")
        incident = services.send_to_review(record=incident, by=reviewer)
        client.force_login(reviewer)
        client.post(
            reverse("admin:testimonies_raidincident_changelist"),
            {"action": "publish", ACTION_CHECKBOX_NAME: [incident.pk]},
        )
        incident.refresh_from_db()
        assert incident.status == Status.PUBLISHED


def _draft_with(text: dict[str, str]) -> Testimony:
    """A draft testimony with the fields of OTHER_FIELDS, and its draft incident."""
    testimony = factories.make_testimony(
        content_note=text["content_note"],
        source=text["source"],
        correction_note=text["correction_note"],
        narrator_pseudonym="Ploy",
    )
    incident = factories.make_incident(
        title=text["incident_title"], description=text["incident_description"]
    )
    incident.testimonies.add(testimony)
    testimony.clause_links.create(
        clause=factories.make_clause(),
        relation="violated",
        note_source=text["clause_note"],
        note_th_source=text["clause_note_th"],
    )
    testimony.violations.create(
        violation_type=factories.make_violation_type(),
        incident=incident,
        perpetrator="police",
        note_source=text["violation_note"],
    )
    return testimony


BROKEN = f"Met [[name:{NAME} at the bar."
BROKEN_MESSAGE = "A marker is opened with [[ but not closed"


class BrokenMarkersInOtherFieldsTests:
    @pytest.mark.parametrize(
        ("field", "label"),
        [
            ("content_note_source", "Content note"),
            ("source_source", "Source"),
            ("correction_note_source", "Correction note"),
        ],
    )
    def test_the_testimony_form_refuses_them(self, client, editor, field, label):
        testimony = factories.make_testimony()
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = {**change_form_data(client.get(url)), field: BROKEN}
        response = client.post(url, data)
        assert response.status_code == 200
        assert f"{label}: {BROKEN_MESSAGE}" in response.content.decode()
        testimony.refresh_from_db()
        assert NAME not in getattr(testimony, field)

    @pytest.mark.parametrize("inline", ["clause_links", "violations"])
    def test_the_inlines_refuse_them(self, client, editor, inline):
        testimony = _draft_with({name: _plain(name) for name in OTHER_FIELDS})
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = {**change_form_data(client.get(url)), f"{inline}-0-note_source": BROKEN}
        response = client.post(url, data)
        assert response.status_code == 200
        assert f"Note: {BROKEN_MESSAGE}" in response.content.decode()
        assert not TestimonyClause.objects.filter(note_source__contains=NAME).exists()
        assert not RightsViolation.objects.filter(note_source__contains=NAME).exists()

    def test_the_clause_link_inline_refuses_them_in_the_thai_note(self, client, editor):
        testimony = _draft_with({name: _plain(name) for name in OTHER_FIELDS})
        client.force_login(editor)
        url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        data = {**change_form_data(client.get(url)), "clause_links-0-note_th_source": BROKEN}
        response = client.post(url, data)
        assert response.status_code == 200
        assert f"Thai note: {BROKEN_MESSAGE}" in response.content.decode()
        assert not TestimonyClause.objects.filter(note_th_source__contains=NAME).exists()

    @pytest.mark.parametrize("model", ["testimonyclause", "rightsviolation"])
    def test_the_link_admins_refuse_them(self, client, reviewer, model):
        testimony = _draft_with({name: _plain(name) for name in OTHER_FIELDS})
        row = (testimony.clause_links if model == "testimonyclause" else testimony.violations).get()
        client.force_login(factories.make_user("Reviewer", "Editor"))
        url = reverse(f"admin:testimonies_{model}_change", args=[row.pk])
        data = {**change_form_data(client.get(url)), "note_source": BROKEN}
        response = client.post(url, data)
        assert response.status_code == 200
        assert f"Note: {BROKEN_MESSAGE}" in response.content.decode()
        row.refresh_from_db()
        assert NAME not in row.note_source

    @pytest.mark.parametrize(
        ("field", "label"), [("title_source", "Title"), ("description_source", "Description")]
    )
    def test_the_incident_form_refuses_them(self, client, editor, field, label):
        incident = factories.make_incident()
        client.force_login(editor)
        url = reverse("admin:testimonies_raidincident_change", args=[incident.pk])
        data = {**change_form_data(client.get(url)), field: BROKEN}
        response = client.post(url, data)
        assert response.status_code == 200
        assert f"{label}: {BROKEN_MESSAGE}" in response.content.decode()
        incident.refresh_from_db()
        assert NAME not in getattr(incident, field)

    @pytest.mark.parametrize("field", OTHER_FIELDS)
    def test_publication_refuses_a_record_with_any_broken_field(self, reviewer, field):
        text = {name: _plain(name) for name in OTHER_FIELDS}
        text[field] = BROKEN
        testimony = _draft_with(text)
        factories.make_consent(testimony)
        incident = testimony.incidents.get()
        testimony_fields = [*OTHER_FIELDS[:5], "clause_note_th"]
        incident_fields = ["incident_title", "incident_description", "violation_note"]
        for record, fields in ((testimony, testimony_fields), (incident, incident_fields)):
            problems = services.markup_errors(record)
            assert bool(problems) == (field in fields), (record, problems)
            services.send_to_review(record=record, by=reviewer)
            if field in fields:
                with pytest.raises(services.WorkflowError, match="redaction markers are broken"):
                    services.publish(record=record, by=reviewer)
            else:
                services.publish(record=record, by=reviewer)


class SampleArchiveTests:
    def test_after_loading_every_public_field_is_the_rendering_of_its_source(self):
        call_command("load_archive", stdout=StringIO())
        models = (Testimony, TestimonyClause, RightsViolation, RaidIncident)
        for model in models:
            rows = list(model.objects.all())
            assert rows, model
            for row in rows:
                stored = {public: getattr(row, public) for public in model.source_fields}
                row.render_public_text()
                for public in model.source_fields:
                    assert stored[public] == getattr(row, public), (model, row.pk, public)
                    assert "[[" not in stored[public], (model, row.pk, public)


class UpgradeTests:
    """What the data migration does to rows written before these fields had sources."""

    def test_text_becomes_the_source_and_the_public_field_its_rendering(self, reviewer):
        migration = importlib.import_module(
            "testimonies.migrations.0016_redaction_sources_everywhere"
        )
        records = make_records({name: MARKED for name in OTHER_FIELDS}, by=reviewer)
        testimony, incident = records.testimony, records.incident
        # As the schema migration leaves an old row: marked text published as it
        # was written, and no sources.
        raw = {"content_note": MARKED, "source": MARKED, "correction_note": MARKED}
        Testimony.objects.filter(pk=testimony.pk).update(
            **raw, content_note_source="", source_source="", correction_note_source=""
        )
        testimony.history.update(**raw, content_note_source="", source_source="")
        TestimonyVersion.objects.filter(testimony=testimony).update(correction_note=MARKED)
        for model in (TestimonyClause, RightsViolation):
            model.objects.update(note=MARKED, note_source="")
            model.history.update(note=MARKED, note_source="")
        RaidIncident.objects.filter(pk=incident.pk).update(
            title=MARKED, description=MARKED, title_source="", description_source=""
        )
        incident.history.update(title=MARKED, title_source="")
        generation = indexing.current_generation()

        migration.forwards(apps, None)

        testimony.refresh_from_db()
        incident.refresh_from_db()
        for row, public, source in [
            (testimony, "content_note", "content_note_source"),
            (testimony, "source", "source_source"),
            (testimony, "correction_note", "correction_note_source"),
            (testimony.clause_links.get(), "note", "note_source"),
            (testimony.violations.get(), "note", "note_source"),
            (incident, "title", "title_source"),
            (incident, "description", "description_source"),
        ]:
            assert (getattr(row, public), getattr(row, source)) == (RENDERED, MARKED), public
        assert set(testimony.versions.values_list("correction_note", flat=True)) == {RENDERED}
        assert not Testimony.history.filter(source_source="").exists()
        assert not Testimony.history.filter(source__contains="[[").exists()
        assert not RaidIncident.history.filter(title__contains="[[").exists()
        assert not RaidIncident.history.filter(title_source="").exists()
        for model in (TestimonyClause, RightsViolation):
            assert not model.history.filter(note__contains="[[").exists()
            assert not model.history.filter(note_source="").exists()
        # Pages cached before the migration showed the markers.
        assert indexing.current_generation() != generation


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
        client.post(changelist, {**form, "confirm_publication": "yes"})
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
