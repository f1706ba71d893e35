"""The staff pages of market warnings, under /stats/ beside the dashboard they belong with."""

from django.urls import path

from . import warning_views

app_name = "warnings"

urlpatterns = [
    path("stats/warnings/", warning_views.warnings_page, name="index"),
    path("stats/warnings/publish/", warning_views.publish, name="publish"),
]
