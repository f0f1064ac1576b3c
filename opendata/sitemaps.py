"""The sitemap: every public record page, and nothing else.

Testimony permalinks, raid pages, law and clause pages. Search pages are left
out (endless combinations of one content), and so is everything unpublished:
every section reads through the public door.
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from laws.models import Clause, Law
from testimonies import selectors
from testimonies.models import RaidIncident, Testimony


class TestimonySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Testimony]:
        # Ordered by primary key so that sitemap pages never overlap.
        return selectors.public_testimonies().only("id", "public_id", "published_at").order_by("id")

    def lastmod(self, item: Testimony) -> datetime | None:
        return item.published_at


class IncidentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> QuerySet[RaidIncident]:
        return selectors.public_incidents().only("id", "public_id", "published_at").order_by("id")

    def lastmod(self, item: RaidIncident) -> datetime | None:
        return item.published_at


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


SITEMAPS = {
    "testimonies": TestimonySitemap,
    "incidents": IncidentSitemap,
    "laws": LawSitemap,
    "clauses": ClauseSitemap,
}
