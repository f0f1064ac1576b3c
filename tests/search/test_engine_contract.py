"""One contract for both engines: the same corpus, the same answers.

CI runs the suite on SQLite and again on PostgreSQL, so every test here runs
against FTS5 and against tsvector/GIN, and both must agree.
"""

from pathlib import Path

import pytest

from archive.search.engine import get_engine
from archive.search.query import parse
from testimonies import services
from tests.support import factories

pytestmark = pytest.mark.django_db

# Sections 1-7 and 29 of the Act's official text (tests/data/README.md says where from).
THAI_LAW = Path(__file__).resolve().parents[1] / "data" / "atip_th_excerpt.txt"

# A sentence written without spaces, as Thai is; "ผู้เสียหาย" (victim) and
# "สถานแรกรับ" (reception centre) sit inside it with no boundary marked.
THAI_SENTENCE = "เจ้าหน้าที่พาผู้เสียหายไปอยู่ที่สถานแรกรับนานหลายเดือนโดยไม่ได้ขอความยินยอม"


@pytest.fixture
def corpus(reviewer):
    texts = {
        "shelter": "They kept me in the shelter for eleven months.\n\nI could not call my mother.",
        "medical": "A doctor did a medical examination without asking me. Then came the shelter.",
        "wages": "Police took my wages and my phone. Nobody explained the anti-trafficking law.",
        "deport": "After the raid I was deported through the immigration detention centre.",
        "thai": THAI_SENTENCE,
        "mixed": "The DSI officers said ผู้เสียหาย again and again during the raid.",
    }
    records = {
        key: factories.publish_testimony(body=body, title=f"Account {key}")
        for key, body in texts.items()
    }
    draft = factories.make_testimony(body="The shelter draft secretword text.")
    in_review = services.send_to_review(
        record=factories.make_testimony(body="The shelter review secretword text."), by=reviewer
    )
    withdrawn = factories.publish_testimony(body="The shelter withdrawn secretword text.")
    services.withdraw(record=withdrawn, by=reviewer)
    return {"records": records, "hidden": [draft, in_review, withdrawn]}


def matches(corpus, text: str) -> set[str]:
    ids = set(get_engine().match_ids(parse(text)))
    return {key for key, record in corpus["records"].items() if record.pk in ids} | {
        f"hidden:{record.pk}" for record in corpus["hidden"] if record.pk in ids
    }


class EngineContractTests:
    def test_single_word(self, corpus):
        assert matches(corpus, "shelter") == {"shelter", "medical"}

    def test_words_are_anded(self, corpus):
        assert matches(corpus, "shelter doctor") == {"medical"}

    def test_case_and_punctuation_do_not_matter(self, corpus):
        assert matches(corpus, "SHELTER,") == {"shelter", "medical"}

    def test_exact_phrase(self, corpus):
        assert matches(corpus, '"medical examination"') == {"medical"}
        assert matches(corpus, '"examination medical"') == set()

    def test_or(self, corpus):
        assert matches(corpus, "wages OR deported") == {"wages", "deport"}

    def test_lowercase_or_is_a_word(self, corpus):
        assert matches(corpus, "wages or deported") == set()

    def test_exclusion(self, corpus):
        assert matches(corpus, "shelter -doctor") == {"shelter"}

    def test_exclusion_only_subtracts_from_everything(self, corpus):
        assert matches(corpus, "-shelter") == {"wages", "deport", "thai", "mixed"}

    def test_capital_not_excludes(self, corpus):
        assert matches(corpus, "shelter NOT doctor") == {"shelter"}
        assert matches(corpus, "NOT shelter") == matches(corpus, "-shelter")

    def test_capital_and_is_a_space(self, corpus):
        assert matches(corpus, "shelter AND doctor") == {"medical"}
        assert matches(corpus, "shelter AND NOT doctor") == {"shelter"}

    def test_lowercase_not_is_a_word(self, corpus):
        assert matches(corpus, "shelter not doctor") == set()
        assert matches(corpus, "could not") == {"shelter"}

    def test_stray_not_is_the_word(self, corpus):
        assert matches(corpus, "NOT") == {"shelter"}
        assert matches(corpus, "call NOT") == {"shelter"}
        assert matches(corpus, "NOT NOT doctor") == {"shelter"}

    def test_hyphenated_word_is_a_phrase(self, corpus):
        assert matches(corpus, "anti-trafficking") == {"wages"}

    def test_thai_word_inside_unspaced_thai(self, corpus):
        assert matches(corpus, "สถานแรกรับ") == {"thai"}
        assert matches(corpus, "ผู้เสียหาย") == {"thai", "mixed"}

    def test_mixed_thai_and_english_query(self, corpus):
        assert matches(corpus, "ผู้เสียหาย raid") == {"mixed"}

    def test_unpublished_and_withdrawn_are_never_matched(self, corpus):
        assert matches(corpus, "secretword") == set()
        assert matches(corpus, "shelter") == {"shelter", "medical"}

    @pytest.mark.parametrize(
        "text",
        [
            '"unbalanced',
            "NEAR(a b)",
            "a*",
            "col:shelter",
            "^shelter",
            "a & !b",
            "a <-> b",
            "'",
            "\\",
            "shelter\x00",
            "((",
            "- -",
            "OR",
            "\ud800shelter",
            "AND OR NOT",
        ],
    )
    def test_operator_syntax_is_plain_words(self, corpus, text):
        # Must not raise; whatever it matches is a subset of the published records.
        found = matches(corpus, text)
        assert not any(key.startswith("hidden") for key in found)

    def test_ranking_returns_only_matches_best_first(self, corpus):
        records = corpus["records"]
        ranked = get_engine().ranked_ids(parse("shelter"), among=None, limit=20, offset=0)
        assert set(ranked) == {records["shelter"].pk, records["medical"].pk}
        among = get_engine().ranked_ids(
            parse("shelter"), among=[records["medical"].pk], limit=20, offset=0
        )
        assert among == [records["medical"].pk]

    def test_a_word_in_the_title_outranks_the_same_word_only_in_the_body(self, corpus):
        # The body says it twice, the title once: the title weighs more.
        in_body = factories.publish_testimony(
            title="Account of the nights", body="The lighthouse. The lighthouse was cold."
        )
        in_title = factories.publish_testimony(
            title="The lighthouse", body="It was cold there at night, always."
        )
        factories.make_testimony(title="The lighthouse draft", body="The lighthouse.")
        ranked = get_engine().ranked_ids(parse("lighthouse"), among=None, limit=20, offset=0)
        assert ranked == [in_title.pk, in_body.pk]
        among = [in_body.pk, in_title.pk]
        assert get_engine().ranked_ids(parse("lighthouse"), among=among, limit=20, offset=0) == [
            in_title.pk,
            in_body.pk,
        ]
        assert set(get_engine().head_match_ids(parse("lighthouse"))) == {in_title.pk}

    def test_ranking_pages(self, corpus):
        first = get_engine().ranked_ids(parse("shelter"), among=None, limit=1, offset=0)
        second = get_engine().ranked_ids(parse("shelter"), among=None, limit=1, offset=1)
        assert len(first) == len(second) == 1 and first != second

    def test_editing_a_published_text_updates_the_index(self, corpus, reviewer):
        record = corpus["records"]["wages"]
        record.body_source = "Rewritten with the word kaleidoscope."
        record.save()
        services.publish(record=record, by=reviewer)
        assert matches(corpus, "kaleidoscope") == {"wages"}
        assert "wages" not in matches(corpus, "police")

    # Word forms: a word not quoted matches every word with the same Snowball stem.
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("shelters", {"shelter", "medical"}),
            ("raided", {"deport", "mixed"}),
            ("raids", {"deport", "mixed"}),
            ("deport", {"deport"}),
            ("deportation", {"deport"}),
            ("wage", {"wages"}),
            ("officer", {"mixed"}),
            ("examinations medically", {"medical"}),
            ("anti-trafficking laws", {"wages"}),
        ],
    )
    def test_a_word_finds_its_forms(self, corpus, text, expected):
        assert matches(corpus, text) == expected

    def test_a_phrase_finds_the_forms_of_its_words_in_order(self, corpus):
        assert matches(corpus, "medically-examined") == {"medical"}
        assert matches(corpus, "examination-medical") == set()

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ('"deported"', {"deport"}),
            ('"deportation"', set()),
            ('"wage"', set()),
            ('"wages"', {"wages"}),
            ('"shelters"', set()),
            ('"medical examinations"', set()),
            ('"medical examination"', {"medical"}),
            ('"DSI officers"', {"mixed"}),
            ('"DSI officer"', set()),
        ],
    )
    def test_quotes_match_exactly_as_typed(self, corpus, text, expected):
        assert matches(corpus, text) == expected

    def test_exclusions_follow_the_same_rules(self, corpus):
        assert matches(corpus, "raid -deportation") == {"mixed"}
        assert matches(corpus, 'raid -"deportation"') == {"deport", "mixed"}
        assert matches(corpus, 'raid -"deported"') == {"mixed"}
        assert matches(corpus, '-"shelters"') == set(corpus["records"])

    def test_ranking_finds_the_forms(self, corpus):
        records = corpus["records"]
        ranked = get_engine().ranked_ids(parse("raided"), among=None, limit=20, offset=0)
        assert set(ranked) == {records["deport"].pk, records["mixed"].pk}
        assert get_engine().ranked_ids(parse('"raided"'), among=None, limit=20, offset=0) == []

    def test_word_counts_are_of_words_as_written(self, corpus):
        # "polic" is the stem of "police": held by the index, but never written.
        counts = get_engine().word_counts(["shelter", "shelters", "polic", "police", "secretword"])
        assert counts == {"shelter": 2, "police": 1}


# Long phrases, and phrases whose words are all in a document but apart.
PHRASES = {
    "phrase": "I was kept in one small room for a month.",
    # Both four-word runs of "kept in one small room", but never the five words.
    "runs": "I was kept in one small bed, and later in one small room.",
    "scattered": "In one room, small and bare, they kept me.",
}


@pytest.fixture
def phrases():
    records = {key: factories.publish_testimony(body=body) for key, body in PHRASES.items()}
    return {"records": records, "hidden": []}


class LongPhraseContractTests:
    def test_four_words_are_one_phrase(self, phrases):
        assert matches(phrases, '"in one small room"') == {"phrase", "runs"}

    def test_five_words_must_be_adjacent(self, phrases):
        assert matches(phrases, '"kept in one small room"') == {"phrase"}
        assert matches(phrases, '"was kept in one small room"') == {"phrase"}

    def test_excluding_a_long_phrase_excludes_only_the_phrase(self, phrases):
        assert matches(phrases, 'room -"kept in one small room"') == {"runs", "scattered"}
        assert matches(phrases, '-"kept in one small room"') == {"runs", "scattered"}

    def test_long_phrase_ranks_only_its_matches(self, phrases):
        ranked = get_engine().ranked_ids(
            parse('"kept in one small room"'), among=None, limit=20, offset=0
        )
        assert ranked == [phrases["records"]["phrase"].pk]


# Phrases of common words: PostgreSQL narrows them by the pairs of adjacent
# stems that start with a common word (archive.search.postgres.commongrams)
# before checking the text; the answers must be those of the text alone.
COMMON_PHRASES = {
    "floor": "They made us sit on the floor of the office.",
    "apart": "I could sit, and on the floor the police put our bags.",
    "forms": "We were sitting on the floors all night.",
    "reversed": "The floor on which we sit was cold.",
    "thai": "I told the ตำรวจ about the shelter.",
    "other": "Nobody came for us.",
}


@pytest.fixture
def common_phrases():
    records = {key: factories.publish_testimony(body=body) for key, body in COMMON_PHRASES.items()}
    return {"records": records, "hidden": []}


class CommonPhraseContractTests:
    def test_a_phrase_of_common_words_needs_the_exact_sequence(self, common_phrases):
        assert matches(common_phrases, '"sit on the floor"') == {"floor"}
        assert matches(common_phrases, '"on the floor"') == {"floor", "apart"}

    def test_the_forms_of_a_phrase_of_common_words(self, common_phrases):
        assert matches(common_phrases, "sit-on-the-floor") == {"floor", "forms"}
        assert matches(common_phrases, '"sitting on the floors"') == {"forms"}
        assert matches(common_phrases, '"sitting on the floor"') == set()

    def test_a_phrase_only_of_common_words(self, common_phrases):
        assert matches(common_phrases, '"on the"') == {"floor", "apart", "forms"}
        assert matches(common_phrases, '"the on"') == set()
        assert matches(common_phrases, '"for us"') == {"other"}

    def test_one_common_word_and_one_rare(self, common_phrases):
        assert matches(common_phrases, '"the floor"') == {"floor", "apart", "reversed"}
        assert matches(common_phrases, '"floor on"') == {"reversed"}
        assert matches(common_phrases, '"floor the"') == {"apart"}
        assert matches(common_phrases, '"floor of"') == {"floor"}
        assert matches(common_phrases, '"floor of the police"') == set()

    def test_a_phrase_crossing_a_thai_word(self, common_phrases):
        assert matches(common_phrases, '"the ตำรวจ about"') == {"thai"}
        assert matches(common_phrases, '"ตำรวจ about the"') == {"thai"}
        assert matches(common_phrases, '"ตำรวจ the"') == set()

    def test_a_single_common_word_quoted(self, common_phrases):
        assert matches(common_phrases, '"the"') == {"floor", "apart", "forms", "reversed", "thai"}
        assert matches(common_phrases, '"on"') == {"floor", "apart", "forms", "reversed"}

    def test_or_and_exclusions_of_phrases_of_common_words(self, common_phrases):
        assert matches(common_phrases, '"sit on the floor" OR "for us"') == {"floor", "other"}
        assert matches(common_phrases, '"sit on the floor" OR nobody') == {"floor", "other"}
        assert matches(common_phrases, 'floor -"on the floor"') == {"forms", "reversed"}
        assert matches(common_phrases, '"the floor" -"sit on the floor"') == {"apart", "reversed"}

    def test_ranking_a_phrase_of_common_words(self, common_phrases):
        ranked = get_engine().ranked_ids(parse('"on the floor"'), among=None, limit=20, offset=0)
        records = common_phrases["records"]
        assert set(ranked) == {records["floor"].pk, records["apart"].pk}


# Past the 16,383rd word a PostgreSQL tsvector has no positions left to tell:
# such a document must match like any other.
LONG_BODY = "filler words " * 15000 + "the final phrase here"


@pytest.fixture
def long_document():
    record = factories.publish_testimony(body=LONG_BODY)
    short = factories.publish_testimony(body="A short account with the final phrase here too.")
    return {"records": {"long": record, "short": short}, "hidden": []}


class LongDocumentContractTests:
    def test_words_and_phrases_are_found_at_the_end(self, long_document):
        assert matches(long_document, "filler") == {"long"}
        assert matches(long_document, '"final phrase here"') == {"long", "short"}
        assert matches(long_document, '"words the final phrase"') == {"long"}
        assert matches(long_document, '"here final"') == set()

    def test_exclusions(self, long_document):
        assert matches(long_document, 'final -"filler words"') == {"short"}
        assert matches(long_document, '-"words filler words the"') == {"short"}


class ThaiStatuteTests:
    def test_words_from_the_real_statute_are_found(self, reviewer):
        text = THAI_LAW.read_text(encoding="utf-8")
        record = factories.publish_testimony(body=text, language="th")
        for word in ["การค้ามนุษย์", "ผู้เสียหาย", "พนักงานเจ้าหน้าที่"]:
            assert word in text
            assert record.pk in get_engine().match_ids(parse(word)), word
