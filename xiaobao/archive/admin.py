from __future__ import annotations

from django.contrib import admin

from xiaobao.cases.admin_access import ItemBoundAdmin

from .models import ArchiveRecord, Retention


@admin.register(Retention)
class RetentionAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "years", "default_for", "sort"]


@admin.register(ArchiveRecord)
class ArchiveRecordAdmin(ItemBoundAdmin):
    """Read-only: records are written by archive_item together with the item's state. The archivist's note is
    shown only to users who may see the item (cases/admin_access.py)."""

    item_fields = ("note",)
    list_display = ["number", "case", "classification", "retention", "location", "archived_by", "archived_at"]
    search_fields = ["number", "case__number"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
