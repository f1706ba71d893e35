from django.contrib.auth import views as auth_views
from django.urls import path

from . import triage_views, views

app_name = "web"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/login/"), name="logout"),
    path("", views.inbox, name="inbox"),
    path("triage/", triage_views.triage_queue, name="triage"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.register, name="register"),
    path("cases/<int:case_id>/", views.case_detail_page, name="case"),
    path("cases/<int:case_id>/actions/<str:action>/", views.case_action, name="action"),
]
