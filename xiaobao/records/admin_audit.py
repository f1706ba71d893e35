"""Admin changes to configuration (rules, categories, places) land in the audit trail with old and new values."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import model_to_dict

from .audit import record


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        old = model_to_dict(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record(actor=request.user, action=f"{'change' if change else 'add'}_{obj._meta.model_name}",
               obj=f"{obj._meta.model_name}:{obj.pk}", detail={"old": old, "new": model_to_dict(obj)})

    def delete_model(self, request, obj):
        record(actor=request.user, action=f"delete_{obj._meta.model_name}", obj=f"{obj._meta.model_name}:{obj.pk}",
               detail={"old": model_to_dict(obj)})
        super().delete_model(request, obj)
