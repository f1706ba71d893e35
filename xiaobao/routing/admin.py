from django.contrib import admin

from xiaobao.records.admin_audit import AuditedAdmin

from .models import Place, RoutingModelState


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["name", "kind", "unit_code", "also_in", "active"]
    list_filter = ["unit_code", "kind", "active"]
    search_fields = ["name"]


@admin.register(RoutingModelState)
class RoutingModelStateAdmin(admin.ModelAdmin):
    list_display = ["trained_at", "samples"]
    exclude = ["data"]
