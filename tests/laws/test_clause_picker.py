"""The clause picker ranks by citation first, over the archive's real laws and clauses."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from laws import picker
from laws.identifiers import clause_number_key, parse_clause_query
from laws.models import Clause
from tests.support import factories

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# Every way of citing ATIPA s. 29 an editor was seen to type.
ATIPA_29_QUERIES = [
    "atipa 29",
    "ATIPA s.29",
    "ATIPA s. 29",
    "ATIPA 2008, s. 29",
    "atipa-2008/s-29",
    "atipa-2008:s-29",
    "พ.ร.บ.ค้ามนุษย์ ม. 29",
    "ค้ามนุษย์ ม. 29",
    "พ.ร.บ.ป้องกันและปราบปรามการค้ามนุษย์ มาตรา 29",
    "พระราชบัญญัติป้องกันและปราบปรามการค้ามนุษย์ มาตรา ๒๙",
]


@pytest.fixture
def laws(db):
    call_command("loaddata", str(FIXTURES / "laws.json"), verbosity=0)


def ranked(term: str) -> list[Clause]:
    """What the clause admin's search gives the picker, in its order."""
    model_admin = admin.site.get_model_admin(Clause)
    request = RequestFactory().get("/admin/autocomplete/", {"term": term})
    request.user = factories.make_user("Editor")
    queryset, _duplicates = model_admin.get_search_results(
        request, model_admin.get_queryset(request), term
    )
    return list(queryset)


def autocomplete(client, term: str) -> list[str]:
    """The option labels the picker on a testimony's clause-link inline shows."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "testimonies",
            "model_name": "testimonyclause",
            "field_name": "clause",
        },
    )
    assert response.status_code == 200, response.content
    return [option["text"] for option in response.json()["results"]]


def cited(clause: Clause) -> str:
    return f"{clause.law.slug}/{clause.slug}"


class QueryParsingTests:
    @pytest.mark.parametrize(
        ("text", "law_words", "number"),
        [
            ("ATIPA s. 29", "atipa", "29"),
            ("atipa 29", "atipa", "29"),
            ("ม. 29", "", "29"),
            ("พ.ร.บ.ค้ามนุษย์ มาตรา ๒๙", "พระราชบัญญัติค้ามนุษย์", "29"),
            ("iccpr art. 9(1)", "iccpr", "9(1)"),
            ("กักตัว", "กักตัว", ""),
        ],
    )
    def test_law_words_and_number(self, text, law_words, number):
        query = parse_clause_query(text)
        assert (query.law_words, query.number) == (law_words, number)

    def test_import_key_and_clause_code(self):
        for text in ["atipa-2008/s-29", "ATIPA-2008:S-29"]:
            assert parse_clause_query(text).code == ("atipa-2008", "s-29")

    @pytest.mark.parametrize(
        ("number", "key"),
        [("s. 29", "29"), ("Art. 9(1)", "9(1)"), ("Principle 7", "7"), ("ss. 282-284", "282")],
    )
    def test_clause_number_key(self, number, key):
        assert clause_number_key(number) == key


class RankingTests:
    @pytest.mark.parametrize("term", ATIPA_29_QUERIES)
    def test_every_citation_of_atipa_29_puts_it_first(self, laws, term):
        assert cited(ranked(term)[0]) == "atipa-2008/s-29"

    def test_a_bare_number_puts_a_statute_before_the_constitution(self, laws):
        results = [cited(clause) for clause in ranked("29")]
        assert results.index("atipa-2008/s-29") < results.index("constitution-2007/s-29")
        # Every clause numbered 29 comes before anything matched on words only.
        keys = [clause_number_key(clause.number) for clause in ranked("29")]
        numbered = keys.count("29")
        assert numbered >= 2 and keys[:numbered] == ["29"] * numbered

    def test_a_bare_number_puts_the_clause_linked_most_often_first(self, laws):
        immigration = Clause.objects.get(law__slug="ia-1979", slug="s-54")
        for _ in range(2):
            factories.make_testimony().clause_links.create(clause=immigration, relation="invoked")
        assert cited(ranked("54")[0]) == "ia-1979/s-54"
        assert cited(ranked("atipa 54")[0]) == "atipa-2008/s-54"

    def test_the_law_name_alone_lists_its_clauses_in_order(self, laws):
        results = ranked("ATIPA 2008")
        atipa = list(Clause.objects.filter(law__slug="atipa-2008").order_by("order", "pk"))
        assert results[: len(atipa)] == atipa

    def test_thai_heading_words_find_clauses(self, laws):
        found = ranked("กักตัว")
        assert found and all("กักตัว" in clause.heading_th for clause in found)

    def test_citation_matches_rank_above_text_matches(self, laws):
        results = ranked("custody")
        assert "atipa-2008/s-29" in [cited(clause) for clause in results]
        assert ranked("ia 54")[0] == Clause.objects.get(law__slug="ia-1979", slug="s-54")

    def test_a_law_word_inside_a_longer_word_does_not_match(self, laws):
        # "ia" is IA 1979, not the "especially" in the Palermo Protocol's title.
        cited_matches = [c for c in ranked("ia 5") if c.picker_rank > picker.TEXT]
        assert cited_matches
        assert {clause.law.slug for clause in cited_matches} == {"ia-1979"}

    @pytest.mark.parametrize("term", ["(", "%", "'", "s.", "ม.", "/", "a/b/c", "99999", "  "])
    def test_odd_input_gives_options_or_none_never_an_error(self, laws, client, term):
        client.force_login(factories.make_user("Editor"))
        autocomplete(client, term)


class OptionLabelTests:
    def test_each_option_shows_the_law_in_full(self, laws, client):
        client.force_login(factories.make_user("Editor"))
        options = autocomplete(client, "atipa 29")
        atipa = Clause.objects.get(law__slug="atipa-2008", slug="s-29").law
        assert options[0] == (
            f"ATIPA 2008, s. 29: Temporary custody of possible victims ({atipa.title_en})"
        )
        assert "2008" in atipa.title_en
        assert "Constitution" not in options[0]
