from django.urls import path

from pages import views
from pages.models import Page

app_name = "pages"

# Fixed addresses without parameters: one per page, named by its slug.
urlpatterns = [path(f"{slug}/", views.page, {"slug": slug}, name=slug) for slug in Page.Slug.values]
