"""Documents endpoints of API v1: numbered official documents of an item, their files and deliveries."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema, Status

from xiaobao.cases.selectors import get_visible_case
from xiaobao.documents import delivery, services
from xiaobao.documents.catalog import SPECS
from xiaobao.documents.models import Delivery
from xiaobao.documents.rendering import CONTENT_TYPES
from xiaobao.documents.selectors import case_documents, document_view

from .schemas import TEXT, ConflictOut, ErrorOut, ObjectId, ValidationOut, declared

router = Router(tags=["documents"])
NOT_FOUND = {"error": "未找到该件，或您无权查看。"}


class DeliveryOut(Schema):
    id: int
    document: int
    channel: str
    channel_label: str
    recipient: str
    recipient_label: str
    address: str | None = Field(None, description="送达地址（对不能查看投诉举报人身份的用户显示为 ***）")
    proof: str = Field("", description="送达凭证：消息编号、邮寄单号、回执、通话记录等")
    message_id: str | None = Field(None, description="系统发送短信或电子邮件时网关或邮件服务器给出的消息编号")
    succeeded: bool | None = Field(None, description="true 已送达，false 未送达，null 待确认（已寄出的信函）")
    outcome: Literal["succeeded", "failed", "pending"]
    outcome_label: str
    outcome_note: str = Field("", description="结果说明：签收回执、退信原因、发送失败原因")
    sent_at: str | None
    delivered_at: str | None = Field(None, description="送达时间；未送达或待确认时为 null")
    outcome_at: str | None
    retry_of: int | None = Field(None, description="本次送达所接替的未送达记录")
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
    model_config = TEXT

    recipient: str | None = Field(None, description="complainant 或 respondent")
    channel: str | None = Field(None, description="internet、phone、sms、email 或 letter；电子方式（internet、sms、email）须受送达人同意电子送达")
    address: str | None = Field(None, description="送达地址；留空取登记的地址；短信、电子邮件只发往受送达人确认的地址")
    proof: str | None = Field(None, description="送达凭证（邮寄单号、回执、通话记录、平台消息编号）")
    succeeded: bool | None = Field(None, description="true 已送达（留空亦同），false 未送达")
    pending: bool | None = Field(None, description="true：信函已寄出，签收或退回以后记录（…/outcome）")
    send: bool | None = Field(None, description="短信、电子邮件是否由系统发送（默认：未给 proof 和 succeeded 时发送）")
    retry_of: int | None = Field(None, description="所接替的未送达记录 id（默认：同一受送达人最近一次未送达的记录）")
    note: str | None = None
    sent_at: str | None = None
    delivered_at: str | None = None


class OutcomeIn(Schema):
    model_config = TEXT

    succeeded: bool | None = Field(None, description="true 已签收送达，false 退回未送达")
    proof: str | None = Field(None, description="回执或退信原因（退回时必填）")
    delivered_at: str | None = Field(None, description="签收时间（已送达时；默认现在）")


class ConsentIn(Schema):
    model_config = TEXT

    recipient: str | None = Field(None, description="complainant 或 respondent")
    e_delivery_consent: bool | None = Field(None, description="是否同意电子送达")
    e_delivery_phone: str | None = Field(None, description="接收短信的手机号码（默认：联系电话为手机号码时即为该号码）")
    e_delivery_email: str | None = Field(None, description="接收文书的电子邮箱")


class ConsentOut(Schema):
    recipient: str
    consent: bool | None
    phone: str | None
    email: str | None


@router.get("/cases/{case_id}/documents", response={200: list[DocumentOut], 401: ErrorOut, 404: ErrorOut},
            summary="该件的文书")
def list_documents(request, case_id: int):
    case = get_visible_case(request.user, case_id)
    if case is None:
        return Status(404, NOT_FOUND)
    return Status(200, [document_view(d, request.user) for d in case_documents(case)])


@router.post("/cases/{case_id}/documents",
             response={201: DocumentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="制作文书（编号、内容快照）")
def create_document(request, case_id: int, payload: DocumentIn):
    doc_type = payload.type or ""
    document = services.issue_document(actor=request.user, case_id=case_id, doc_type=doc_type)
    return Status(201, document_view(document, request.user))


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
             summary="送达文书（短信、电子邮件由系统发送；其他方式记录送达及凭证）")
def deliver(request, document_id: int, payload: DeliveryIn):
    body = {k: v for k, v in payload.model_dump().items() if v is not None}
    d = delivery.deliver_document(actor=request.user, document_id=document_id, body=body)
    return Status(201, delivery.delivery_view(d, address_shown=delivery.address_visible(
        request.user, d.document.case, d.recipient)))


@router.post("/documents/{document_id}/deliveries/{delivery_id}/outcome",
             response={200: DeliveryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="记录信函的送达结果（签收或退回）")
def delivery_outcome(request, document_id: ObjectId, delivery_id: ObjectId, payload: OutcomeIn):
    body = {k: v for k, v in payload.model_dump().items() if v is not None}
    if not Delivery.objects.filter(pk=delivery_id, document_id=document_id).exists():
        return Status(404, {"error": "未找到该送达记录，或您无权查看。"})
    d = delivery.record_outcome(actor=request.user, delivery_id=delivery_id, body=body)
    return Status(200, delivery.delivery_view(d, address_shown=delivery.address_visible(
        request.user, d.document.case, d.recipient)))


@router.post("/cases/{case_id}/delivery-address",
             response={200: ConsentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="送达地址确认：记录当事人是否同意电子送达及电子送达地址")
def confirm_address(request, case_id: int, payload: ConsentIn):
    body = {k: v for k, v in payload.model_dump().items() if v is not None}
    party = delivery.confirm_address(actor=request.user, case_id=case_id, body=body)
    return Status(200, {"recipient": body["recipient"],
                        **delivery.consent_view(party, shown=True)})
