from __future__ import annotations

from django import forms
from django.contrib import admin

from . import rendering, services
from .models import Delivery, Document, DocumentTemplate
from .samples import sample_context
from .sandbox import TemplateRefused


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["type", "docx", "note"]

    def clean(self):
        data = super().clean()
        upload = data.get("docx")
        if upload and data.get("type") and hasattr(upload, "read"):
            # Refuse a template that uses more than placeholders (sandbox.check), or cannot render (broken tags,
            # not a DOCX), before it replaces the shipped one.
            try:
                upload.seek(0)
                rendering.render_docx(sample_context(data["type"]), upload)
            except TemplateRefused as e:
                self.add_error("docx", e.message)
            except Exception as e:
                self.add_error("docx", f"该模板无法生成文书：{e}")
            finally:
                upload.seek(0)
        return data


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    form = DocumentTemplateForm
    list_display = ["type", "docx", "note", "uploaded_at"]

    def save_model(self, request, obj, form, change):
        services.save_template(actor=request.user, template=obj)

    def delete_model(self, request, obj):
        services.delete_template(actor=request.user, template=obj)

    def delete_queryset(self, request, queryset):
        for template in queryset:
            services.delete_template(actor=request.user, template=template)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Documents and deliveries change only through xiaobao.documents.services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "type", "case", "created_at", "created_by"]
    list_filter = ["type"]
    search_fields = ["number", "case__number"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["document", "recipient", "channel", "delivered_at", "by"]
    list_filter = ["channel", "recipient"]
