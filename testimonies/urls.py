from django.urls import path

import archive.citation_downloads  # noqa: F401  (the citefmt converter)
from testimonies import views

app_name = "testimonies"

urlpatterns = [
    path("", views.home, name="home"),
    path("testimonies/", views.testimony_list, name="testimony_list"),
    path("testimonies/<str:public_id>/", views.testimony_detail, name="testimony_detail"),
    path(
        "testimonies/<str:public_id>/cite.<citefmt:fmt>",
        views.testimony_cite,
        name="testimony_cite",
    ),
    # <int:> matches digits only: v-1 and v1.5 never reach the view.
    path(
        "testimonies/<str:public_id>/v<int:number>/",
        views.testimony_version,
        name="testimony_version",
    ),
    path(
        "testimonies/<str:public_id>/v<int:number>/cite.<citefmt:fmt>",
        views.testimony_cite,
        name="testimony_version_cite",
    ),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/<str:public_id>/", views.incident_detail, name="incident_detail"),
    path(
        "incidents/<str:public_id>/cite.<citefmt:fmt>",
        views.incident_cite,
        name="incident_cite",
    ),
]
