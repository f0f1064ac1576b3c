from django.urls import path, re_path

from api import views

app_name = "api"

# Path parameters match only the shapes records have: anything else (a NUL
# byte, a slash, a 10,000-digit id) is a plain 404 before a database is asked.
T_ID = views.PUBLIC_ID["T"]
R_ID = views.PUBLIC_ID["R"]
SLUG = views.SLUG

urlpatterns = [
    path("testimonies/", views.TestimonySearchView.as_view(), name="testimony-list"),
    re_path(
        rf"^testimonies/(?P<public_id>{T_ID})/$",
        views.TestimonyDetailView.as_view(),
        name="testimony-detail",
    ),
    path("incidents/", views.IncidentListView.as_view(), name="incident-list"),
    re_path(
        rf"^incidents/(?P<public_id>{R_ID})/$",
        views.IncidentDetailView.as_view(),
        name="incident-detail",
    ),
    path("laws/", views.LawListView.as_view(), name="law-list"),
    re_path(rf"^laws/(?P<law_slug>{SLUG})/$", views.LawDetailView.as_view(), name="law-detail"),
    path("clauses/", views.ClauseListView.as_view(), name="clause-list"),
    re_path(
        rf"^clauses/(?P<law_slug>{SLUG})/(?P<clause_slug>{SLUG})/$",
        views.ClauseDetailView.as_view(),
        name="clause-detail",
    ),
    path("violation-types/", views.ViolationTypeListView.as_view(), name="violation-type-list"),
    re_path(
        rf"^violation-types/(?P<code>{SLUG})/$",
        views.ViolationTypeDetailView.as_view(),
        name="violation-type-detail",
    ),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
]
