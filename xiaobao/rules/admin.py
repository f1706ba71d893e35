from django.contrib import admin

from xiaobao.records.admin_audit import AuditedAdmin

from .models import Category, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    list_display = ["code", "family", "name", "effective_from"]
    list_filter = ["family"]


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "section_code", "food_drug_safety"]
    list_filter = ["kind", "food_drug_safety"]
