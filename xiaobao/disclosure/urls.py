from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.index, name="index"),
    path("business/", views.business, name="business"),
    path("odr/", views.odr_members, name="odr"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
]
