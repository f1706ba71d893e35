"""The project's URLs with the statistics pages included, as xiaobao/urls.py will have them."""

from django.urls import include, path

from xiaobao import urls as project

urlpatterns = [path("", include("xiaobao.stats.urls")), *project.urlpatterns]
