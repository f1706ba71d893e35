from django.urls import path

from . import dashboard_views, submission_views, views

app_name = "stats"

urlpatterns = [
    path("stats/monthly/", views.monthly, name="monthly"),
    path("stats/monthly.xlsx", views.monthly_xlsx, name="monthly_xlsx"),
    path("stats/monthly.pdf", views.monthly_pdf, name="monthly_pdf"),
    path("stats/dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("stats/dashboard/<slug:chart>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("stats/submission/", submission_views.submission, name="submission"),
    path("stats/submissions/", submission_views.submissions, name="submissions"),
    path("stats/submissions/<int:submission_id>/", submission_views.submission_detail, name="submission_detail"),
]
