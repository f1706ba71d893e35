from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.edit, name="new"),
    path("<int:answer_id>/edit/", views.edit, name="edit"),
    path("search/", views.search_fragment, name="search"),
    path("<int:answer_id>/insert/", views.insert, name="insert"),
]
