"""Documents endpoints of API v1: numbered official documents of an item, their files and deliveries."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema, Status

from xiaobao.cases.selectors import get_visible_case
from xiaobao.documents import services
from xiaobao.documents.catalog import SPECS
from xiaobao.documents.models import DeliveryChannel, Recipient
from xiaobao.documents.rendering import CONTENT_TYPES
from xiaobao.documents.selectors import case_documents, delivery_view, document_view

from .schemas import TEXT, ConflictOut, ErrorOut, ValidationOut, declared

router = Router(tags=["documents"])
NOT_FOUND = {"error": "未找到该件，或您无权查看。"}


class DeliveryOut(Schema):
    id: int
    channel: str
    channel_label: str
    recipient: str
    recipient_label: str
    delivered_at: str
    by: str | None
    note: str


class DocumentOut(Schema):
    id: int
    type: str
    title: str
    number: str
    created_at: str
    created_by: str | None
    case: int
    delivered: list[DeliveryOut]
    files: dict[str, str]


class DocumentIn(Schema):
    model_config = {**TEXT, "json_schema_extra": declared(required=("type",), enums={"type": tuple(SPECS)})}

    type: str | None = Field(None, description="文书种类（该件状态不适用时 409）")


class DeliveryIn(Schema):
    """送达记录。受送达人须为该文书的受送达人之一（否则 422）。"""

    model_config = {**TEXT, "json_schema_extra": declared(
        required=("channel", "recipient"), enums={"channel": tuple(DeliveryChannel.values),
                                                  "recipient": tuple(Recipient.values)},
        formats={"delivered_at": "date-time"})}

    channel: str | None = Field(None, description="送达方式")
    recipient: str | None = Field(None, description="受送达人")
    note: str | None = None
    delivered_at: str | None = Field(None, description="送达时间，ISO 8601（不晚于现在、不早于制作时间；缺省为现在）")


@router.get("/cases/{case_id}/documents", response={200: list[DocumentOut], 401: ErrorOut, 404: ErrorOut},
            summary="该件的文书")
def list_documents(request, case_id: int):
    case = get_visible_case(request.user, case_id)
    if case is None:
        return Status(404, NOT_FOUND)
    return Status(200, [document_view(d) for d in case_documents(case)])


@router.post("/cases/{case_id}/documents",
             response={201: DocumentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="制作文书（编号、内容快照）")
def create_document(request, case_id: int, payload: DocumentIn):
    doc_type = payload.type or ""
    document = services.issue_document(actor=request.user, case_id=case_id, doc_type=doc_type)
    return Status(201, document_view(document))


FILE_RESPONSES = {"200": {"description": "文书文件", "content": {
    ctype: {"schema": {"type": "string", "format": "binary"}} for ctype in CONTENT_TYPES.values()}}}


@router.get("/documents/{document_id}/file", response={200: None, 401: ErrorOut, 404: ErrorOut, 422: ValidationOut},
            openapi_extra={"responses": FILE_RESPONSES}, summary="下载文书（PDF 或 DOCX）")
def document_file(request, document_id: int, format: Literal["pdf", "docx"] = "pdf"):
    document, data = services.download(actor=request.user, document_id=document_id, fmt=format)
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = content_disposition_header(True, f"{document.title}-{document.number}.{format}")
    return response


@router.get("/cases/{case_id}/documents/preview",
            response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ValidationOut},
            openapi_extra={"responses": FILE_RESPONSES}, summary="预览文书（不编号、不保存）")
def preview_document(request, case_id: int, type: str, format: Literal["pdf", "docx"] = "pdf"):
    title, data = services.preview_document(actor=request.user, case_id=case_id, doc_type=type, fmt=format)
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = content_disposition_header(False, f"{title}-预览.{format}")
    return response


@router.post("/documents/{document_id}/deliveries",
             response={201: DeliveryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="记录文书送达")
def deliver(request, document_id: int, payload: DeliveryIn):
    body = {k: v for k, v in payload.model_dump().items() if v is not None}
    delivery = services.deliver_document(actor=request.user, document_id=document_id, body=body)
    return Status(201, delivery_view(delivery))
