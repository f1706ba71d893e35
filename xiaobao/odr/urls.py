from django.urls import path

from . import views

app_name = "odr"

urlpatterns = [
    path("", views.register_page, name="businesses"),
    path("new/", views.new_business, name="business_new"),
    path("<int:business_id>/", views.business_page, name="business"),
    path("<int:business_id>/<str:action>/", views.change_state, name="business_state"),
]
