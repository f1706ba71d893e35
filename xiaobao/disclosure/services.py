"""Consumer warnings (消费预警): 消保股 drafts one from a market warning that still stands, the 分管局长 approves
(or sends it back with a reason), and only then is it published on the public pages, numbered per year.
DOMAIN.md "The 2026 national rules": "consumer warnings (消费预警) from the bureau's data"; issue 20.5."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.stats.warnings import Spike
from xiaobao.units.models import Role, Staff

from .models import ConsumerAlert

TITLE_MAX = 100
BODY_MAX = 5000
NOT_FOUND = "未找到该消费警示，或您无权查看。"


def may_publish(user: Staff) -> bool:
    """消保股 drafts warnings (and sees the market warnings they come from)."""
    return user.is_authenticated and user.has_role(Role.DISPATCHER)


def may_approve(user: Staff) -> bool:
    # The 分管局长 approves what the bureau tells the public (issue 20.5: "approved by the deputy director").
    return user.is_authenticated and user.has_role(Role.DEPUTY_DIRECTOR)


def may_see(user: Staff) -> bool:
    return user.is_authenticated and any(user.has_role(r) for r in (Role.DISPATCHER, Role.DEPUTY_DIRECTOR,
                                                                   Role.BUREAU_HEAD))


def default_text(spike: Spike) -> tuple[str, str]:
    """A neutral first draft: what rose, by how much, and what consumers can do. No one's personal data."""
    subject = {"business": f"涉及“{spike.label}”的", "category": f"“{spike.label}”类",
               "area": f"{spike.label}辖区的"}[spike.dimension]
    title = f"消费警示：近期{subject}投诉举报明显增多"[:TITLE_MAX]
    body = (f"近{spike.window_days}日，我局收到{subject}投诉举报{spike.count}件，明显高于此前平均水平"
            f"（每{spike.window_days}日约{spike.mean:.1f}件）。请广大消费者谨慎消费，保留购物凭证，"
            "遇到消费纠纷可拨打12315或通过全国12315平台投诉。")
    return title, body


def _checked_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = []
    if not title or len(title) > TITLE_MAX:
        errors.append({"field": "title", "message": f"请填写标题（不超过{TITLE_MAX}字）。"})
    if not body or len(body) > BODY_MAX:
        errors.append({"field": "body", "message": f"请填写正文（不超过{BODY_MAX}字）。"})
    if errors:
        raise Invalid(errors)
    return title, body


def visible_alert(actor: Staff, alert_id: int, *, lock: bool = False) -> ConsumerAlert:
    """An alert for 消保股 and the bureau's leaders; anyone else is told it does not exist (404)."""
    if not may_see(actor):
        raise NotFound(NOT_FOUND)
    qs = ConsumerAlert.objects.select_for_update() if lock else ConsumerAlert.objects.all()
    alert = qs.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(NOT_FOUND)
    return alert


def alerts_for(actor: Staff, status: str | None = None):
    if not may_see(actor):
        raise NotPermitted("消费警示只对消保股和局领导开放。")
    qs = ConsumerAlert.objects.select_related("drafted_by", "published_by", "rejected_by").order_by("-id")
    if status:
        if status not in ConsumerAlert.Status.values:
            raise Invalid([{"field": "status", "message": "状态应为 pending、rejected 或 published。"}])
        qs = qs.filter(status=status)
    return qs


@transaction.atomic
def draft_alert(*, actor: Staff, spike: Spike, title: str, body: str) -> ConsumerAlert:
    """消保股 drafts a warning from a spike and submits it to the 分管局长; nothing is public yet."""
    if not may_publish(actor):
        raise NotPermitted("只有消保股可以起草消费警示。")
    title, body = _checked_text(title, body)
    now = timeutil.now()
    alert = ConsumerAlert.objects.create(
        title=title, body=body, status=ConsumerAlert.Status.PENDING, drafted_by=actor, drafted_at=now,
        created_from={**spike.as_json(), "case_ids": [c.pk for c in spike.items], "detected_at": now.isoformat()})
    record(actor=actor, action="draft_consumer_alert", obj=f"alert:{alert.pk}",
           detail={"title": title, "from": spike.as_json()})
    return alert


@transaction.atomic
def revise_alert(*, actor: Staff, alert_id: int, title: str, body: str) -> ConsumerAlert:
    """A warning sent back is revised by 消保股 and goes to the 分管局长 again."""
    if not may_publish(actor):
        raise NotPermitted("只有消保股可以修改消费警示。")
    alert = visible_alert(actor, alert_id, lock=True)
    if alert.status != ConsumerAlert.Status.REJECTED:
        raise WrongState(f"该消费警示{alert.get_status_display()}，只有被退回的才能修改后重新提交。",
                         state=alert.status)
    alert.title, alert.body = _checked_text(title, body)
    alert.status, alert.drafted_by, alert.drafted_at = ConsumerAlert.Status.PENDING, actor, timeutil.now()
    alert.save()
    record(actor=actor, action="revise_consumer_alert", obj=f"alert:{alert.pk}", detail={"title": alert.title})
    return alert


@transaction.atomic
def approve_alert(*, actor: Staff, alert_id: int) -> ConsumerAlert:
    """The 分管局长 approves: the warning is published and numbered (2026年第N期)."""
    if not may_approve(actor):
        raise NotPermitted("只有分管局长可以批准发布消费警示。")
    alert = visible_alert(actor, alert_id, lock=True)
    if alert.status != ConsumerAlert.Status.PENDING:
        raise WrongState(f"该消费警示{alert.get_status_display()}，不在待审批状态。", state=alert.status)
    now = timeutil.now()
    year = timezone.localtime(now).year
    # Numbered per year; the unique constraint refuses a second alert with the same number.
    last = ConsumerAlert.objects.filter(year=year).aggregate(n=Max("serial"))["n"] or 0
    alert.status, alert.year, alert.serial = ConsumerAlert.Status.PUBLISHED, year, last + 1
    alert.published_at, alert.published_by, alert.rejection_reason = now, actor, ""
    alert.save()
    record(actor=actor, action="publish_consumer_alert", obj=f"alert:{alert.pk}",
           detail={"title": alert.title, "number": alert.number})
    return alert


@transaction.atomic
def reject_alert(*, actor: Staff, alert_id: int, reason: str) -> ConsumerAlert:
    if not may_approve(actor):
        raise NotPermitted("只有分管局长可以退回消费警示。")
    alert = visible_alert(actor, alert_id, lock=True)
    if alert.status != ConsumerAlert.Status.PENDING:
        raise WrongState(f"该消费警示{alert.get_status_display()}，不在待审批状态。", state=alert.status)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid([{"field": "reason", "message": "请填写退回理由。"}])
    alert.status, alert.rejected_by, alert.rejection_reason = ConsumerAlert.Status.REJECTED, actor, reason
    alert.save()
    record(actor=actor, action="reject_consumer_alert", obj=f"alert:{alert.pk}", detail={"reason": reason})
    return alert


def alert_pdf(alert: ConsumerAlert) -> bytes:
    """The warning as a document: the bureau's heading, its number, the text and the date of publication.
    One not yet published prints as 送审稿, without a number."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("disclosure/alert_document.html",
                            {"alert": alert, "bureau": settings.XIAOBAO_BUREAU_NAME})
    return HTML(string=html).write_pdf()
