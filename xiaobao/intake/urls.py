from django.urls import path

from . import results_views, views

app_name = "intake"

urlpatterns = [
    path("cases/<int:case_id>/attachments/", views.attachments, name="attachments"),
    path("attachments/<int:attachment_id>/", views.download, name="download"),
    path("import/", views.import_page, name="import"),
    path("import/<int:run_id>/", views.import_run, name="import_run"),
    path("import/<int:run_id>/errors.xlsx", views.import_errors, name="import_errors"),
    path("12315/results.xlsx", results_views.results_12315, name="results_12315"),
    path("repeats/", views.repeats, name="repeats"),
    path("duplicates", views.duplicates, name="duplicates"),
    path("earlier", views.earlier, name="earlier"),
]
