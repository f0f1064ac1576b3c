"""No draft, in-review or withdrawn text on any API endpoint, nested lists included.

Every text field of the hidden records (conftest) carries the sentinel; the
whole API is crawled from its list endpoints and no body may contain it.
"""

import pytest

from tests.api.conftest import SENTINEL

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/testimonies/",
    "/api/incidents/",
    "/api/laws/",
    "/api/clauses/",
    "/api/violation-types/",
]


def crawl(client) -> dict[str, tuple[int, bytes]]:
    """Every list page and every record's API address reachable from them."""
    seen: dict[str, tuple[int, bytes]] = {}

    def fetch(url: str):
        response = client.get(url)
        seen[url] = (response.status_code, response.content)
        return response

    for start in LISTS:
        url = start
        while url:
            data = fetch(url).json()
            for item in data["results"]:
                if item["api_url"] not in seen:
                    fetch(item["api_url"])
            url = data["next"]
    return seen


def test_no_hidden_text_anywhere(client, archive, unthrottled):
    pages = crawl(client)
    assert len(pages) > 300  # every clause, law, incident, testimony and type
    assert all(status == 200 for status, _body in pages.values())
    # A withdrawn record's text is erased, so its id is what would show it leaking.
    withdrawn_ids = [archive["withdrawn"].public_id, archive["withdrawn_incident"].public_id]
    for url, (_status, body) in pages.items():
        assert SENTINEL.encode() not in body, url
        for public_id in withdrawn_ids:
            assert f'"{public_id}"'.encode() not in body, (url, public_id)


def test_hidden_records_do_not_reach_nested_lists(client, archive):
    clause = archive["clause"]
    public = archive["public_testimony"]
    clause_data = client.get(f"/api/clauses/{clause.law.slug}/{clause.slug}/").json()
    hidden_ids = {archive["withdrawn"].public_id, archive["withdrawn_incident"].public_id}
    listed = {link["testimony"]["public_id"] for link in clause_data["testimonies"]}
    listed |= {incident["public_id"] for incident in clause_data["incidents"]}
    assert not listed & hidden_ids
    testimony_data = client.get(f"/api/testimonies/{public.public_id}/").json()
    assert archive["withdrawn_incident"].public_id not in {
        incident["public_id"] for incident in testimony_data["incidents"]
    }
    incidents = client.get("/api/incidents/").json()["results"]
    recounted = {t["public_id"] for incident in incidents for t in incident["testimonies"]}
    assert archive["withdrawn"].public_id not in recounted
    # The hidden records really are tied to these public ones (the test would be empty otherwise).
    assert archive["withdrawn_incident"].testimonies.filter(pk=public.pk).exists()
    assert archive["withdrawn"].clause_links.filter(clause=clause).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"q": SENTINEL},
        {"q": f"{SENTINEL}name"},
        {"q": SENTINEL, "expand": ["violation", "law", "clause", "authority"]},
    ],
)
def test_search_finds_nothing_hidden(client, archive, params):
    response = client.get("/api/testimonies/", params)
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert SENTINEL.encode() not in response.content.replace(f"q={SENTINEL}".encode(), b"").replace(
        SENTINEL.encode() + b"name", b""
    )


def test_withdrawn_tombstones_hold_no_text(client, archive):
    response = client.get(f"/api/testimonies/{archive['withdrawn'].public_id}/")
    assert response.status_code == 410
    assert SENTINEL.encode() not in response.content


def test_facet_counts_leave_hidden_records_out(client, archive):
    clause = archive["clause"]
    code = f"{clause.law.slug}:{clause.slug}"
    data = client.get("/api/testimonies/", {"clause": code}).json()
    clause_data = client.get(f"/api/clauses/{clause.law.slug}/{clause.slug}/").json()
    linked = {link["testimony"]["public_id"] for link in clause_data["testimonies"]}
    assert data["count"] == clause_data["testimony_count"] == len(linked)
