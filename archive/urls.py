from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("laws/", include("laws.urls")),
    path("", include("testimonies.urls")),
]

handler400 = "archive.errors.bad_request"
