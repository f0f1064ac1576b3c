from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before the apps whose address spaces it shares (/testimonies/export.csv, /laws/.../feed/).
    path("", include("opendata.urls")),
    path("laws/", include("laws.urls")),
    path("", include("testimonies.urls")),
]

handler400 = "archive.errors.bad_request"
