"""Laws, clauses, vocabularies and notes in English and Thai, on every public surface."""

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from lxml import html

from laws.models import Clause, Law
from testimonies.models import Authority, Outcome, TestimonyClause, ViolationType
from testimonies.search import index
from tests.support import factories

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ENGLISH_ONLY = "(ภาษาอังกฤษเท่านั้น)"


def in_thai(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    return client


def tree(response):
    assert response.status_code == 200, response.status_code
    return html.fromstring(response.content.decode())


def _fixture(name: str) -> list[dict]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= char <= "\u0e7f" for char in text)


class FixtureDataTests:
    """Every law, clause and vocabulary entry the archive ships has its Thai name."""

    def test_every_law_has_a_thai_short_name_and_title(self):
        laws = [row["fields"] for row in _fixture("laws.json") if row["model"] == "laws.law"]
        assert len(laws) == 18
        for law in laws:
            assert _has_thai(law["short_name_th"]), law["slug"]
            assert _has_thai(law["title_th"]), law["slug"]

    def test_every_clause_has_a_thai_heading(self):
        clauses = [row["fields"] for row in _fixture("laws.json") if row["model"] == "laws.clause"]
        assert len(clauses) == 235
        for clause in clauses:
            assert _has_thai(clause["heading_th"]), (clause["law"], clause["slug"])

    def test_every_violation_type_has_a_thai_label(self):
        types = [row["fields"] for row in _fixture("violation_types.json")]
        assert types
        for violation_type in types:
            assert _has_thai(violation_type["label_th"]), violation_type["slug"]

    def test_every_authority_and_outcome_has_a_thai_name(self):
        # Seeded by the migrations, not the fixtures.
        for model in (Authority, Outcome):
            assert model.objects.count() >= 8
            assert not model.objects.filter(name_th="").exists(), model

    def test_the_fixtures_load_with_their_thai(self, client):
        call_command("loaddata", str(FIXTURES / "laws.json"), verbosity=0)
        clause = Clause.objects.get(law__slug="atipa-2008", slug="s-29")
        assert clause.heading_th == "การรับตัวบุคคลที่อาจเป็นผู้เสียหายไว้ในความดูแลชั่วคราว"
        page = tree(in_thai(client).get("/laws/atipa-2008/s-29/"))
        heading = page.cssselect("h1")[0]
        assert "การรับตัวบุคคลที่อาจเป็นผู้เสียหาย" in heading.text_content()
        assert "พ.ร.บ.ค้ามนุษย์ 2551" in heading.text_content()


@pytest.fixture
def law() -> Law:
    return factories.make_law(
        short_name="ATIPA 2008",
        short_name_th="พ.ร.บ.ค้ามนุษย์ 2551",
        title_en="Anti-Trafficking in Persons Act",
        title_th="พระราชบัญญัติป้องกันและปราบปรามการค้ามนุษย์",
        summary="The main anti-trafficking statute.",
    )


@pytest.fixture
def clause(law) -> Clause:
    return factories.make_clause(
        law,
        slug="custody",
        number="s. 29",
        heading="Temporary custody of possible victims",
        heading_th="การรับตัวผู้ที่อาจเป็นผู้เสียหายไว้ชั่วคราว",
        summary="Officials may hold a person believed to be a victim.",
        official_text="มาตรา ๒๙ ในกรณีที่มีเหตุจำเป็น",
    )


@pytest.fixture
def violation_type(clause) -> ViolationType:
    violation_type = factories.make_violation_type(
        label="Held as a witness", label_th="ถูกกักตัวไว้เป็นพยาน"
    )
    violation_type.clauses.add(clause)
    return violation_type


@pytest.fixture
def testimony(clause, violation_type):
    testimony = factories.make_testimony(title="Kept in the shelter")
    TestimonyClause.objects.create(
        testimony=testimony,
        clause=clause,
        relation="invoked",
        note_source="Held for a year.",
        note_th_source="ถูกกักไว้หนึ่งปี",
    )
    testimony.violations.create(violation_type=violation_type, perpetrator="police")
    return factories.publish_testimony(testimony)


class ClausePageTests:
    def test_thai_readers_get_the_thai_heading_and_the_official_text_openly(self, client, clause):
        page = tree(in_thai(client).get(clause.get_absolute_url()))
        title = page.cssselect("h1 [lang=th]")
        assert [node.text for node in title] == [
            "พ.ร.บ.ค้ามนุษย์ 2551",
            "การรับตัวผู้ที่อาจเป็นผู้เสียหายไว้ชั่วคราว",
        ]
        official = page.cssselect("section.official-text blockquote[lang=th]")
        assert "มาตรา ๒๙" in official[0].text_content()
        assert not page.cssselect("details.official-text")
        # The English heading is still there, marked as English.
        assert page.cssselect(".subtitle[lang=en]")[0].text_content().endswith(clause.heading)

    def test_english_readers_get_english_and_the_official_text_in_a_disclosure(
        self, client, clause
    ):
        page = tree(client.get(clause.get_absolute_url()))
        assert page.cssselect("h1 [lang=en]")[1].text == clause.heading
        assert page.cssselect("details.official-text blockquote[lang=th]")
        assert page.cssselect(".subtitle[lang=th]")[0].text == clause.heading_th
        assert ENGLISH_ONLY not in page.text_content()
        assert not page.cssselect(".lang-only")

    def test_a_text_with_no_thai_is_marked_english_only(self, client, clause):
        page = tree(in_thai(client).get(clause.get_absolute_url()))
        summary = page.cssselect("p.summary")[0]
        assert summary.get("lang") == "en"
        assert summary.text == clause.summary
        marker = summary.getnext()
        assert marker.tag == "small" and marker.text == ENGLISH_ONLY
        assert marker.get("lang") is None  # the marker speaks the page's language

    def test_a_text_with_only_thai_is_marked_thai_only_for_english_readers(self, client, law):
        clause = factories.make_clause(law, heading="Only the heading", summary_th="สรุปภาษาไทย")
        page = tree(client.get(clause.get_absolute_url()))
        summary = page.cssselect("p.summary")[0]
        assert (summary.get("lang"), summary.text) == ("th", "สรุปภาษาไทย")
        assert summary.getnext().text == "(Thai only)"

    def test_the_clause_links_and_violation_types_are_in_thai(self, client, clause, testimony):
        page = tree(in_thai(client).get(clause.get_absolute_url()))
        note = page.cssselect("ul.links .note")[0]
        assert (note.get("lang"), note.text) == ("th", "ถูกกักไว้หนึ่งปี")
        assert "ถูกกักตัวไว้เป็นพยาน" in page.text_content()
        client.cookies.clear()
        english = tree(client.get(clause.get_absolute_url()))
        assert english.cssselect("ul.links .note")[0].text == "Held for a year."


class LawPageTests:
    def test_thai_readers_get_the_thai_title_and_clause_headings(self, client, law, clause):
        page = tree(in_thai(client).get(law.get_absolute_url()))
        assert page.cssselect("h1 [lang=th]")[0].text == law.title_th
        assert page.cssselect(".subtitle[lang=en]")[0].text == law.title_en
        cells = [cell.text for cell in page.cssselect("table.table td [lang=th]")]
        assert clause.heading_th in cells
        assert ENGLISH_ONLY in page.cssselect("p.summary")[0].getparent().text_content()
        assert law.short_name_th in page.cssselect("label[for=q]")[0].text_content()

    def test_the_law_list_is_in_thai(self, client, law):
        page = tree(in_thai(client).get(reverse("laws:law_list")))
        link = page.cssselect(f'a[href="{law.get_absolute_url()}"] [lang=th]')[0]
        assert link.text == law.short_name_th


class FindByNameTests:
    """The law and clause lists find names in either language."""

    @pytest.mark.parametrize("text", ["ค้ามนุษย์", "Trafficking", "atipa"])
    def test_the_law_list_finds_a_law_by_either_name(self, client, law, text):
        other = factories.make_law(short_name="PSPA 1996", title_en="Prostitution Act")
        page = client.get(reverse("laws:law_list"), {"find": text}).content.decode()
        assert law.get_absolute_url() in page
        assert other.get_absolute_url() not in page

    @pytest.mark.parametrize("text", ["ผู้เสียหาย", "custody", "s. 29"])
    def test_the_law_list_finds_clauses_by_either_heading(self, client, clause, text):
        other = factories.make_clause(clause.law, heading="Identity card", heading_th="บัตร")
        page = tree(client.get(reverse("laws:law_list"), {"find": text}))
        found = [link.get("href") for link in page.cssselect(".found-clauses a")]
        assert found == [clause.get_absolute_url()]
        assert other.get_absolute_url() not in found

    def test_the_law_page_filters_its_clauses_by_either_heading(self, client, clause):
        other = factories.make_clause(clause.law, heading="Identity card", heading_th="บัตร")
        url = clause.law.get_absolute_url()
        page = client.get(url, {"find": "ผู้เสียหาย"}).content.decode()
        table = page.split("<tbody>")[1].split("</tbody>")[0]
        assert clause.get_absolute_url() in table
        assert other.get_absolute_url() not in table

    def test_nothing_found_says_so(self, client, law):
        page = in_thai(client).get(reverse("laws:law_list"), {"find": "ไม่มีชื่อนี้"})
        assert "ไม่มีกฎหมายที่มีคำนี้ในชื่อ" in page.content.decode()

    def test_a_name_too_long_is_a_400_with_a_message(self, client, law):
        response = client.get(reverse("laws:law_list"), {"find": "x" * 101})
        assert response.status_code == 400
        assert "at most 100 characters" in response.content.decode()
        response = client.get(law.get_absolute_url(), {"find": "x" * 101})
        assert response.status_code == 400

    @pytest.mark.parametrize("text", ["%", "_", "' OR 1=1 --", "[[name:x]]", "\u0e00\u0e4f"])
    def test_odd_input_is_plain_text(self, client, law, text):
        assert client.get(reverse("laws:law_list"), {"find": text}).status_code == 200
        assert client.get(law.get_absolute_url(), {"find": text}).status_code == 200


class TestimonyPageTests:
    def test_thai_readers_get_thai_violations_clauses_and_notes(self, client, testimony, clause):
        page = tree(in_thai(client).get(testimony.get_absolute_url()))
        law_section = page.cssselect("#law-heading")[0].getparent()
        assert law_section.cssselect("h3 [lang=th]")[0].text == "พ.ร.บ.ค้ามนุษย์ 2551"
        headings = [node.text for node in law_section.cssselect("li a [lang=th]")]
        assert clause.heading_th in headings
        assert law_section.cssselect(".note[lang=th]")[0].text == "ถูกกักไว้หนึ่งปี"
        violations = page.cssselect("#violations-heading")[0].getparent()
        assert violations.cssselect("strong[lang=th]")[0].text == "ถูกกักตัวไว้เป็นพยาน"

    def test_a_link_with_no_thai_note_shows_the_english_marked(self, client, testimony):
        TestimonyClause.objects.filter(testimony=testimony).update(note_th="", note_th_source="")
        page = tree(in_thai(client).get(testimony.get_absolute_url()))
        note = page.cssselect(".note")[0]
        assert (note.get("lang"), note.text) == ("en", "Held for a year.")
        assert note.getnext().text == ENGLISH_ONLY

    def test_raid_pages_name_authorities_and_outcomes_in_thai(self, client, testimony):
        incident = factories.make_incident()
        incident.authorities.add(Authority.objects.get(slug="police"))
        incident.outcomes.add(Outcome.objects.get(slug="shelter"))
        incident = factories.publish_incident(incident)
        page = tree(in_thai(client).get(incident.get_absolute_url()))
        names = [node.text for node in page.cssselect(".facts [lang=th]")]
        assert "ตำรวจ" in names and "ถูกส่งเข้าสถานคุ้มครอง" in names


class SearchFacetTests:
    def test_facet_labels_follow_the_reader_s_language(self, client, testimony, clause):
        url = reverse("testimonies:testimony_list")
        page = tree(in_thai(client).get(url))
        assert "ถูกกักตัวไว้เป็นพยาน" in page.cssselect("#facet-violation")[0].text_content()
        assert "พ.ร.บ.ค้ามนุษย์ 2551" in page.cssselect("#facet-law")[0].text_content()
        clauses = page.cssselect("#facet-clause")[0].text_content()
        assert f"s. 29: {clause.heading_th}" in clauses
        # The same columns, read by an English reader right after.
        client.cookies.clear()
        english = tree(client.get(url))
        assert "Held as a witness" in english.cssselect("#facet-violation")[0].text_content()
        assert "ถูกกักตัว" not in english.cssselect("#facet-violation")[0].text_content()

    def test_a_label_with_no_thai_is_marked_english(self, client, testimony, violation_type):
        ViolationType.objects.filter(pk=violation_type.pk).update(label_th="")
        page = tree(in_thai(client).get(reverse("testimonies:testimony_list")))
        label = page.cssselect("#facet-violation label span[lang=en]")[0]
        assert label.text == "Held as a witness"

    def test_a_renamed_thai_label_reaches_the_next_search(self, client, testimony, violation_type):
        # The generation triggers still stand on the table after its Thai column was added.
        before = index.current_generation()
        ViolationType.objects.filter(pk=violation_type.pk).update(label_th="ชื่อใหม่")
        assert index.current_generation() != before
        page = in_thai(client).get(reverse("testimonies:testimony_list")).content.decode()
        assert "ชื่อใหม่" in page


class ApiTests:
    def test_laws_and_clauses_carry_both_languages(self, client, clause):
        law = client.get(reverse("api:law-detail", kwargs={"law_slug": clause.law.slug})).json()
        assert law["short_name_th"] == "พ.ร.บ.ค้ามนุษย์ 2551"
        assert law["title_th"] == clause.law.title_th
        assert law["summary_th"] == ""
        assert law["clauses"][0]["heading_th"] == clause.heading_th
        detail = client.get(
            reverse(
                "api:clause-detail",
                kwargs={"law_slug": clause.law.slug, "clause_slug": clause.slug},
            )
        ).json()
        assert (detail["heading"], detail["heading_th"]) == (clause.heading, clause.heading_th)
        assert detail["law"]["short_name_th"] == "พ.ร.บ.ค้ามนุษย์ 2551"

    def test_the_fields_do_not_change_with_the_reader_s_language(self, client, clause):
        url = reverse("api:law-detail", kwargs={"law_slug": clause.law.slug})
        assert in_thai(client).get(url).json()["short_name"] == "ATIPA 2008"

    def test_violation_types_and_links_carry_both_languages(self, client, testimony):
        types = client.get(reverse("api:violation-type-list")).json()["results"]
        assert types[0]["label_th"] == "ถูกกักตัวไว้เป็นพยาน"
        record = client.get(
            reverse("api:testimony-detail", kwargs={"public_id": testimony.public_id})
        ).json()
        link = record["clauses"][0]
        assert (link["note"], link["note_th"]) == ("Held for a year.", "ถูกกักไว้หนึ่งปี")
        assert link["clause"]["heading_th"].startswith("การรับตัว")
        assert record["violations"][0]["type"]["label_th"] == "ถูกกักตัวไว้เป็นพยาน"

    def test_facet_values_carry_both_labels(self, client, testimony):
        found = client.get(reverse("api:testimony-list")).json()
        facets = {facet["name"]: facet for facet in found["facets"]}
        value = facets["violation"]["values"][0]
        assert (value["label_en"], value["label_th"]) == ("Held as a witness", "ถูกกักตัวไว้เป็นพยาน")
        burmese = [v for v in facets["nationality"]["values"] if v["code"] == "burmese"]
        assert burmese[0]["label_th"] == "พม่า"

    def test_the_schema_documents_the_thai_fields(self, client):
        schema = client.get("/api/schema/", {"format": "json"}).json()
        components = schema["components"]["schemas"]
        for name, field in [
            ("Law", "short_name_th"),
            ("Clause", "heading_th"),
            ("ViolationType", "label_th"),
            ("ClauseLink", "note_th"),
        ]:
            assert field in components[name]["properties"], (name, field)
            assert "Thai" in components[name]["properties"][field]["description"]


class OpenDataTests:
    def test_the_csv_has_the_thai_violation_labels(self, client, testimony):
        response = client.get(reverse("opendata:search_csv"))
        text = b"".join(response.streaming_content).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows[0]["violation_types"] == "Held as a witness"
        assert rows[0]["violation_types_th"] == "ถูกกักตัวไว้เป็นพยาน"

    def test_oai_subjects_come_in_thai_too(self, client, testimony, clause):
        response = client.get(
            reverse("opendata:oai"), {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
        )
        root = ET.fromstring(response.content)
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        subjects = {
            (node.text, node.get(lang))
            for node in root.iter("{http://purl.org/dc/elements/1.1/}subject")
        }
        assert ("ATIPA 2008, s. 29: " + clause.heading, None) in subjects
        assert ("พ.ร.บ.ค้ามนุษย์ 2551, s. 29: " + clause.heading_th, "th") in subjects
        assert ("ถูกกักตัวไว้เป็นพยาน", "th") in subjects


class AdminTests:
    def test_editors_edit_both_languages(self, client, reviewer, testimony, violation_type):
        client.force_login(reviewer)
        page = client.get(
            reverse("admin:testimonies_testimony_change", args=[testimony.pk])
        ).content.decode()
        assert 'name="clause_links-0-note_th_source"' in page
        page = client.get(
            reverse("admin:testimonies_violationtype_change", args=[violation_type.pk])
        ).content.decode()
        assert 'name="label_th"' in page and 'name="scope_note_th"' in page
        authority = Authority.objects.get(slug="police")
        page = client.get(
            reverse("admin:testimonies_authority_change", args=[authority.pk])
        ).content.decode()
        assert 'name="name_th"' in page

    def test_the_law_admin_has_the_thai_fields(self, admin_client, clause):
        page = admin_client.get(
            reverse("admin:laws_law_change", args=[clause.law.pk])
        ).content.decode()
        for field in ("short_name_th", "title_th", "summary_th", "clauses-0-heading_th"):
            assert f'name="{field}"' in page, field
        page = admin_client.get(reverse("admin:laws_clause_change", args=[clause.pk]))
        assert 'name="summary_th"' in page.content.decode()
