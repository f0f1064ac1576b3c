from django.urls import path

from releases import views

app_name = "releases"

urlpatterns = [
    path("", views.release_list, name="list"),
    path("<int:number>/", views.release_detail, name="detail"),
    path("<int:number>/changes.csv", views.release_changes, name="changes"),
    path("<int:number>/<str:name>", views.release_file, name="file"),
]
