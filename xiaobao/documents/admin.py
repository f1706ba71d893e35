from __future__ import annotations

import json

from django import forms
from django.contrib import admin

from xiaobao.cases.admin_access import ItemBoundAdmin
from xiaobao.cases.selectors import sees_identity
from xiaobao.records.audit import record

from . import content, rendering, services
from .catalog import SPECS
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


class ReadOnlyAdmin(ItemBoundAdmin):
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
    # The snapshot prints the item's people (a registration form: name, phone, ID, address). It is shown below
    # the fields (admin/documents/document/change_form.html) as the download would render it for this user.
    exclude = ["data"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        document = self.get_object(request, object_id)
        extra = {**(extra_context or {}), **({"document_content": self.content_for(request, document)}
                                             if document is not None else {})}
        return super().change_view(request, object_id, form_url, extra)

    def content_for(self, request, document: Document) -> str | None:
        """The document's content as its download shows this user (masked where they may not see the person),
        or None if they may not see the item; showing the person is audited like a download."""
        case = self.visible_case(request, document)
        if case is None:
            return None
        context, personal = content.for_reader(SPECS[document.type], document.data,
                                               identity_visible=sees_identity(request.user, case))
        if personal:
            record(actor=request.user, action="read_personal", obj=f"document:{document.pk}", case_id=case.pk,
                   detail={"number": document.number, "fields": ["complainant"], "via": "admin"})
        return json.dumps(context, ensure_ascii=False, indent=2)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["document", "recipient", "channel", "status", "sent_at", "delivered_at", "by"]
    list_filter = ["channel", "recipient", "status"]
    # The address is the party's personal data: never here (the item's documents panel masks it as needed).
    exclude = ["address"]
    item_fields = ("note", "proof", "outcome_note", "message_id")

    def case_id_of(self, obj: Delivery) -> int:
        return obj.document.case_id
