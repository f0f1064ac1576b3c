"""The sitemap: every public record page, and nothing else.

Testimony permalinks, raid pages, law and clause pages, and the archive's own
pages (about, methodology, ...). Search pages are left
out (endless combinations of one content), and so is everything unpublished:
every section reads through the public door.
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet

from laws.models import Clause, Law
from pages.models import Page
from testimonies import selectors
from testimonies.models import RaidIncident, Testimony


class PublishedSitemap(Sitemap):
    """Published records, newest change as the section's date."""

    changefreq = "monthly"
    # Small pages: a crawler fetches them one by one, and each stays quick to build.
    limit = 5000

    def items(self) -> QuerySet[Testimony] | QuerySet[RaidIncident]:
        raise NotImplementedError  # each section lists its own records

    def lastmod(self, item: Testimony | RaidIncident) -> datetime | None:
        return item.published_at

    def get_latest_lastmod(self) -> datetime | None:
        # One aggregate, not a walk over every record (Django's default).
        return self.items().aggregate(latest=Max("published_at"))["latest"]


class TestimonySitemap(PublishedSitemap):
    priority = 0.8

    def items(self) -> QuerySet[Testimony]:
        # Ordered by primary key so that sitemap pages never overlap.
        return selectors.public_testimonies().only("id", "public_id", "published_at").order_by("id")


class IncidentSitemap(PublishedSitemap):
    priority = 0.6

    def items(self) -> QuerySet[RaidIncident]:
        return selectors.public_incidents().only("id", "public_id", "published_at").order_by("id")


class LawSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Law]:
        return Law.objects.public().order_by("id")


class ClauseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> QuerySet[Clause]:
        return Clause.objects.public().order_by("id")


class PageSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.4

    def items(self) -> QuerySet[Page]:
        # Only the pages that exist: an unwritten one answers 404.
        return Page.objects.order_by("slug")

    def lastmod(self, item: Page) -> datetime:
        return item.updated_at


SITEMAPS = {
    "testimonies": TestimonySitemap,
    "incidents": IncidentSitemap,
    "laws": LawSitemap,
    "clauses": ClauseSitemap,
    "pages": PageSitemap,
}
