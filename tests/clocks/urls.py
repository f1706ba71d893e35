"""The project's URLs with the calendar page added to the `web` namespace, as xiaobao/web/urls.py will have it."""

from django.urls import include, path

from xiaobao import urls as project
from xiaobao.web import calendar_views
from xiaobao.web import urls as web

web_patterns = ([*web.urlpatterns, *(p for p in calendar_views.urlpatterns
                                     if p.name not in {q.name for q in web.urlpatterns})], "web")
urlpatterns = [p for p in project.urlpatterns if getattr(p, "app_name", None) != "web"]
urlpatterns.append(path("", include(web_patterns)))
