from django.contrib.auth import views as auth_views
from django.urls import path

from . import (
    account_views,
    approvals_views,
    calendar_views,
    documents_views,
    follow_up_views,
    merging_views,
    triage_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="/login/"), name="logout"),
    *account_views.urlpatterns,
    path("", views.inbox, name="inbox"),
    path("triage/", triage_views.triage_queue, name="triage"),
    *approvals_views.urlpatterns,
    *calendar_views.urlpatterns,
    path("cases/", views.case_list, name="cases"),
    path("follow-ups/", follow_up_views.follow_up_lists, name="follow_ups"),
    path("cases/saved/", views.save_search, name="save_search"),
    path("cases/new/", views.register, name="register"),
    path("cases/<int:case_id>/", views.case_detail_page, name="case"),
    path("cases/<int:case_id>/print/", views.case_print, name="case_print"),
    path("cases/<int:case_id>/actions/<str:action>/", views.case_action, name="action"),
    path("cases/<int:case_id>/merging/", merging_views.case_merging, name="case_merging"),
    path("cases/<int:case_id>/documents/", documents_views.case_documents_page, name="case_documents"),
    path("cases/<int:case_id>/documents/preview/", documents_views.document_preview, name="document_preview"),
    path("documents/<int:document_id>/file/<str:fmt>/", documents_views.document_file, name="document_file"),
    path("documents/<int:document_id>/deliveries/", documents_views.document_deliver, name="document_deliver"),
    path("deliveries/<int:delivery_id>/outcome/", documents_views.delivery_outcome, name="delivery_outcome"),
    path("cases/<int:case_id>/delivery-address/", documents_views.delivery_address, name="delivery_address"),
]
