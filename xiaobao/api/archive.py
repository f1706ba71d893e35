"""Archive endpoints of API v1: archive records (rules 二.7), the whole case file as one PDF, and revealing a
masked identity for a logged reason (rules 三.5)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema, Status

from xiaobao.archive import classification as classes
from xiaobao.archive import services
from xiaobao.archive.casefile import export_case_file
from xiaobao.archive.models import ArchiveRecord, Retention
from xiaobao.cases.selectors import get_visible_case

from .schemas import TEXT, ConflictOut, ErrorOut, ValidationOut, declared

router = Router(tags=["archive"])
NOT_FOUND = {"error": "未找到该件，或您无权查看。"}


class ArchiveIn(Schema):
    """归档：分类与保管期限见 GET /api/v1/archive/schedule（不适用于该件时 422）。"""

    model_config = {**TEXT, "json_schema_extra": declared(required=("classification", "retention"))}

    classification: str | None = Field(None, description="归档分类代码")
    retention: str | None = Field(None, description="保管期限代码")
    location: str | None = Field(None, description="存放位置")
    note: str | None = None


class RetentionOut(Schema):
    code: str
    label: str
    years: int | None
    basis: str


class ArchiveRecordOut(Schema):
    case: int
    case_number: str
    number: str
    classification: str
    classification_label: str
    retention: RetentionOut
    location: str
    note: str
    archived_by: str
    archived_at: str


class ClassOut(Schema):
    code: str
    label: str


class ScheduleOut(Schema):
    classifications: list[ClassOut]
    retentions: list[RetentionOut]


class RevealIn(Schema):
    model_config = {**TEXT, "json_schema_extra": declared(required=("reason",), not_blank=("reason",))}

    reason: str | None = Field(None, description="查看身份信息的理由（记入审计）")


class PersonOut(Schema):
    name: str
    phone: str | None
    address: str | None
    id_type: str | None
    id_number: str | None
    anonymous: bool
    wants_reply: bool
    masked: bool


class RevealOut(Schema):
    case: int
    complainant: PersonOut


def retention_view(r: Retention) -> dict:
    return {"code": r.code, "label": r.label, "years": r.years, "basis": r.basis}


def record_view(entry: ArchiveRecord) -> dict:
    return {"case": entry.case_id, "case_number": entry.case.number, "number": entry.number,
            "classification": entry.classification, "classification_label": entry.classification_label,
            "retention": retention_view(entry.retention), "location": entry.location, "note": entry.note,
            "archived_by": entry.archived_by.username,
            "archived_at": timezone.localtime(entry.archived_at).isoformat()}


@router.get("/archive/schedule", response={200: ScheduleOut, 401: ErrorOut}, summary="归档分类与保管期限")
def schedule(request):
    return Status(200, {"classifications": [{"code": c, "label": lb} for c, lb in classes.classes()],
                        "retentions": [retention_view(r) for r in Retention.objects.all()]})


@router.post("/cases/{case_id}/archive-record",
             response={201: ArchiveRecordOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="归档（编档号、分类、保管期限）")
def create_archive_record(request, case_id: int, payload: ArchiveIn):
    entry = services.archive_item(actor=request.user, case_id=case_id, classification=payload.classification,
                                  retention=payload.retention, location=payload.location, note=payload.note)
    return Status(201, record_view(entry))


@router.get("/cases/{case_id}/archive-record", response={200: ArchiveRecordOut, 401: ErrorOut, 404: ErrorOut},
            summary="该件的归档记录")
def get_archive_record(request, case_id: int):
    case = get_visible_case(request.user, case_id)
    entry = (ArchiveRecord.objects.select_related("case", "retention", "archived_by").filter(case=case).first()
             if case is not None else None)
    if entry is None:
        return Status(404, NOT_FOUND if case is None else {"error": "该件尚未归档。"})
    return Status(200, record_view(entry))


PDF_RESPONSES = {"200": {"description": "案卷 PDF", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/cases/{case_id}/case-file.pdf", response={200: None, 401: ErrorOut, 404: ErrorOut},
            openapi_extra={"responses": PDF_RESPONSES}, summary="导出整个案卷（一个 PDF）")
def case_file(request, case_id: int):
    case, data = export_case_file(actor=request.user, case_id=case_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"案卷-{case.number}.pdf")
    return response


@router.post("/cases/{case_id}/reveal",
             response={200: RevealOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="说明理由后查看投诉举报人身份（记入审计）")
def reveal(request, case_id: int, payload: RevealIn):
    person = services.reveal_identity(actor=request.user, case_id=case_id, reason=payload.reason)
    return Status(200, {"case": case_id, "complainant": person})
