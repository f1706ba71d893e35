from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:kind>/", views.new, name="new"),
    path("track/", views.track, name="track"),
]
