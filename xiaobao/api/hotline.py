"""12345 hotline endpoints of API v1 (API-v1.md "12345 hotline work orders"): orders in, the outbox out, the
回访 result in, the 三率."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from xiaobao.cases.models import Case
from xiaobao.cases.present import case_detail
from xiaobao.cases.selectors import get_visible_case
from xiaobao.hotline import exports, importer, services
from xiaobao.hotline.bodies import VisitBody
from xiaobao.hotline.models import Order
from xiaobao.hotline.stats import hotline_rates
from xiaobao.intake.importer import FileRefused
from xiaobao.records.audit import record
from xiaobao.stats.access import BUREAU_ROLES, statistics_scope
from xiaobao.stats.periods import parse_month

from .body import json_object
from .schemas import MOMENT, CaseOut, ConflictOut, ErrorOut, ValidationOut

router = Router(tags=["hotline"])
NOT_FOUND = {"error": "未找到该工单，或您无权查看。"}


# The years the system serves (timeutil.FIRST_YEAR–LAST_YEAR): a time outside them is refused as malformed; a
# moment's offset too (schemas.MOMENT).
YEARS = "^2[0-9]{3}-"


def _order_schema(schema: dict) -> None:
    """What receive_order checks, declared (it checks the types itself, to name every bad field at once)."""
    text = {"type": "string", "pattern": r"\S"}
    person = {"type": "object", "additionalProperties": True, "properties": {  # the parties' columns
        "name": {"type": "string", "maxLength": 120}, "phone": {"type": "string", "maxLength": 40},
        "address": {"type": "string", "maxLength": 250}}}
    schema["properties"] = {
        "order_no": {**text, "maxLength": 80, "description": "工单编号（幂等键：同一编号再次推送返回同一件，200）"},
        "received_at": {"type": "string", "format": "date-time", "pattern": MOMENT,
                        "description": "派单时间，ISO 8601（无时区为北京时间；2000–2999 年，不晚于现在）"},
        "category": {"type": "string", "enum": list(services.KIND_OF_CATEGORY),
                     "description": "投诉 → complaint，举报 → report，咨询、求助、建议 → inquiry"},
        "title": {**text, "maxLength": 200, "description": "标题；没有诉求时作为诉求"},
        "content": {**text, "description": "工单内容（件的事实与理由）"},
        "demand": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "诉求（可选）"},
        "requester": {**person, "description": "来电人 {name, phone, address}：该类件的规则集要求的须填写"},
        "respondent": {**person, "description": "被反映对象 {name, address}：该类件的规则集要求的须填写"},
        "sign_due": {"type": "string", "format": "date-time", "pattern": MOMENT,
                     "description": "签收时限，ISO 8601（不早于派单时间）"},
        "finish_due": {"type": "string", "format": "date", "pattern": YEARS,
                       "description": "办结时限，YYYY-MM-DD（不早于派单日期）"},
    }
    schema["required"] = [f for f in services.ORDER_FIELDS if f not in ("requester", "respondent")]
    # What each category's item needs of the people, by the rule set in force, is added when the document is
    # served (v1.XiaobaoApi, contract.order_in_requirements).


class OrderIn(Schema):
    """A 12345 work order as the hotline sends it; every field but demand is required (missing → 422 naming each).
    receive_order checks every field itself (types included), so that every bad field is named at once; unknown
    fields are ignored."""

    model_config = {"extra": "allow", "json_schema_extra": _order_schema}

    order_no: Any = None
    received_at: Any = None
    category: Any = None
    title: Any = None
    content: Any = None
    demand: Any = None
    requester: Any = None
    respondent: Any = None
    sign_due: Any = None
    finish_due: Any = None


class HotlineOut(Schema):
    order_no: str
    category: str
    title: str
    sign_due: str
    finish_due: str
    original_finish_due: str


class HotlineCaseOut(CaseOut):
    hotline: HotlineOut | None = None


def order_view(order: Order) -> dict:
    from django.utils import timezone

    return {"order_no": order.order_no, "category": order.category, "title": order.title,
            "sign_due": timezone.localtime(order.sign_due).isoformat(), "finish_due": order.finish_due.isoformat(),
            "original_finish_due": order.original_finish_due.isoformat()}


def _detail(user, case: Case) -> dict:
    case = Case.objects.select_related("complainant", "respondent", "unit", "handler", "rule_set").get(pk=case.pk)
    order = services.order_of(case)
    return {**case_detail(user, case), "hotline": order_view(order) if order else None}


@router.post("/hotline/orders", response={200: HotlineCaseOut, 201: HotlineCaseOut, 401: ErrorOut, 403: ErrorOut,
                                          422: ValidationOut},
             summary="接收12345工单（按工单编号幂等）")
def receive_order(request, payload: OrderIn):
    case, created = services.receive_order(actor=request.user, data=payload.model_dump())
    return Status(201 if created else 200, _detail(request.user, case))


@router.get("/hotline/orders/{order_no}", response={200: HotlineCaseOut, 401: ErrorOut, 404: ErrorOut},
            summary="按工单编号查看一件")
def get_order(request, order_no: str):
    order = Order.objects.filter(order_no=order_no).first()
    case = get_visible_case(request.user, order.case_id) if order else None
    if case is None:
        return Status(404, NOT_FOUND)
    return Status(200, _detail(request.user, case))


# The body is the hotline_visit action's model (hotline.bodies.VisitBody), checked by the service with it after the
# order is found (404) and concluded (409); ninja takes the body as it comes.
VISIT_DOC = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": f"#/components/schemas/{VisitBody.__name__}"}}}}}


@router.post("/hotline/orders/{order_no}/visit",
             response={200: HotlineCaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut,
                       422: ValidationOut},
             summary="录入12345回访结果（不满意则重办）", openapi_extra=VISIT_DOC)
def visit(request, order_no: str):
    case = services.visit_by_order(actor=request.user, order_no=order_no, body=json_object(request))
    return Status(200, _detail(request.user, case))


class OutboxEntryOut(Schema):
    cursor: int
    order_no: str
    type: str = Field(description="signed · returned · extension_requested · finished")
    at: str
    data: dict[str, Any] = Field(description="随类型而定：signed {unit, on_time}；returned {unit, reason}；"
                                             "extension_requested {until, reason}；finished {result, public_reply, "
                                             "outcome, unit}（docs/12345-bridge.md）")


class OutboxOut(Schema):
    results: list[OutboxEntryOut]
    next: int


OUTBOX_DOC = {"responses": {"200": {"description": "回传事项（JSON），或 Excel（format=xlsx）",
                                    "content": {
                                        "application/json": {"schema": {"$ref": "#/components/schemas/OutboxOut"}},
                                        exports.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/hotline/outbox", response={200: OutboxOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
            summary="12345回传事项（按游标，依次、每项一次）", openapi_extra=OUTBOX_DOC)
def outbox(request, after: int | None = None, limit: int = services.OUTBOX_PAGE, format: str | None = None):
    if format == "xlsx":
        # Without a cursor the file starts after the last export (a person exporting by hand).
        content, export = exports.outbox_workbook(actor=request.user, after=after)
        response = HttpResponse(content, content_type=exports.XLSX)
        response["Content-Disposition"] = (f'attachment; filename="hotline-outbox-{export.after}-'
                                           f'{export.last_cursor}.xlsx"')
        return response
    after = after or 0
    rows = services.outbox_entries(actor=request.user, after=after, limit=limit)
    return Status(200, {"results": [services.entry_view(e) for e in rows], "next": rows[-1].pk if rows else after})


class RatesOut(Schema):
    orders: int
    signed_on_time: int
    response_rate: float | None
    visited: int
    resolved: int
    resolved_rate: float | None
    satisfied: int
    basic: int
    satisfaction_rate: float | None


class UnitRatesOut(RatesOut):
    unit: str
    name: str


class HotlineStatsOut(Schema):
    month: str
    unit: str | None
    bureau: RatesOut | None
    units: list[UnitRatesOut]


STATS_DOC = {"responses": {"200": {"description": "三率（JSON），或 Excel（format=xlsx）",
                                   "content": {
                                       "application/json": {"schema": {"$ref": "#/components/schemas/HotlineStatsOut"}},
                                       exports.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/stats/hotline", response={200: HotlineStatsOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
            summary="12345工单三率（响应率、解决率、满意率）", openapi_extra=STATS_DOC)
def stats_hotline(request, month: str, unit: str | None = None, format: str | None = None):
    period = parse_month(month)
    scope = statistics_scope(request.user, unit)
    # A unit's staff see their own unit's figures only, not the bureau's (xiaobao.stats.access).
    figures = hotline_rates(period, scope, with_bureau=request.user.has_role(*BUREAU_ROLES))
    if format == "xlsx":
        record(actor=request.user, action="export_stats", obj=f"stats:hotline:{period}",
               detail={"unit": figures["unit"], "format": "xlsx", "via": "api"})
        response = HttpResponse(exports.rates_workbook(figures), content_type=exports.XLSX)
        response["Content-Disposition"] = f'attachment; filename="hotline-{period}-{figures["unit"] or "bureau"}.xlsx"'
        return response
    return Status(200, figures)


class ImportErrorOut(Schema):
    field: str
    column: str
    message: str


class ImportRowOut(Schema):
    row: int
    order_no: str
    errors: list[ImportErrorOut]


class ImportOut(Schema):
    created: int
    existing: int
    failed: list[ImportRowOut]


# The file is required (when it is missing the service says so: 422 with its own message, which is why ninja takes
# the parameter as optional).
FILE_REQUIRED = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {"required": ["file"]}}}}}


@router.post("/hotline/import", response={200: ImportOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
             summary="导入12345平台导出的工单表（Excel，multipart，字段 file；按工单编号幂等）", openapi_extra=FILE_REQUIRED)
def import_orders(request, file: File[UploadedFile] = None):
    if file is None:
        return Status(422, {"errors": [{"field": "file", "message": "请选择12345平台导出的 Excel 文件。"}]})
    try:
        result = importer.import_file(actor=request.user, file_name=file.name or "", data=file.read())
    except FileRefused as exc:
        return Status(422, {"errors": [{"field": "file", "message": str(exc)}]})
    return Status(200, {"created": len(result.created), "existing": len(result.existing), "failed": result.failed})
