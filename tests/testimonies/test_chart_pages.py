"""The pictures on the home, search and law pages: what they count, and that they follow filters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from testimonies.models import TestimonyClause
from tests.support import factories

pytestmark = pytest.mark.django_db


def figure(page: bytes, caption: str):
    tree = html.fromstring(page)
    found = [f for f in tree.cssselect("figure.chart") if caption in f.findtext("figcaption")]
    assert found, f"no chart captioned {caption!r}"
    return found[0]


def table(fig) -> dict[str, list[str]]:
    """The numbers behind the picture: first cell of each row -> the other cells."""
    rows = fig.cssselect("details.chart-data tbody tr")
    return {row[0].text_content(): [cell.text_content() for cell in row[1:]] for row in rows}


@pytest.fixture
def archive():
    """Burmese accounts in Tak and a Thai one in Bangkok; raids recounted by some."""
    tak = [
        factories.publish_testimony(nationality="burmese", province="tak", year_of_events=2010),
        factories.publish_testimony(nationality="burmese", province="tak", year_of_events=2011),
    ]
    bangkok = factories.publish_testimony(
        nationality="thai", province="bangkok", year_of_events=2011
    )
    factories.make_testimony(nationality="burmese", province="ranong", year_of_events=2009)
    both = factories.make_incident(date="2010-05-01")
    both.testimonies.add(*tak)  # recounted twice: still one raid
    factories.publish_incident(both)
    thai_raid = factories.make_incident(date="2012-01-01")
    thai_raid.testimonies.add(bangkok)
    factories.publish_incident(thai_raid)
    draft_raid = factories.make_incident(date="2011-01-01")  # never published
    draft_raid.testimonies.add(*tak)
    return tak, bangkok


class HomeChartsTests:
    def test_counts_every_published_record_and_nothing_else(self, client, archive):
        page = client.get("/").content
        years = table(figure(page, "per year"))
        # Ranong's draft (2009) is not counted; the draft raid (2011) neither.
        assert years == {
            "2010": ["1", "1"],
            "2011": ["2", "0"],
            "2012": ["0", "1"],
        }
        assert table(figure(page, "per province")) == {"Tak": ["2"], "Bangkok": ["1"]}

    def test_svg_is_labelled_for_screen_readers(self, client, archive):
        fig = figure(client.get("/").content, "per year")
        svg = fig.cssselect("svg")[0]
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.cssselect(f"title#{title_id}")[0].text_content()
        description = svg.cssselect(f"desc#{desc_id}")[0].text_content()
        assert "Testimonies by year of the events: 3" in description
        assert "the most in 2011 (2)" in description
        # One rect per non-empty year: 2010 and 2011 testimonies, 2010 and 2012 raids.
        assert len(svg.cssselect("g.series-testimonies rect")) == 2
        assert len(svg.cssselect("g.series-raids rect")) == 2


class SearchChartsTests:
    def test_charts_follow_the_filters(self, client, archive):
        everything = client.get("/testimonies/").content
        burmese = client.get("/testimonies/", {"nationality": "burmese"}).content
        assert table(figure(everything, "per province")) == {"Tak": ["2"], "Bangkok": ["1"]}
        # The province chart is the province facet: counted with the other filters applied.
        assert table(figure(burmese, "per province")) == {"Tak": ["2"]}
        assert table(figure(burmese, "per year")) == {"2010": ["1", "1"], "2011": ["1", "0"]}
        thai = client.get("/testimonies/", {"nationality": "thai"}).content
        assert table(figure(thai, "per year")) == {"2011": ["1", "0"], "2012": ["0", "1"]}

    def test_the_selected_province_is_marked(self, client, archive):
        page = client.get("/testimonies/", {"province": "tak"}).content
        svg = figure(page, "per province").cssselect("svg")[0]
        assert [g.cssselect("text")[0].text for g in svg.cssselect("g.selected")] == ["Tak"]

    def test_no_match_draws_nothing(self, client, archive):
        page = client.get("/testimonies/", {"q": "nothingmatchesthisword"}).content
        assert not html.fromstring(page).cssselect("figure.chart")

    def test_query_count_does_not_grow_with_the_corpus(self, client, archive):
        def queries() -> int:
            client.get("/testimonies/", {"nationality": "burmese"})  # warms the facet arrays
            with CaptureQueriesContext(connection) as captured:
                assert client.get("/testimonies/", {"nationality": "burmese"}).status_code == 200
            return len(captured)

        before = queries()
        for year in range(2000, 2010):
            testimony = factories.make_testimony(nationality="burmese", year_of_events=year)
            factories.publish_testimony(testimony)
            incident = factories.make_incident(date=f"{year}-02-01")
            incident.testimonies.add(testimony)
            factories.publish_incident(incident)
        assert queries() == before


class LawChartTests:
    def test_testimonies_per_clause_in_the_law_order(self, client):
        law = factories.make_law()
        first, second, unused = (factories.make_clause(law=law) for _ in range(3))
        for clause, times in ((first, 1), (second, 2)):
            for _ in range(times):
                testimony = factories.make_testimony()
                TestimonyClause.objects.create(
                    testimony=testimony, clause=clause, relation="violated"
                )
                factories.publish_testimony(testimony)
        draft = factories.make_testimony()
        TestimonyClause.objects.create(testimony=draft, clause=unused, relation="violated")
        page = client.get(law.get_absolute_url()).content
        fig = figure(page, "per clause")
        assert table(fig) == {first.number: ["1"], second.number: ["2"]}
        labels = [t.text for t in fig.cssselect("svg text:not(.value)")]
        assert labels == [first.number, second.number]
