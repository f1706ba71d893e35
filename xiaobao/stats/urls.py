from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("stats/monthly/", views.monthly, name="monthly"),
    path("stats/monthly.xlsx", views.monthly_xlsx, name="monthly_xlsx"),
]
