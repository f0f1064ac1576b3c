"""Relevance at every size: title and summary weigh more, and every match is listed once.

Runs on both databases (CI runs the suite on SQLite and on PostgreSQL). The
number of matches the engine ranks in full is made small with the setting,
rather than by writing thousands of testimonies.
"""

import pytest

from archive.search.engine import get_engine
from archive.search.query import parse
from testimonies import services
from testimonies.search.columns import facet_data
from testimonies.search.faceted import matching_ids, search
from testimonies.search.params import SearchForm
from tests.support import factories

pytestmark = pytest.mark.django_db

BODY = "We worked at the harbour every night.\n\nThe boats came in late."


@pytest.fixture
def harbour(reviewer):
    """Twelve published accounts of the harbour, three with it in their title; and hidden ones."""
    in_title = [
        factories.publish_testimony(title=f"Nights at the harbour {n}", body=BODY) for n in range(3)
    ]
    in_body = [factories.publish_testimony(body=BODY) for _ in range(9)]
    draft = factories.make_testimony(title="The harbour draft", body=BODY)
    withdrawn = factories.publish_testimony(title="The harbour withdrawn", body=BODY)
    services.withdraw(record=withdrawn, by=reviewer)
    return {"title": in_title, "body": in_body, "hidden": [draft, withdrawn]}


def pages(query: dict, per_page: int):
    data = facet_data()
    form = SearchForm(query, facet_data=data)
    assert form.is_valid(), form.errors
    params = form.params()
    first = search(params, per_page=per_page, data=data)
    results = [first]
    for page in range(2, first.num_pages + 1):
        form = SearchForm({**query, "page": str(page)}, facet_data=data)
        assert form.is_valid(), form.errors
        results.append(search(form.params(), per_page=per_page, data=data))
    return params, results


def listed(results) -> list[int]:
    return [hit.testimony.pk for result in results for hit in result.hits]


class HeadWeighsMoreTests:
    def test_the_head_matches_are_found_apart(self, harbour):
        found = set(get_engine().head_match_ids(parse("harbours")))
        assert found == {t.pk for t in harbour["title"]}

    def test_every_match_is_listed_once_in_order_of_relevance(self, harbour, settings):
        settings.ARCHIVE_RANK_LIMIT = 100
        params, results = pages({"q": "harbour"}, per_page=5)
        everyone = {t.pk for t in harbour["title"] + harbour["body"]}
        order = listed(results)
        assert results[0].total == 12 and not results[0].notice
        assert len(order) == 12 and set(order) == everyone
        assert set(order[:3]) == {t.pk for t in harbour["title"]}
        assert matching_ids(params) == order


class BeyondTheRankLimitTests:
    def test_head_matches_come_first_then_the_others_newest_first(self, harbour, settings):
        settings.ARCHIVE_RANK_LIMIT = 5
        params, results = pages({"q": "harbour"}, per_page=5)
        order = listed(results)
        assert [result.total for result in results] == [12, 12, 12]
        assert all("title or summary come first" in result.notice for result in results)
        assert all(result.sort == "relevance" for result in results)
        # Every match once, across the pages: the order is one for all of them.
        assert len(order) == 12
        assert set(order) == {t.pk for t in harbour["title"] + harbour["body"]}
        head = [t.pk for t in harbour["title"]]
        ranked = get_engine().ranked_head_ids(parse("harbour"), among=head, limit=3, offset=0)
        assert order[:3] == ranked and set(ranked) == set(head)
        assert order[3:] == [t.pk for t in reversed(harbour["body"])]
        assert matching_ids(params) == order

    def test_the_limit_is_judged_on_the_words_not_the_filters(self, harbour, settings):
        settings.ARCHIVE_RANK_LIMIT = 5
        tak = factories.publish_testimony(title="Harbour of Tak", body=BODY, province="tak")
        _params, results = pages({"q": "harbour", "province": ["tak"]}, per_page=5)
        assert listed(results) == [tak.pk]
        assert "title or summary come first" in results[0].notice
        settings.ARCHIVE_RANK_LIMIT = 13
        _params, results = pages({"q": "harbour", "province": ["tak"]}, per_page=5)
        assert listed(results) == [tak.pk] and not results[0].notice
