"""Market warnings and consumer warnings (消费预警) of API v1: 消保股 lists the spikes and drafts a warning from
one, the 分管局长 approves or sends it back, anyone may download it as a document (issue 20.5)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from xiaobao.cases.errors import NotPermitted
from xiaobao.disclosure import services
from xiaobao.disclosure.models import ConsumerAlert
from xiaobao.records.audit import record
from xiaobao.stats import warnings

from .schemas import ConflictOut, ErrorOut, ValidationOut

router = Router(tags=["consumer warnings"])


class SpikeOut(Schema):
    dimension: Literal["business", "category", "area"]
    key: str
    label: str
    window_days: int
    count: int
    history: list[int]
    mean: float
    std: float
    case_ids: list[int]


class SpikesOut(Schema):
    items: list[SpikeOut]


class AlertIn(Schema):
    dimension: str = Field(..., description="business | category | area（市场预警的维度）")
    key: str = Field(..., description="市场预警的键（GET /warnings 的 key）")
    days: int = Field(..., description="7 或 30（预警的时间窗）")
    title: str = Field("", description="标题，不超过100字")
    body: str = Field("", description="正文，不超过5000字；不得含投诉举报人的个人信息")


class ReviseIn(Schema):
    title: str = ""
    body: str = ""


class ApproveIn(Schema):
    note: str = Field("", description="审批意见（可选）")


class RejectIn(Schema):
    reason: str = Field("", description="退回理由（必填）")


class AlertOut(Schema):
    id: int
    title: str
    body: str
    status: Literal["pending", "rejected", "published"]
    status_label: str
    number: str = Field(..., description="期号，如“2026年第3期”；发布前为空")
    drafted_by: str | None
    drafted_at: str | None
    published_by: str | None
    published_at: str | None
    rejection_reason: str
    source: dict = Field(..., description="来源预警：dimension, key, label, window_days, count …")


class AlertListOut(Schema):
    items: list[AlertOut]


def _time(t) -> str | None:
    return timezone.localtime(t).isoformat() if t else None


def alert_view(alert: ConsumerAlert) -> dict:
    return {"id": alert.pk, "title": alert.title, "body": alert.body, "status": alert.status,
            "status_label": alert.get_status_display(), "number": alert.number,
            "drafted_by": alert.drafted_by.get_full_name() or alert.drafted_by.username if alert.drafted_by else None,
            "drafted_at": _time(alert.drafted_at),
            "published_by": (alert.published_by.get_full_name() or alert.published_by.username)
            if alert.published_by else None,
            "published_at": _time(alert.published_at), "rejection_reason": alert.rejection_reason,
            "source": {k: v for k, v in alert.created_from.items() if k != "case_ids"}}


@router.get("/warnings", response={200: SpikesOut, 401: ErrorOut, 403: ErrorOut}, summary="市场预警（消保股）")
def spikes(request):
    if not services.may_publish(request.user):
        return Status(403, {"error": "市场预警只对消保股开放。"})
    return {"items": [{**s.as_json(), "case_ids": [c.pk for c in s.items]} for s in warnings.all_spikes()]}


@router.get("/alerts", response={200: AlertListOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut}, summary="消费警示列表")
def list_alerts(request, status: str | None = Query(None, description="pending | rejected | published")):
    return {"items": [alert_view(a) for a in services.alerts_for(request.user, status)[:500]]}


@router.post("/alerts", response={201: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationOut},
             summary="据市场预警起草消费警示并提交分管局长审批")
def draft(request, payload: AlertIn):
    if not services.may_publish(request.user):
        raise NotPermitted("只有消保股可以起草消费警示。")
    spike = warnings.find(payload.dimension, payload.key, payload.days)
    if spike is None:
        return Status(404, {"error": "该预警已不存在（数据已变化），请刷新后再试。"})
    alert = services.draft_alert(actor=request.user, spike=spike, title=payload.title, body=payload.body)
    return Status(201, alert_view(alert))


@router.get("/alerts/{alert_id}", response={200: AlertOut, 401: ErrorOut, 404: ErrorOut}, summary="一条消费警示")
def get_alert(request, alert_id: int):
    return alert_view(services.visible_alert(request.user, alert_id))


@router.post("/alerts/{alert_id}/approve", response={200: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
             summary="分管局长批准发布")
def approve(request, alert_id: int, payload: ApproveIn):
    return alert_view(services.approve_alert(actor=request.user, alert_id=alert_id))


@router.post("/alerts/{alert_id}/reject",
             response={200: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ValidationOut},
             summary="分管局长退回修改")
def reject(request, alert_id: int, payload: RejectIn):
    return alert_view(services.reject_alert(actor=request.user, alert_id=alert_id, reason=payload.reason))


@router.post("/alerts/{alert_id}/revise",
             response={200: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ValidationOut},
             summary="消保股修改被退回的消费警示并重新提交")
def revise(request, alert_id: int, payload: ReviseIn):
    return alert_view(services.revise_alert(actor=request.user, alert_id=alert_id, title=payload.title,
                                            body=payload.body))


@router.get("/alerts/{alert_id}/document", response={200: None, 401: ErrorOut, 404: ErrorOut}, summary="消费警示文书（PDF）",
            openapi_extra={"responses": {"200": {"description": "消费警示文书", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def document(request, alert_id: int):
    alert = services.visible_alert(request.user, alert_id)
    record(actor=request.user, action="export_consumer_alert", obj=f"alert:{alert.pk}", detail={})
    response = HttpResponse(services.alert_pdf(alert), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename=alert-{alert.pk}.pdf"
    return response
