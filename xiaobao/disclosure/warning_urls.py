"""The staff pages of market warnings, under /stats/ beside the dashboard they belong with, and the consumer
warnings drafted from them (消保股 drafts, the 分管局长 approves)."""

from django.urls import path

from . import warning_views

app_name = "warnings"

urlpatterns = [
    path("stats/warnings/", warning_views.warnings_page, name="index"),
    # Drafts a warning and submits it to the 分管局长 (the URL keeps its first name: publishing now waits for
    # the approval).
    path("stats/warnings/publish/", warning_views.publish, name="publish"),
    path("stats/warnings/alerts/", warning_views.alert_list, name="alerts"),
    path("stats/warnings/alerts/<int:alert_id>/", warning_views.alert_page, name="alert"),
    path("stats/warnings/alerts/<int:alert_id>/approve/", warning_views.approve, name="approve"),
    path("stats/warnings/alerts/<int:alert_id>/reject/", warning_views.reject, name="reject"),
    path("stats/warnings/alerts/<int:alert_id>/revise/", warning_views.revise, name="revise"),
    path("stats/warnings/alerts/<int:alert_id>/document.pdf", warning_views.document, name="document"),
]
