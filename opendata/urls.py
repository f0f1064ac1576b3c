from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from opendata import feeds, views
from opendata.sitemaps import SITEMAPS

app_name = "opendata"

urlpatterns = [
    path("testimonies/export.csv", views.SearchCSV.as_view(), name="search_csv"),
    path("feeds/testimonies/", feeds.TestimonyFeed(), name="testimony_feed"),
    path("feeds/search/", feeds.SearchFeed(), name="search_feed"),
    path(
        "laws/<slug:law_slug>/<slug:clause_slug>/feed/",
        feeds.ClauseFeed(),
        name="clause_feed",
    ),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "opendata:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("oai", views.oai, name="oai"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
