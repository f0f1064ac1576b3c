"""The faceted search page: counts that tell the truth, and hostile input answered plainly."""

import itertools
import random

import pytest
from django.urls import reverse

from laws.identifiers import clause_code
from testimonies import services
from testimonies.models import Authority, RightsViolation, TestimonyClause
from testimonies.search.columns import facet_data
from testimonies.search.faceted import search
from testimonies.search.facets import FACETS
from testimonies.search.params import SearchForm
from tests.support import factories

pytestmark = pytest.mark.django_db

NATIONALITIES = ["burmese", "shan", "thai", "lao"]
SETTINGS = ["karaoke", "massage", "bar"]
PROVINCES = ["chiang-mai", "tak", "bangkok"]
WORDS = ["shelter", "raid", "wages", "doctor"]


@pytest.fixture
def corpus(reviewer):
    """Thirty published testimonies with pseudo-random facets, plus hidden ones."""
    rng = random.Random(7)
    laws = [factories.make_law() for _ in range(2)]
    clauses = [factories.make_clause(law=laws[i % 2]) for i in range(4)]
    types = [factories.make_violation_type() for _ in range(3)]
    authorities = list(Authority.objects.all()[:3])
    incidents = []
    for i in range(3):
        incident = factories.make_incident()
        incident.authorities.set(authorities[: i + 1])
        incidents.append(incident)
    published = []
    for _ in range(30):
        words = rng.sample(WORDS, 2)
        testimony = factories.make_testimony(
            body=f"Paragraph about {words[0]}.\n\nAnother about {words[1]}.",
            nationality=rng.choice(NATIONALITIES),
            work_setting=rng.choice(SETTINGS),
            province=rng.choice(PROVINCES),
            year_of_events=rng.randint(2005, 2012),
            language=rng.choice(["en", "th"]),
        )
        for clause in rng.sample(clauses, rng.randint(0, 2)):
            TestimonyClause.objects.create(testimony=testimony, clause=clause, relation="violated")
        for violation_type in rng.sample(types, rng.randint(0, 2)):
            RightsViolation.objects.create(
                violation_type=violation_type, testimony=testimony, perpetrator="police"
            )
        if rng.random() < 0.5:
            rng.choice(incidents).testimonies.add(testimony)
        published.append(factories.publish_testimony(testimony))
    for incident in incidents[:2]:
        factories.publish_incident(incident)  # the third incident stays a draft
    hidden = factories.make_testimony(body="Paragraph about shelter.", nationality="burmese")
    TestimonyClause.objects.create(testimony=hidden, clause=clauses[0], relation="violated")
    withdrawn = factories.publish_testimony(body="Paragraph about shelter.", nationality="burmese")
    services.withdraw(record=withdrawn, by=reviewer)
    return published


def facet_values_of(testimony) -> dict[str, set[str]]:
    """Brute force, straight from the ORM: every facet value a testimony has."""
    incidents = testimony.incidents.filter(status="published")
    return {
        "nationality": {testimony.nationality},
        "age_group": {testimony.age_group},
        "work_setting": {testimony.work_setting},
        "province": {testimony.province},
        "language": {testimony.language},
        "violation": {v.violation_type.slug for v in testimony.violations.all()},
        "law": {link.clause.law.slug for link in testimony.clause_links.all()},
        "clause": {
            clause_code(link.clause.law.slug, link.clause.slug)
            for link in testimony.clause_links.all()
        },
        "authority": {a.slug for incident in incidents for a in incident.authorities.all()},
    }


def brute_force(corpus, *, word: str | None, selected: dict[str, list[str]], years=None):
    def passes(testimony, values, skip=None):
        if word and word not in testimony.body:
            return False
        if years and skip != "year" and not years[0] <= testimony.year_of_events <= years[1]:
            return False
        return all(
            values[name] & set(codes) for name, codes in selected.items() if codes and name != skip
        )

    rows = [(t, facet_values_of(t)) for t in corpus]
    total = sum(1 for t, values in rows if passes(t, values))
    counts = {}
    for facet in FACETS:
        tally: dict[str, int] = {}
        for t, values in rows:
            if passes(t, values, skip=facet.name):
                for code in values[facet.name]:
                    tally[code] = tally.get(code, 0) + 1
        counts[facet.name] = tally
    return total, counts


def run(params: dict):
    data = facet_data()
    form = SearchForm(params, facet_data=data)
    assert form.is_valid(), form.errors
    return search(form.params(), data=data)


class DisjunctiveFacetTests:
    def test_counts_equal_brute_force_for_many_combinations(self, corpus):
        values = facet_values_of
        some_law = sorted(values(corpus[0])["law"] or {"x"})
        combinations = [
            ({}, None, None),
            ({"nationality": ["burmese"]}, None, None),
            ({"nationality": ["burmese", "shan"]}, "shelter", None),
            ({"work_setting": ["karaoke"], "province": ["tak", "bangkok"]}, None, (2007, 2010)),
            ({"law": some_law, "language": ["th"]}, "raid", None),
            ({"authority": ["police"], "nationality": ["thai", "lao"]}, None, None),
            ({"violation": [], "clause": []}, "wages", (2005, 2006)),
        ]
        for selected, word, years in combinations:
            selected = {k: v for k, v in selected.items() if v != ["x"]}
            params = {name: codes for name, codes in selected.items()}
            if word:
                params["q"] = word
            if years:
                params["year_from"], params["year_to"] = years
            result = run(params)
            total, expected = brute_force(corpus, word=word, selected=selected, years=years)
            assert result.total == total, (selected, word, years)
            for facet in result.facets:
                got = {c.value.code: c.count for c in facet.counts if c.count}
                assert got == expected[facet.facet.name], (facet.facet.name, selected, word)

    def test_selected_value_with_zero_count_stays_visible(self, corpus):
        result = run({"nationality": ["burmese"], "q": "nothingmatchesthis"})
        nationality = next(f for f in result.facets if f.facet.name == "nationality")
        assert [(c.value.code, c.count, c.selected) for c in nationality.counts] == [
            ("burmese", 0, True)
        ]

    def test_hidden_records_are_never_counted(self, corpus):
        result = run({})
        assert result.total == 30
        assert sum(c.count for c in result.facets[0].counts) == 30

    def test_year_histogram_ignores_only_the_year_range(self, corpus):
        result = run({"year_from": 2008, "year_to": 2008, "nationality": ["burmese"]})
        expected = {}
        for t in corpus:
            if t.nationality == "burmese":
                expected[t.year_of_events] = expected.get(t.year_of_events, 0) + 1
        assert dict(result.years) == expected

    def test_orders(self, corpus):
        by_year = run({"sort": "year-asc"})
        years = [hit.testimony.year_of_events for hit in by_year.hits]
        assert years == sorted(years)
        newest = run({})
        assert newest.hits[0].testimony.pk == corpus[-1].pk

    def test_pages_cover_every_result_once(self, corpus):
        first = run({"page": 1})
        second = run({"page": 2})
        ids = [h.testimony.pk for h in first.hits + second.hits]
        assert len(ids) == len(set(ids)) == 30

    def test_snippet_marks_the_word_and_names_its_paragraph(self, corpus):
        result = run({"q": "doctor"})
        assert result.hits
        for hit in result.hits:
            assert "<mark>doctor</mark>" in hit.snippet.html
            paragraph = hit.testimony.paragraphs[hit.snippet.paragraph - 1]
            assert "doctor" in paragraph

    def test_cache_follows_a_withdrawal_in_another_transaction(self, corpus, reviewer):
        assert run({}).total == 30
        assert run({"q": "paragraph"}).total == 30
        services.withdraw(record=corpus[0], by=reviewer)
        assert run({}).total == 29
        # The remembered match set belonged to the old generation: not reused.
        assert run({"q": "paragraph"}).total == 29

    def test_match_cache_can_be_turned_off(self, corpus, settings):
        settings.ARCHIVE_MATCH_CACHE_SIZE = 0
        first, second = run({"q": "doctor"}), run({"q": "doctor"})
        assert first.total == second.total > 0


class SearchPageTests:
    def test_page_shows_results_chips_and_counts(self, client, corpus):
        response = client.get(
            reverse("testimonies:testimony_list"), {"q": "shelter", "nationality": "burmese"}
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "<mark>shelter</mark>" in body
        assert 'class="chip"' in body and "Nationality: Burmese" in body
        assert "Clear all" in body

    def test_url_is_the_whole_state(self, client, corpus):
        url = reverse("testimonies:testimony_list") + "?q=raid&work_setting=karaoke&sort=year"
        assert client.get(url).content == client.get(url).content


HOSTILE = [
    {"q": '"unbalanced'},
    {"q": "NEAR(shelter raid)"},
    {"q": "shelter*"},
    {"q": "body:shelter"},
    {"q": "a & !b <-> c"},
    {"q": "'; DROP TABLE testimonies_testimony; --"},
    {"q": 'ค่าจ้าง OR -"สถาน'},
    {"q": "-"},
    {"q": "OR"},
    {"q": "x" * 100_000},
    {"q": "\x00"},
    {"page": "-1"},
    {"page": "99999999"},
    {"page": "0"},
    {"page": "two"},
    {"nationality": "martian"},
    {"province": ["tak", "atlantis"]},
    {"clause": "no-such:clause"},
    {"year_from": "๒๕๕๓"},
    {"year_from": "2012", "year_to": "2005"},
    {"year_from": "1e9"},
    {"sort": "id; DROP"},
    {"sort": "-published_at"},
    {"narrator_pseudonym__startswith": "a"},
    {"q": ["one", "two"], "sort": ["relevance", "bogus"]},
]


class HostileInputTests:
    @pytest.mark.parametrize("params", HOSTILE, ids=lambda p: repr(p)[:40])
    def test_answered_with_200_or_400_and_never_a_traceback(self, client, corpus, params):
        response = client.get(reverse("testimonies:testimony_list"), params)
        assert response.status_code in (200, 400)
        assert b"Traceback" not in response.content
        if response.status_code == 400:
            assert b"notice" in response.content

    def test_unknown_facet_value_is_refused_not_widened(self, client, corpus):
        response = client.get(reverse("testimonies:testimony_list"), {"nationality": "martian"})
        assert response.status_code == 400
        assert b"martian" in response.content

    def test_thousands_of_parameters(self, client, corpus):
        query = "&".join(f"p{i}=1" for i in range(5000))
        response = client.get(reverse("testimonies:testimony_list") + "?" + query)
        assert response.status_code == 400

    @pytest.mark.parametrize("raw", ["%ff%fe%80shelter", "%ED%A0%80", "%C0%AF", "shelter%00"])
    def test_invalid_utf8_and_surrogates_are_plain_text(self, client, corpus, raw):
        response = client.get(reverse("testimonies:testimony_list") + "?q=" + raw)
        assert response.status_code in (200, 400)
        assert b"Traceback" not in response.content


def test_every_facet_value_combination_of_one_facet_is_valid(corpus):
    data = facet_data()
    for facet in FACETS:
        values = [v.code for v in data.columns[facet.name].values][:3]
        for combo in itertools.combinations(values, min(2, len(values))):
            assert SearchForm({facet.name: list(combo)}, facet_data=data).is_valid()


class PinnedSearchTests:
    def test_clause_page_searches_only_its_testimonies(self, client, reviewer):
        clause = factories.make_clause()
        linked = factories.make_testimony(body="Paragraph about shelter.")
        TestimonyClause.objects.create(testimony=linked, clause=clause, relation="violated")
        factories.publish_testimony(linked)
        factories.publish_testimony(body="Another paragraph about shelter.")
        response = client.get(clause.get_absolute_url(), {"q": "shelter"})
        assert response.status_code == 200
        result = response.context["result"]
        assert [hit.testimony.pk for hit in result.hits] == [linked.pk]
        # The pinned clause is not offered as a removable chip.
        assert 'class="chip"' not in response.content.decode()

    def test_law_page_searches_only_its_testimonies(self, client, reviewer):
        clause = factories.make_clause()
        linked = factories.make_testimony()
        TestimonyClause.objects.create(testimony=linked, clause=clause, relation="invoked")
        factories.publish_testimony(linked)
        factories.publish_testimony()
        response = client.get(clause.law.get_absolute_url())
        assert response.context["result"].total == 1


class LongFacetAndRankLimitTests:
    def test_long_facets_show_the_largest_values_until_expanded(self, corpus, monkeypatch):
        import testimonies.search.results as search_module

        monkeypatch.setattr(search_module, "FACET_SHOWN", 2)
        result = run({"nationality": ["lao"]})
        nationality = next(f for f in result.facets if f.facet.name == "nationality")
        assert len(nationality.counts) == 4
        shown = [c.value.code for c in nationality.shown]
        largest = sorted(nationality.counts, key=lambda c: -c.count)[:2]
        assert set(shown) == {c.value.code for c in largest} | {"lao"}
        assert nationality.hidden == 4 - len(shown)
        expanded = run({"nationality": ["lao"], "expand": ["nationality"]})
        nationality = next(f for f in expanded.facets if f.facet.name == "nationality")
        assert nationality.hidden == 0 and len(nationality.shown) == 4

    def test_huge_match_sets_rank_the_head_matches_first_with_a_notice(self, corpus, settings):
        settings.ARCHIVE_RANK_LIMIT = 3
        # No title or summary says "paragraph": every match follows newest first.
        result = run({"q": "paragraph"})
        assert result.total == 30
        assert result.sort == "relevance" and "title or summary come first" in result.notice
        assert result.hits[0].testimony.pk == corpus[-1].pk
        # Decided on the words alone: the engine reads every document holding
        # them, even when filters keep only a few.
        filtered = run({"q": "paragraph", "nationality": ["lao"]})
        assert filtered.total <= 30 and filtered.notice
        settings.ARCHIVE_RANK_LIMIT = 30
        ranked = run({"q": "paragraph"})
        assert ranked.sort == "relevance" and not ranked.notice

    def test_too_many_head_matches_are_listed_newest_first(self, corpus, settings):
        settings.ARCHIVE_RANK_LIMIT = 3
        # Every title and summary says "account" (the factory's): all 30 are head matches.
        result = run({"q": "account"})
        assert result.total == 30
        assert result.sort == "newest" and "listed newest first" in result.notice
        assert result.hits[0].testimony.pk == corpus[-1].pk


def test_facet_labels_are_escaped(client, reviewer):
    violation_type = factories.make_violation_type(label='<script>alert("x")</script>')
    testimony = factories.make_testimony()
    RightsViolation.objects.create(
        violation_type=violation_type, testimony=testimony, perpetrator="police"
    )
    factories.publish_testimony(testimony)
    body = client.get(reverse("testimonies:testimony_list")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert '<script>alert("x")' not in body
