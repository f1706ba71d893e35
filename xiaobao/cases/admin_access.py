"""Admin pages of records that belong to an item (its documents, their deliveries, its archive record).

The admin shows nobody what the item's pages and the API would not (rules 三.5; issue 16): what such a record
says about the item's people — a document's content, a free-text note — appears only to a user who may see
the item (selectors.get_visible_case), and the person only to one who may see the person (sees_identity).
An administrator, who sees no item, sees the record's number, kind, dates and authors only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Case
from .selectors import get_visible_case


class ItemBoundAdmin(admin.ModelAdmin):
    # Fields that may carry what the item says (free text); shown only to users who may see the item.
    item_fields: tuple[str, ...] = ()

    def case_id_of(self, obj) -> int:
        return obj.case_id

    def visible_case(self, request: HttpRequest, obj) -> Case | None:
        return get_visible_case(request.user, self.case_id_of(obj))

    def get_fields(self, request: HttpRequest, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and self.visible_case(request, obj) is not None:
            return fields
        return [f for f in fields if f not in self.item_fields]
