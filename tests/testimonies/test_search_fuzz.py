"""Hypothesis throws arbitrary query strings at the search: 200 or 400, never 500.

CI runs this file on SQLite and again on PostgreSQL, so both engines meet the
same inputs. Every parameter the search form reads is fuzzed (the names come
from the form itself, so a new parameter is fuzzed without editing this file),
on the search page and on the law and clause pages that embed it.
"""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.search.engine import get_engine
from archive.search.query import MAX_QUERY_LENGTH, parse
from testimonies import selectors
from testimonies.search.facets import FACETS
from testimonies.search.params import SearchForm
from tests.support import factories

pytestmark = pytest.mark.django_db

NAMES = [*SearchForm.base_fields, *(f.name for f in FACETS)]
FILTER_NAMES = {"year_from", "year_to", *(f.name for f in FACETS)}
OPERATORS = '"-()*^:ORANDNOTNEAR &|!<>'
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["burmese", "tak", "atipa-2008", "atipa-2008:s-29", "relevance", "newest", "2010"]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.text(alphabet=OPERATORS, max_size=30),
    # Thai digits: int() reads them, so a numeric field must cope (๒๕๕๕ is 2555).
    st.text(alphabet="".join(map(chr, range(0x0E50, 0x0E5A))) + "0123456789", max_size=6),
)
PARAMS = st.lists(
    st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=12)), VALUES), max_size=8
)
TOTAL_RE = re.compile(rb'id="results-heading"[^>]*>\s*(\d+) testimon')


@pytest.fixture
def published(db):
    clause = factories.make_clause()
    testimony = factories.publish_testimony(
        body="A shelter, a raid and the police.\n\nไม่มีล่ามช่วยแปล"
    )
    testimony.clause_links.create(clause=clause, relation="violated")
    factories.publish_testimony(nationality="shan", body="Deported after the raid.")
    return {
        "pages": [
            reverse("testimonies:testimony_list"),
            clause.law.get_absolute_url(),
            clause.get_absolute_url(),
        ]
    }


def _count(response) -> int:
    return int(TOTAL_RE.search(response.content).group(1))


def _plain(text: str) -> str:
    # Surrogates cannot travel in a URL; the client would refuse to encode them.
    return text.encode("utf-8", "replace").decode()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=PARAMS, page=st.integers(min_value=0, max_value=2))
def test_any_query_string_is_answered_plainly(client, published, params, page):
    params = [(_plain(k), _plain(v)) for k, v in params]
    url = published["pages"][page]
    response = client.get(url, params)
    assert response.status_code in (200, 400), (params, response.status_code)
    assert b"Traceback" not in response.content
    filters = [(k, v) for k, v in params if k in FILTER_NAMES]
    if response.status_code == 200 and filters:
        # Filters only ever narrow: dropping them cannot give fewer testimonies.
        unfiltered = client.get(url, [(k, v) for k, v in params if k not in FILTER_NAMES])
        assert unfiltered.status_code == 200
        assert _count(response) <= _count(unfiltered), params


def test_the_parameters_really_reach_the_page(client, published):
    # Guards the fuzz test above: a list of pairs is sent as a query string.
    response = client.get(reverse("testimonies:testimony_list"), [("nationality", "martian")])
    assert response.status_code == 400
    response = client.get(reverse("testimonies:testimony_list"), [("nationality", "shan")])
    assert _count(response) == 1


QUERY_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.one_of(
            st.sampled_from(['"', "-", "OR", "NEAR", "*", ":", "^", "&", "|", "!", "<->", "\x00"]),
            st.sampled_from(["shelter", "raid", "police", "ล่าม", "๒๙", "anti-trafficking"]),
            st.text(max_size=4),
        ),
        max_size=40,
    ).map(" ".join),
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=QUERY_TEXT)
def test_the_engine_answers_any_parsed_query_on_this_database(published, text):
    """The parser's output goes to the real engine (FTS5 or tsquery) and never raises."""
    if len(text) > MAX_QUERY_LENGTH:
        return
    parsed = parse(text)
    engine = get_engine()
    public = set(selectors.public_testimonies().values_list("pk", flat=True))
    assert set(engine.match_ids(parsed).tolist()) <= public
    if parsed.has_positive:
        assert set(engine.ranked_ids(parsed, among=None, limit=20, offset=0)) <= public
