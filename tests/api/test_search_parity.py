"""The API search and the HTML search page agree: same parameters, same count, same order."""

import re

import pytest

from testimonies.models import Testimony

pytestmark = pytest.mark.django_db

PARAMETER_SETS = [
    {},
    {"q": "shelter"},
    {"q": "shelter", "sort": "year-asc"},
    {"q": "police -camera"},
    {"q": '"immigration detention"'},
    {"q": "โรงพัก"},
    {"q": "ตำรวจ", "sort": "newest"},
    {"nationality": ["burmese", "shan"]},
    {"nationality": "burmese", "province": "tak", "sort": "recorded"},
    {"violation": "arb-det-shelter", "year_from": "2005", "year_to": "2010"},
    {"law": "atipa-2008", "sort": "year"},
    {"clause": "atipa-2008:s-29", "q": "shelter"},
    {"authority": "police", "language": "en"},
    {"page": "2"},
    {"language": "en", "page": "2", "sort": "year-asc"},
    {"expand": "clause", "work_setting": "karaoke"},
]


def html_ids(content: bytes) -> list[str]:
    """Public ids of the hits, in the order the page lists them."""
    return re.findall(
        r'<article class="card hit">.*?<span class="pid">(T-\d+)</span>', content.decode(), re.S
    )


@pytest.mark.parametrize(
    "params", PARAMETER_SETS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none"
)
def test_api_and_page_agree(client, archive, params):
    page = client.get("/testimonies/", params)
    api = client.get("/api/testimonies/", params)
    assert page.status_code == api.status_code == 200, api.content[:300]
    result = page.context["result"]
    data = api.json()
    assert data["count"] == result.total
    assert [hit["public_id"] for hit in data["results"]] == html_ids(page.content)
    assert data["num_pages"] == result.num_pages
    assert data["sort"] == result.sort
    facets = {
        facet["name"]: {v["code"]: v["count"] for v in facet["values"]} for facet in data["facets"]
    }
    for facet in result.facets:
        assert facets[facet.facet.name] == {c.value.code: c.count for c in facet.counts}


def test_the_parameter_sets_are_not_trivial(client, archive):
    # Guards the test above: the sets must select different, non-empty result lists.
    seen = set()
    for params in PARAMETER_SETS:
        data = client.get("/api/testimonies/", params).json()
        assert data["count"] > 0, params
        seen.add(tuple(hit["public_id"] for hit in data["results"]))
    assert len(seen) >= len(PARAMETER_SETS) - 2
    assert Testimony.objects.public().filter(language="th").exists()


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "evil"},
        {"nationality": "martian"},
        {"year_from": "2012", "year_to": "2001"},
    ],
)
def test_both_refuse_the_same_parameters(client, archive, params):
    page = client.get("/testimonies/", params)
    api = client.get("/api/testimonies/", params)
    assert page.status_code == api.status_code == 400
    message = api.json()["detail"]
    assert message and message in page.content.decode().replace("&#x27;", "'")


def test_past_the_last_page_the_page_shows_the_last_and_the_api_refuses(client, archive):
    # A person following an old link gets the last page and a notice; a program
    # paging through the API is told it went too far, not given a page it did not ask for.
    page = client.get("/testimonies/", {"page": "999"})
    api = client.get("/api/testimonies/", {"page": "999"})
    assert page.status_code == 200 and b"There is no page 999" in page.content
    assert api.status_code == 400 and "no page 999" in api.json()["detail"]
