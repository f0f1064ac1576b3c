from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    # Before the apps whose address spaces it shares (/testimonies/export.csv, /laws/.../feed/).
    path("", include("opendata.urls")),
    path("laws/", include("laws.urls")),
    path("data/", include("releases.urls")),
    path("", include("pages.urls")),
    # The language switcher posts here and is sent back to the same page. No CSRF
    # token: forging a change of display language harms no one, and a per-reader
    # token in every page would make identical pages differ and defeat caching.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("testimonies.urls")),
]

handler400 = "archive.errors.bad_request"
handler500 = "archive.errors.server_error"
handler404 = "archive.errors.not_found"
