from django.urls import path

from . import views

app_name = "rewards"

urlpatterns = [
    path("cases/<int:case_id>/", views.panel, name="panel"),
    path("cases/<int:case_id>/actions/<str:action>/", views.act, name="act"),
    path("cases/<int:case_id>/forms/<str:kind>.pdf", views.document, name="document"),
]
