from django.urls import path

from testimonies import views

app_name = "testimonies"

urlpatterns = [
    path("", views.home, name="home"),
    path("testimonies/", views.testimony_list, name="testimony_list"),
    path("testimonies/<str:public_id>/", views.testimony_detail, name="testimony_detail"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/<str:public_id>/", views.incident_detail, name="incident_detail"),
]
