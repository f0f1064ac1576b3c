"""Atom feeds of newly published testimonies: all of them, per clause, per search.

Entries are read through the public door only and carry the published
summary; their links are the permalinks.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from laws import selectors as law_selectors
from laws.models import Clause
from testimonies import selectors
from testimonies.models import Testimony
from testimonies.search import Sort, matching_ids_from_query

FEED_SIZE = 50


@dataclass(frozen=True)
class Subject:
    """What one request's feed is about. Feed instances are shared between
    requests (and threads), so nothing request-specific may live on them."""

    path: str  # the address asked for, for the feed's self link
    clause: Clause | None = None
    text: str = ""  # the search's words
    ids: tuple[int, ...] = ()  # the search's newest matches
    query: str = ""


def newest_first(testimonies: QuerySet[Testimony]) -> QuerySet[Testimony]:
    return testimonies.order_by("-first_published_at", "-id")[:FEED_SIZE]


class TestimonyFeed(Feed):
    """Newly published testimonies; the per-clause and per-search feeds narrow it."""

    feed_type = Atom1Feed
    author_name = settings.ARCHIVE_NAME

    def title(self, obj: Subject) -> str:
        return f"New testimonies in the {settings.ARCHIVE_NAME}"

    def subtitle(self, obj: Subject) -> str:
        return "Testimonies as they are first published, newest first."

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Subject:
        return Subject(path=request.get_full_path())

    def link(self, obj: Subject) -> str:
        return f"{reverse('testimonies:testimony_list')}?sort={Sort.NEWEST}"

    def feed_url(self, obj: Subject) -> str:
        return obj.path

    def items(self, obj: Subject) -> QuerySet[Testimony] | list[Testimony]:
        return newest_first(selectors.public_testimonies())

    def item_title(self, item: Testimony) -> str:
        return f"{item.public_id}: {item.title}"

    def item_description(self, item: Testimony) -> str:
        # Atom marks the summary as HTML; the summary is plain text.
        return escape(item.summary)

    def item_link(self, item: Testimony) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Testimony) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Testimony) -> datetime | None:
        return item.published_at


class ClauseFeed(TestimonyFeed):
    """New testimonies concerning one clause, announced on the clause's page."""

    def get_object(self, request: HttpRequest, law_slug: str, clause_slug: str) -> Subject:
        clause = law_selectors.clause_by_slugs(law_slug=law_slug, clause_slug=clause_slug)
        return Subject(path=request.get_full_path(), clause=clause)

    def title(self, obj: Subject) -> str:
        return f"New testimonies concerning {_clause(obj).citation}"

    def subtitle(self, obj: Subject) -> str:
        clause = _clause(obj)
        return f"{clause.citation}: {clause.heading}"

    def link(self, obj: Subject) -> str:
        return _clause(obj).get_absolute_url()

    def items(self, obj: Subject) -> QuerySet[Testimony]:
        return newest_first(
            selectors.public_testimonies().filter(clause_links__clause=_clause(obj)).distinct()
        )


def _clause(obj: Subject) -> Clause:
    assert obj.clause is not None  # ClauseFeed.get_object always names one
    return obj.clause


class SearchFeed(TestimonyFeed):
    """The newest testimonies matching a search; same query string as the search page."""

    def subtitle(self, obj: Subject) -> str:
        return "The newest testimonies matching a search of the archive."

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Subject:
        # A feed is read for what is new, whatever order the page was in.
        ids = matching_ids_from_query(request.GET, sort=Sort.NEWEST)[:FEED_SIZE]
        query = request.GET.copy()
        query.pop("page", None)
        return Subject(
            path=request.get_full_path(),
            # As the search form cleans it; the query is valid by now.
            text=request.GET.get("q", "").strip(),
            ids=tuple(ids),
            query=query.urlencode(),
        )

    def title(self, obj: Subject) -> str:
        if obj.text:
            return f"New testimonies matching “{obj.text}”"
        return "New testimonies matching a search"

    def link(self, obj: Subject) -> str:
        return f"{reverse('testimonies:testimony_list')}?{obj.query}"

    def items(self, obj: Subject) -> list[Testimony]:
        by_id = selectors.public_testimonies().in_bulk(obj.ids)
        return [by_id[pk] for pk in obj.ids if pk in by_id]
