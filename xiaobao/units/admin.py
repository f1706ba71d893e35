from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Staff, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "active", "sort"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "unit", "roles", "is_active"]
    list_filter = ["unit", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("单位与角色", {"fields": ("full_name", "unit", "roles", "phone")}))
