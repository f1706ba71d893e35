from django.contrib import admin

from xiaobao.records.audit import record

from .models import Place, RoutingModelState


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit_code", "active"]
    list_filter = ["unit_code", "kind", "active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        old = Place.objects.filter(pk=obj.pk).values("name", "kind", "unit_code", "active").first() if change else None
        super().save_model(request, obj, form, change)
        new = {"name": obj.name, "kind": obj.kind, "unit_code": obj.unit_code, "active": obj.active}
        record(actor=request.user, action="change_place" if change else "add_place", obj=f"place:{obj.pk}",
               detail={"old": old, "new": new})

    def delete_model(self, request, obj):
        record(actor=request.user, action="delete_place", obj=f"place:{obj.pk}",
               detail={"old": {"name": obj.name, "unit_code": obj.unit_code}})
        super().delete_model(request, obj)


@admin.register(RoutingModelState)
class RoutingModelStateAdmin(admin.ModelAdmin):
    list_display = ["trained_at", "samples"]
    exclude = ["data"]
