"""The admin site as the bureau's administrator sees it: in Chinese, and without what the system does not use.

Access is given by roles (units.Staff.roles), not by Django's groups and permissions, so the group pages and
the permission lists (model names in English) are left out; the task queue's own app is named in Chinese."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group

admin.site.unregister(Group)

tasks = apps.get_app_config("django_tasks_database")  # django-tasks-db
tasks.verbose_name = "后台任务"
for model in tasks.get_models():
    model._meta.verbose_name = "任务"
    model._meta.verbose_name_plural = "后台任务记录"

# The index shows the read replica's state and lag when one is configured (issue 24, point 2).
admin.site.index_template = "admin/xiaobao_index.html"
