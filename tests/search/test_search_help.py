"""The search box's help: operators, spellings, facets and laws its words name, public ids,
marked titles and summaries, pages past the last, and an example that finds something.

CI runs the suite on SQLite and again on PostgreSQL, so each of these holds on both
engines: the spellings come from each engine's own index.
"""

import html
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from lxml import html as lxml_html

from archive.search.engine import get_engine
from testimonies import services
from testimonies.models import RightsViolation
from testimonies.search.hints import FEW_RESULTS
from tests.support import factories

pytestmark = pytest.mark.django_db

SEARCH = "/testimonies/"


def page(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content[:500]
    return response, lxml_html.fromstring(response.content.decode())


def hit_titles(tree) -> list[str]:
    return [h.text_content().strip() for h in tree.cssselect("article.hit h3")]


def suggestion(tree) -> tuple[str, str] | None:
    """The "Did you mean" link: its text and its address."""
    links = tree.cssselect(".hint-spelling a")
    return (links[0].text_content(), links[0].get("href")) if links else None


@pytest.fixture
def corpus(reviewer):
    bodies = {
        "shelter": "They kept me in the shelter for eleven months. The police came twice.",
        "quiet": "I stayed in the shelter and nobody explained anything to me.",
        "raid": "After the raid the officers took our phones. I was deported in the spring.",
    }
    records = {
        key: factories.publish_testimony(body=body, title=f"Account of the {key}")
        for key, body in bodies.items()
    }
    # Words only unpublished text holds: never to be suggested or matched.
    draft = factories.make_testimony(body="A draft about the kaleidoscope of papers.")
    review = services.send_to_review(
        record=factories.make_testimony(body="In review: the harmonica in the office."),
        by=reviewer,
    )
    withdrawn = factories.publish_testimony(body="Withdrawn: the marmalade at the station.")
    services.withdraw(record=withdrawn, by=reviewer)
    return {"records": records, "draft": draft, "review": review, "withdrawn": withdrawn}


class OperatorPageTests:
    def test_capital_not_leaves_the_word_out(self, client, corpus):
        _response, tree = page(client, q="shelter NOT police")
        assert hit_titles(tree) == ["Account of the quiet"]

    def test_capital_and_is_a_space(self, client, corpus):
        _response, tree = page(client, q="shelter AND police")
        assert hit_titles(tree) == ["Account of the shelter"]

    @pytest.mark.parametrize("text", ["NOT", "NOT NOT police", "shelter NOT", "NOT -shelter"])
    def test_stray_keywords_are_answered_as_words(self, client, corpus, text):
        response, _tree = page(client, q=text)
        assert b"Traceback" not in response.content

    def test_an_all_negative_query_lists_the_rest(self, client, corpus):
        _response, tree = page(client, q="NOT shelter")
        assert hit_titles(tree) == ["Account of the raid"]


class SpellingTests:
    @pytest.mark.parametrize(
        ("typed", "meant"),
        [("sheltr", "shelter"), ("deportd", "deported"), ("polcie", "police")],
    )
    def test_a_word_one_slip_away_is_suggested(self, client, corpus, typed, meant):
        _response, tree = page(client, q=typed)
        text, href = suggestion(tree)
        assert text == meant
        assert f"q={meant}" in href

    def test_the_suggestion_keeps_the_other_words_and_filters(self, client, corpus):
        _response, tree = page(client, q='Sheltr "eleven months"', province="chiang-mai")
        text, href = suggestion(tree)
        assert text == 'shelter "eleven months"'
        assert "province=chiang-mai" in href and "page=" not in href
        _response, followed = page(client, **_params(href))
        assert hit_titles(followed) == ["Account of the shelter"]

    def test_the_commonest_neighbour_wins(self, client, corpus):
        factories.publish_testimony(body="The shelled house.")  # "shelter" is in two
        assert get_engine().word_counts(["shelter", "shelled"]) == {"shelter": 2, "shelled": 1}
        _response, tree = page(client, q="shelte")
        assert suggestion(tree)[0] == "shelter"

    def test_words_only_unpublished_text_holds_are_never_suggested(self, client, corpus):
        for typed in ["kaleidoscopr", "harmonicq", "marmalad"]:
            response, tree = page(client, q=typed)
            assert suggestion(tree) is None, typed
            for word in [b"kaleidoscope", b"harmonica", b"marmalade"]:
                assert word not in response.content
        assert get_engine().word_counts(["kaleidoscope", "harmonica", "marmalade"]) == {}

    def test_a_word_taken_out_by_a_correction_is_no_longer_suggested(
        self, client, corpus, reviewer
    ):
        record = corpus["records"]["quiet"]
        record.body_source = "I stayed and nobody explained the xylophone to me."
        record.save()
        services.publish(record=record, by=reviewer)
        # Not "xylophon": that is xylophone's stem, so the search finds it unaided.
        assert suggestion(page(client, q="xylophome")[1])[0] == "xylophone"
        record.body_source = "I stayed and nobody explained anything to me."
        record.save()
        services.publish(record=record, by=reviewer)
        assert suggestion(page(client, q="xylophome")[1]) is None

    def test_a_withdrawn_testimony_takes_its_words_out_of_the_suggestions(
        self, client, corpus, reviewer
    ):
        only = factories.publish_testimony(body="The xylophone stood in the corner.")
        other = factories.publish_testimony(body="A second xylophone in the hall.")
        assert get_engine().word_counts(["xylophone", "stood"]) == {"xylophone": 2, "stood": 1}
        services.withdraw(record=other, by=reviewer)
        assert get_engine().word_counts(["xylophone", "stood"]) == {"xylophone": 1, "stood": 1}
        assert suggestion(page(client, q="xylophome")[1])[0] == "xylophone"
        services.withdraw(record=only, by=reviewer)
        assert get_engine().word_counts(["xylophone", "stood", "corner"]) == {}
        assert suggestion(page(client, q="xylophome")[1]) is None
        # The words the withdrawn testimonies shared with others stay, counted right.
        assert get_engine().word_counts(["shelter"]) == {"shelter": 2}

    def test_nothing_is_suggested_when_enough_is_found(self, client, corpus):
        for n in range(FEW_RESULTS):
            factories.publish_testimony(body=f"Shelter account {n}; sheltr as typed.")
        _response, tree = page(client, q="sheltr")
        assert len(hit_titles(tree)) >= FEW_RESULTS
        assert suggestion(tree) is None

    def test_known_words_excluded_words_and_short_words_are_left_alone(self, client, corpus):
        assert suggestion(page(client, q="shelter kaleidoscope")[1]) is None
        assert suggestion(page(client, q="police -sheltr")[1]) is None
        assert suggestion(page(client, q="raud")[1]) is not None
        assert suggestion(page(client, q="rad")[1]) is None

    def test_another_form_of_a_held_word_is_no_slip(self, client, corpus):
        # Not written anywhere, but found: "shelter" and "raid" are.
        for typed in ["shelters", "raids"]:
            _response, tree = page(client, q=typed)
            assert hit_titles(tree), typed
            assert suggestion(tree) is None, typed

    def test_thai_slip(self, client, reviewer):
        factories.publish_testimony(body="เจ้าหน้าที่พาไปอยู่ที่สถานคุ้มครองนานหลายเดือน", language="th")
        _response, tree = page(client, q="คุ้มครอ")
        assert suggestion(tree)[0] == "คุ้มครอง"

    @pytest.mark.parametrize("text", ["x" * 500, "\u3300" * 500, "ก" * 499 + "x", "a-b-c " * 80])
    def test_long_or_odd_words_are_answered(self, client, corpus, text):
        response = client.get(SEARCH, {"q": text})
        assert response.status_code == 200


def _params(href: str) -> dict[str, list[str]]:
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(html.unescape(href)).query)


class FacetHintTests:
    def test_words_of_a_violation_label_offer_that_violation(self, client, corpus):
        custody = factories.make_violation_type(
            slug="det-custody", label='Detention in a shelter ("protective custody")'
        )
        RightsViolation.objects.create(
            violation_type=custody, testimony=corpus["records"]["quiet"], perpetrator="police"
        )
        _response, tree = page(client, q="protective custody")
        assert hit_titles(tree) == []
        links = tree.cssselect(".hint-facets a")
        assert [a.text_content() for a in links] == [
            'Violation: Detention in a shelter ("protective custody")'
        ]
        _response, applied = page(client, **_params(links[0].get("href")))
        assert hit_titles(applied) == ["Account of the quiet"]

    def test_no_facet_is_offered_when_enough_is_found(self, client, corpus):
        factories.make_violation_type(label="Kept in a shelter")
        for _ in range(FEW_RESULTS):
            factories.publish_testimony(body="A shelter again.")
        assert page(client, q="shelter")[1].cssselect(".hint-facets") == []


@pytest.fixture
def atipa(db):
    law = factories.make_law(
        slug="atipa-2008", short_name="ATIPA 2008", title_en="Anti-Trafficking in Persons Act"
    )
    factories.make_clause(law=law, slug="s-29", number="s. 29", heading="Temporary custody")
    factories.make_clause(law=law, slug="s-33", number="s. 33", heading="Assistance")
    return law


class LawHintTests:
    @pytest.mark.parametrize("text", ["ATIPA", "atipa 2008", "atipa-2008 shelter"])
    def test_a_law_named_offers_its_page(self, client, atipa, text):
        links = page(client, q=text)[1].cssselect(".hint-laws a")
        assert [a.get("href") for a in links] == ["/laws/atipa-2008/"]
        assert links[0].text_content() == "ATIPA 2008: Anti-Trafficking in Persons Act"

    @pytest.mark.parametrize(
        "text", ["ATIPA s. 29", "section 29 ATIPA", "atipa-2008/s-29", "ATIPA 2008, s. 29"]
    )
    def test_a_clause_cited_offers_its_page(self, client, atipa, text):
        links = page(client, q=text)[1].cssselect(".hint-laws a")
        assert [a.get("href") for a in links] == ["/laws/atipa-2008/s-29/"]
        assert links[0].text_content() == "ATIPA 2008, s. 29: Temporary custody"

    def test_an_unknown_clause_offers_the_law(self, client, atipa):
        links = page(client, q="ATIPA s. 99")[1].cssselect(".hint-laws a")
        assert [a.get("href") for a in links] == ["/laws/atipa-2008/"]

    def test_words_naming_no_law_offer_none(self, client, atipa):
        assert page(client, q="shelter 29")[1].cssselect(".hint-laws") == []

    def test_a_renamed_law_is_offered_under_its_new_name(self, client, atipa):
        assert page(client, q="ATIPA")[1].cssselect(".hint-laws a")
        atipa.short_name = "TIP Act 2008"
        atipa.save()
        assert page(client, q="ATIPA")[1].cssselect(".hint-laws") == []
        assert page(client, q="TIP Act")[1].cssselect(".hint-laws a")


class PublicIdTests:
    @pytest.mark.parametrize("typed", ["{id}", "{lower}", " {spaced} ", "{bare}"])
    def test_a_public_testimony_id_goes_to_the_testimony(self, client, corpus, typed):
        record = corpus["records"]["raid"]
        public_id = record.public_id
        number = public_id.split("-")[1]
        text = typed.format(
            id=public_id,
            lower=public_id.lower(),
            spaced=public_id.replace("-", " - "),
            bare=f"T{int(number)}",
        )
        response = client.get(SEARCH, {"q": text})
        assert response.status_code == 302
        assert response["Location"] == record.get_absolute_url()

    def test_a_public_raid_id_goes_to_the_raid(self, client):
        incident = factories.publish_incident()
        response = client.get(SEARCH, {"q": incident.public_id.lower()})
        assert response.status_code == 302
        assert response["Location"] == incident.get_absolute_url()

    def test_a_hidden_record_id_is_searched_like_any_unused_one(self, client, corpus, reviewer):
        withdrawn = corpus["withdrawn"].public_id
        draft_raid = factories.make_incident()  # never published: no public id either
        assert draft_raid.public_id in ("", None)
        unused = "T-9999"
        answers = []
        for text in [withdrawn, unused]:
            response, tree = page(client, q=text)
            answers.append((hit_titles(tree), tree.cssselect(".search-hints")))
            assert f"/testimonies/{text}/".encode() not in response.content
        assert answers[0] == answers[1] == ([], [])


class HighlightTests:
    def test_words_in_titles_and_summaries_are_marked_and_escaped(self, client):
        factories.publish_testimony(
            title="<b>Shelter</b> & the months",
            summary="Kept in a <i>shelter</i> for months.",
            body="Nothing here matches.",
        )
        response, _tree = page(client, q="shelter")
        body = response.content.decode()
        assert "&lt;b&gt;<mark>Shelter</mark>&lt;/b&gt; &amp; the months" in body
        assert "Kept in a &lt;i&gt;<mark>shelter</mark>&lt;/i&gt; for months." in body
        assert "<b>Shelter" not in body and "<i>shelter" not in body

    def test_a_body_snippet_still_takes_the_summarys_place(self, client):
        factories.publish_testimony(
            title="An account", summary="A summary.", body="The shelter was far away."
        )
        _response, tree = page(client, q="shelter")
        card = tree.cssselect("article.hit")[0]
        assert card.cssselect(".snippet mark")[0].text == "shelter"
        assert "A summary." not in card.text_content()

    def test_without_words_nothing_is_marked(self, client, corpus):
        response, _tree = page(client)
        assert b"<mark>" not in response.content


class PastTheLastPageTests:
    def test_a_page_past_the_last_shows_the_last_with_a_notice(self, client, settings, reviewer):
        settings.ARCHIVE_PAGE_SIZE = 2
        records = [factories.publish_testimony(body=f"Shelter {n}.") for n in range(5)]
        assert len(hit_titles(page(client, q="shelter", page=3)[1])) == 1
        # Two withdrawals later, a shared link to page 3 is past the last page.
        for record in records[:2]:
            services.withdraw(record=record, by=reviewer)
        _response, tree = page(client, q="shelter", page=3)
        assert len(hit_titles(tree)) == 1
        notice = tree.cssselect(".notice")[0].text_content()
        assert "no page 3" in notice and "2 page(s)" in notice
        assert "Page 2 of 2" in tree.cssselect(".pagination")[0].text_content()

    @pytest.mark.parametrize("number", [str(10**30), "-1", "0", "abc", "1e3", "1\x00"])
    def test_an_absurd_page_number_is_refused_with_a_message(self, client, corpus, number):
        response = client.get(SEARCH, {"q": "shelter", "page": number})
        assert response.status_code == 400
        assert b"page" in response.content.lower()
        assert b"Traceback" not in response.content

    def test_the_api_still_refuses_a_page_past_the_last(self, client, corpus):
        response = client.get("/api/testimonies/", {"q": "shelter", "page": "9"})
        assert response.status_code == 400
        assert "no page 9" in response.json()["detail"]


@pytest.fixture
def sample(db):
    call_command("load_archive", stdout=StringIO())


class ExampleTests:
    @pytest.mark.parametrize("language", ["en", "th"])
    def test_the_search_boxs_example_finds_something_in_the_samples(self, client, sample, language):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        _response, tree = page(client)
        placeholder = tree.cssselect("input#q")[0].get("placeholder")
        example = re.sub(r"^(e\.g\.|เช่น)\s*", "", placeholder)
        assert example != placeholder and "-" in example and '"' in example
        _response, found = page(client, q=example)
        assert hit_titles(found), example
