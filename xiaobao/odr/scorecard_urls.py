from django.urls import path

from . import scorecard_views

app_name = "odr_scorecard"

urlpatterns = [
    path("", scorecard_views.index, name="index"),
]
