from django.urls import path

import archive.citation_downloads  # noqa: F401  (the citefmt converter)
from laws import practice_views, views

app_name = "laws"
urlpatterns = [
    path("", views.law_list, name="law_list"),
    path("practice.csv", practice_views.rankings_csv, name="practice_csv"),
    path("<slug:law_slug>/", views.law_detail, name="law_detail"),
    path("<slug:law_slug>/cite.<citefmt:fmt>", views.law_cite, name="law_cite"),
    path("<slug:law_slug>/practice.csv", practice_views.law_csv, name="law_practice_csv"),
    path("<slug:law_slug>/<slug:clause_slug>/", views.clause_detail, name="clause_detail"),
    path(
        "<slug:law_slug>/<slug:clause_slug>/@<str:as_at>/",
        views.clause_as_at,
        name="clause_as_at",
    ),
    path(
        "<slug:law_slug>/<slug:clause_slug>/@<str:as_at>/cite.<citefmt:fmt>",
        views.clause_as_at_cite,
        name="clause_as_at_cite",
    ),
    path(
        "<slug:law_slug>/<slug:clause_slug>/compare/<str:old>/<str:new>/",
        views.clause_compare,
        name="clause_compare",
    ),
    path(
        "<slug:law_slug>/<slug:clause_slug>/cite.<citefmt:fmt>",
        views.clause_cite,
        name="clause_cite",
    ),
    path(
        "<slug:law_slug>/<slug:clause_slug>/practice.csv",
        practice_views.clause_csv,
        name="clause_practice_csv",
    ),
]
