from django.contrib import admin

from .models import DutyAssignment


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(admin.ModelAdmin):
    """定人定岗 (rules 一.3(1)): who signs for routed items in each unit."""

    list_display = ["unit", "staff", "active"]
    list_filter = ["unit", "active"]
