"""Every search's results link their CSV, Atom and JSON twins, which answer the same search."""

from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import html

from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    law = factories.make_law(slug="atipa-test")
    clause = factories.make_clause(law=law)
    for n, nationality in enumerate(["burmese", "burmese", "thai"]):
        testimony = factories.make_testimony(
            title=f"Shelter account {n}", body="The shelter kept us.", nationality=nationality
        )
        testimony.clause_links.create(clause=clause, relation="violated")
        factories.publish_testimony(testimony)
    return law


def twins(response) -> dict[str, str]:
    assert response.status_code == 200
    tree = html.fromstring(response.content)
    links = tree.cssselect("section.results p.open-data a")
    return {link.text_content().strip(): link.get("href") for link in links}


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


class SearchPageLinksTests:
    def test_each_twin_carries_the_search_and_answers_it(self, client, archive):
        links = twins(client.get("/testimonies/?q=shelter&nationality=burmese&page=1"))
        assert set(links) >= {"CSV", "for Excel", "Atom feed of new matches", "JSON from the API"}
        for name in ("CSV", "Atom feed of new matches", "JSON from the API"):
            assert query(links[name]) == {"q": ["shelter"], "nationality": ["burmese"]}, name
        api = client.get(links["JSON from the API"])
        assert api.status_code == 200 and api["Content-Type"].startswith("application/json")
        assert api.json()["count"] == 2
        assert {row["title"] for row in api.json()["results"]} == {
            "Shelter account 0",
            "Shelter account 1",
        }
        csv_rows = b"".join(client.get(links["CSV"]).streaming_content).decode().splitlines()
        assert len(csv_rows) == 1 + 2
        assert links["About these formats"] == "/open-data/"

    def test_a_law_page_pins_its_law_in_every_twin(self, client, archive):
        links = twins(client.get(archive.get_absolute_url()))
        assert query(links["JSON from the API"]) == {"law": ["atipa-test"]}
        assert client.get(links["JSON from the API"]).json()["count"] == 3

    def test_the_bare_search_page_links_the_whole_api_list(self, client, archive):
        links = twins(client.get("/testimonies/"))
        assert links["JSON from the API"] == "/api/testimonies/"
