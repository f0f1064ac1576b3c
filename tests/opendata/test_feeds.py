"""Atom feeds, read by a real feed parser."""

import feedparser
import pytest
from django.http import QueryDict
from django.urls import reverse

from testimonies.search.columns import facet_data
from testimonies.search.faceted import search
from testimonies.search.params import search_params

pytestmark = pytest.mark.django_db


def read_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def newest_first(testimonies):
    return sorted(testimonies, key=lambda t: (t.first_published_at, t.pk), reverse=True)


class FeedTests:
    def test_new_testimonies_newest_first_with_permalinks_and_summaries(self, client, open_archive):
        feed = read_feed(client, reverse("opendata:testimony_feed"))
        expected = newest_first(open_archive["published"])
        assert [entry.link for entry in feed.entries] == [
            f"http://testserver{t.get_absolute_url()}" for t in expected
        ]
        assert [entry.id for entry in feed.entries] == [entry.link for entry in feed.entries]
        # (The first entries start with a carriage return, which XML reads as a newline.)
        entry, testimony = feed.entries[-1], expected[-1]
        assert entry.title == f"{testimony.public_id}: {testimony.title}"
        assert entry.summary == testimony.summary
        assert entry.published_parsed and entry.updated_parsed
        assert feed.feed.links[-1].rel == "self"

    def test_a_summary_is_text_not_markup(self, client, open_archive):
        testimony = open_archive["published"][0]
        testimony.summary_source = "<b>bold</b> & <script>x</script>"
        testimony.save()
        feed = read_feed(client, reverse("opendata:testimony_feed"))
        entry = next(e for e in feed.entries if testimony.public_id in e.title)
        assert entry.summary == "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;"

    def test_clause_feed_lists_the_testimonies_concerning_it(self, client, open_archive):
        clause = open_archive["clauses"][1]  # ICCPR Art. 9
        url = reverse("opendata:clause_feed", kwargs={"law_slug": "iccpr", "clause_slug": "art-9"})
        assert url == f"{clause.get_absolute_url()}feed/"
        feed = read_feed(client, url)
        assert feed.feed.title == "New testimonies concerning ICCPR, Art. 9"
        linked = [t for t in open_archive["published"] if t.clause_links.filter(clause=clause)]
        assert [entry.link for entry in feed.entries] == [
            f"http://testserver{t.get_absolute_url()}" for t in newest_first(linked)
        ]
        assert feed.feed.link == f"http://testserver{clause.get_absolute_url()}"

    def test_unknown_clause_feed_is_404(self, client, open_archive):
        assert client.get("/laws/iccpr/art-999/feed/").status_code == 404

    @pytest.mark.parametrize(
        "query", ["q=shelter", "nationality=burmese&sort=year-asc", "q=raid+OR+wages", ""]
    )
    def test_search_feed_has_the_newest_matches_of_the_same_search(
        self, client, open_archive, query
    ):
        feed = read_feed(client, f"{reverse('opendata:search_feed')}?{query}")
        params = search_params(QueryDict(f"{query}&sort=newest"), facet_data=facet_data())
        result = search(params, per_page=50)
        assert result.total > 0
        assert [entry.link for entry in feed.entries] == [
            f"http://testserver{hit.testimony.get_absolute_url()}" for hit in result.hits
        ]

    def test_search_feed_with_bad_parameters_is_a_400(self, client, open_archive):
        response = client.get(reverse("opendata:search_feed"), {"province": "atlantis"})
        assert response.status_code == 400
        assert b"atlantis" in response.content

    def test_pages_announce_their_feeds(self, client, open_archive):
        search_feed = reverse("opendata:search_feed")
        html = client.get(reverse("testimonies:testimony_list"), {"q": "shelter"}).content
        html = html.decode()
        assert (
            f'<link rel="alternate" type="application/atom+xml" '
            f'title="New testimonies matching this search" href="{search_feed}?q=shelter">'
        ) in html
        assert f'<a href="{search_feed}?q=shelter" type="application/atom+xml">' in html
        clause = open_archive["clauses"][0]
        html = client.get(clause.get_absolute_url()).content.decode()
        assert html.count(f'href="{clause.get_absolute_url()}feed/"') == 2
        html = client.get(reverse("testimonies:home")).content.decode()
        assert f'href="{reverse("opendata:testimony_feed")}"' in html
