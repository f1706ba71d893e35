from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.archive_page, name="index"),
    path("<int:case_id>/", views.archive_case, name="archive"),
    path("<int:case_id>/case-file.pdf", views.case_file, name="case_file"),
]
