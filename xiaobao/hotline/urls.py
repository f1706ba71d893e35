from django.urls import path

from . import views

app_name = "hotline"

urlpatterns = [
    path("hotline/import/", views.import_page, name="import"),
    path("hotline/outbox/", views.outbox_page, name="outbox"),
    path("hotline/outbox.xlsx", views.outbox_xlsx, name="outbox_xlsx"),
    path("stats/hotline/", views.rates_page, name="rates"),
    path("stats/hotline.xlsx", views.rates_xlsx, name="rates_xlsx"),
]
