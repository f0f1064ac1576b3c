from django.urls import path

from laws import views

app_name = "laws"
urlpatterns = [
    path("", views.law_list, name="law_list"),
    path("<slug:law_slug>/", views.law_detail, name="law_detail"),
    path("<slug:law_slug>/<slug:clause_slug>/", views.clause_detail, name="clause_detail"),
]
