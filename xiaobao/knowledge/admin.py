from django.contrib import admin

from . import services
from .models import Answer


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("question", "basis", "active", "updated_by", "updated_at")
    list_filter = ("active",)
    search_fields = ("question", "keywords", "answer")
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        services.store(actor=request.user, answer=obj, created=not change)
