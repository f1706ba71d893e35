from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("cases/<int:case_id>/", views.case_workspace, name="workspace"),
    path("cases/<int:case_id>/penalty-decision/", views.upload_penalty_decision, name="upload_penalty_decision"),
]
