"""The project's URLs with the documents pages added to the `web` namespace, as xiaobao/web/urls.py will
have them once wired."""

from django.urls import include, path

from xiaobao import urls as project
from xiaobao.web import documents_views
from xiaobao.web import urls as web

DOCUMENT_URLS = [
    path("cases/<int:case_id>/documents/", documents_views.case_documents_page, name="case_documents"),
    path("documents/<int:document_id>/file/<str:fmt>/", documents_views.document_file, name="document_file"),
    path("documents/<int:document_id>/deliveries/", documents_views.document_deliver, name="document_deliver"),
]
names = {p.name for p in web.urlpatterns}
urlpatterns = [p for p in project.urlpatterns if getattr(p, "app_name", None) != "web"]
urlpatterns.append(path("", include(([*web.urlpatterns, *(p for p in DOCUMENT_URLS if p.name not in names)], "web"))))
