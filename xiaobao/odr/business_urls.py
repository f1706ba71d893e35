"""The ODR business's pages, mounted at /business/ (xiaobao/urls.py) with the namespace `odr_business`."""

from django.urls import path

from . import business_views

app_name = "odr_business"

urlpatterns = [
    path("", business_views.home, name="home"),
    path("items/<int:case_id>/", business_views.item, name="item"),
    path("items/<int:case_id>/contacts/", business_views.contact, name="contact"),
    path("items/<int:case_id>/answer/", business_views.answer, name="answer"),
]
