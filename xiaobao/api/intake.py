"""Intake endpoints of API v1: attachments of an item, and repeat filers / one matter many people."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from xiaobao.cases.selectors import get_visible_case
from xiaobao.intake import results, selectors, services
from xiaobao.intake.models import Attachment
from xiaobao.lib.http import file_download
from xiaobao.records.audit import record
from xiaobao.stats.periods import parse_month
from xiaobao.units.models import Role

from .schemas import ConflictOut, ErrorOut, ValidationOut

router = Router(tags=["intake"])
NOT_FOUND = {"error": "未找到该件，或您无权查看。"}


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: str
    uploaded_by: str | None


def attachment_view(a: Attachment) -> dict:
    return {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
            "uploaded_at": a.uploaded_at.isoformat(), "uploaded_by": a.uploaded_by.username if a.uploaded_by else None}


# The file is required (when it is missing the service says so: 422 with its own message, which is why ninja takes
# the parameter as optional).
FILE_REQUIRED = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {"required": ["file"]}}}}}


@router.post("/cases/{case_id}/attachments",
             response={201: AttachmentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="上传附件（multipart，字段 file）", openapi_extra=FILE_REQUIRED)
def upload_attachment(request, case_id: int, file: File[UploadedFile] = None):
    attachment = services.attach_file(actor=request.user, case_id=case_id, upload=file,
                                      name=file.name if file else "")
    return Status(201, attachment_view(attachment))


@router.get("/cases/{case_id}/attachments", response={200: list[AttachmentOut], 401: ErrorOut, 404: ErrorOut},
            summary="该件的附件")
def list_attachments(request, case_id: int):
    case = get_visible_case(request.user, case_id)
    if case is None:
        return Status(404, NOT_FOUND)
    return Status(200, [attachment_view(a) for a in case.attachments.select_related("uploaded_by")])


DOWNLOAD_RESPONSES = {"200": {"description": "附件文件（类型按内容识别）",
                              "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get("/attachments/{attachment_id}", response={200: None, 401: ErrorOut, 404: ErrorOut},
            openapi_extra={"responses": DOWNLOAD_RESPONSES}, summary="下载附件")
def download_attachment(request, attachment_id: int):
    attachment, handle = services.open_attachment(actor=request.user, attachment_id=attachment_id)
    return file_download(handle, filename=services.download_name(attachment), content_type=attachment.content_type)


class PersonOut(Schema):
    phone_masked: str
    count: int
    cases: list[str]


class MatterOut(Schema):
    respondent: str
    count: int
    people: int
    cases: list[str]


class RepeatsOut(Schema):
    persons: list[PersonOut]
    matters: list[MatterOut]


@router.get("/intake/repeats", response={200: RepeatsOut, 401: ErrorOut, 403: ErrorOut},
            summary="一人多次、一事多人（近90日）")
def repeats(request):
    if not request.user.has_role(Role.DISPATCHER):
        return Status(403, {"error": "只有消保股分流员可以查看一人多次、一事多人。"})
    found = selectors.repeat_persons(request.user)
    services.record_person_match(actor=request.user, case_ids=[c.pk for p in found for c in p.cases],
                                 via="repeat-persons")
    persons = [{"phone_masked": p.masked, "count": p.count, "cases": [c.number for c in p.cases]} for p in found]
    matters = [{"respondent": m.respondent, "count": m.count, "people": m.people,
                "cases": [c.number for c in m.cases]} for m in selectors.repeat_matters(request.user)]
    return Status(200, {"persons": persons, "matters": matters})


RESULTS_DOC = {"responses": {"200": {"description": "当月办结的12315导入件的办理结果（Excel，平台回填格式）",
                                     "content": {results.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/intake/12315/results", response={200: None, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
            openapi_extra=RESULTS_DOC, summary="12315导入件的办理结果（回填平台的 Excel）")
def results_12315(request, month: str):
    if not request.user.has_role(Role.DISPATCHER):
        return Status(403, {"error": "只有消保股分流员可以导出12315办理结果。"})
    period = parse_month(month)
    content, count = results.results_workbook(period)
    record(actor=request.user, action="export_12315_results", obj=f"intake:12315:{period}",
           detail={"month": str(period), "rows": count})
    response = HttpResponse(content, content_type=results.XLSX)
    response["Content-Disposition"] = f'attachment; filename="12315-results-{period}.xlsx"'
    return response
