from django.contrib import admin

from .models import Category, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "family", "name", "effective_from"]
    list_filter = ["family"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "section_code", "food_drug_safety"]
    list_filter = ["kind", "food_drug_safety"]
