"""Who is told about what. One hook reads every timeline event after its transaction commits and
notifies the people who must act next; the daily clock scan notifies about deadlines."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xiaobao.lib import timeutil
from xiaobao.units.models import Role, Staff

from .backends import deliver
from .models import Notification

# Quiet hours: no e-mail or SMS between these local times (in-app notifications still appear).
QUIET_START = time(getattr(settings, "XIAOBAO_QUIET_START_HOUR", 21))
QUIET_END = time(getattr(settings, "XIAOBAO_QUIET_END_HOUR", 8))


def unit_staff(unit_id: int | None) -> list[Staff]:
    """The unit's staff on duty (定人定岗) if it named any, else all its handlers and leaders."""
    if unit_id is None:
        return []
    staff = list(Staff.objects.filter(unit_id=unit_id, is_active=True))
    duty = set(Staff.objects.filter(unit_id=unit_id, is_active=True, duty__active=True, duty__unit_id=unit_id)
               .values_list("pk", flat=True))
    on_duty = [s for s in staff if s.pk in duty]
    return on_duty or [s for s in staff if s.has_role(Role.HANDLER, Role.UNIT_LEADER)]


def with_role(role: str) -> list[Staff]:
    return [s for s in Staff.objects.filter(is_active=True) if role in s.roles]


def unit_leaders(unit_id: int | None) -> list[Staff]:
    return [s for s in Staff.objects.filter(unit_id=unit_id, is_active=True) if Role.UNIT_LEADER in s.roles]


def send(recipients, *, kind: str, title: str, body: str = "", case=None, external: bool = True) -> int:
    seen = set()
    rows = []
    now = timeutil.now()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, title=title, body=body, case=case, created_at=now,
                                 external=external and bool(user.email or user.phone)))
    Notification.objects.bulk_create(rows)
    return len(rows)


APPROVAL_LABELS = {"routing": "分流", "not_filed": "不予立案", "referral": "告知他部门", "filing": "立案"}


def on_event(event_id: int) -> None:
    from xiaobao.cases.models import Event

    event = Event.objects.select_related("case", "case__unit", "actor").filter(pk=event_id).first()
    if event is None:
        return
    case, action = event.case, event.action
    title = None
    recipients: list[Staff] = []
    kind = action
    if action in ("assign", "approve") and case.state == "assigned":
        recipients, title = unit_staff(case.unit_id), f"新分派：{case.number}（{case.get_kind_display()}）"
    elif case.state == "pending_approval" and action in ("assign", "decline_filing", "file", "refer_elsewhere"):
        # The approver is the role the item's rule set names.
        role = case.rule_set.approver_role(case.approval_kind)
        what = APPROVAL_LABELS.get(case.approval_kind, case.approval_kind)
        recipients, title = with_role(role) if role else [], f"待审批（{what}）：{case.number}"
    elif action == "reject_approval":
        recipients = with_role(Role.DISPATCHER) if case.state == "triage" else unit_staff(case.unit_id)
        title = f"审批退回：{case.number}"
    elif action == "return":
        recipients, title = with_role(Role.DISPATCHER), f"被退回：{case.number}（{event.note[:30]}）"
    elif action == "supervise":
        recipients = unit_staff(case.unit_id) + unit_leaders(case.unit_id)
        title = f"督办：{case.number}，请于 {event.data.get('due')} 前答复"
    elif action == "answer_supervision":
        recipients, title = with_role(Role.DISPATCHER), f"督办已答复：{case.number}"
    elif action == "open_consultation":
        recipients = [s for code in event.data.get("units", []) for s in unit_staff(_unit_id(code))]
        title = f"会商邀请：{case.number}"
    if title and recipients:
        recipients = [r for r in recipients if r.pk != event.actor_id]
        send(recipients, kind=kind, title=title, body=event.note, case=case)


def _unit_id(code: str) -> int | None:
    from xiaobao.units.models import Unit

    return Unit.objects.filter(code=code).values_list("pk", flat=True).first()


def after_commit(event_id: int) -> None:
    transaction.on_commit(lambda: on_event(event_id))


def after_commit_event(event) -> None:
    """The listener of cases.actions.on_event: the line is read again once its transaction commits."""
    after_commit(event.pk)


def in_quiet_hours(moment: datetime) -> bool:
    t = timezone.localtime(moment).time()
    return t >= QUIET_START or t < QUIET_END


def flush_outbox(*, now: datetime | None = None) -> int:
    """Send pending e-mail/SMS, unless it is night. Idempotent: each notification goes out once."""
    now = now or timeutil.now()
    if in_quiet_hours(now):
        return 0
    sent = 0
    for n in Notification.objects.filter(external=True, sent_at__isnull=True).select_related("recipient")[:500]:
        deliver(n)
        Notification.objects.filter(pk=n.pk).update(sent_at=now)
        sent += 1
    return sent


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def digest_for(user, *, since: datetime) -> list[Notification]:
    return list(Notification.objects.filter(Q(recipient=user), created_at__gte=since).order_by("created_at"))


def yesterday_start() -> datetime:
    return timeutil.now() - timedelta(days=1)


LOGIN_ALERT_EVERY = timedelta(hours=1)  # one alert per account per hour, however many clients it is tried from


def on_login_throttled(sender, *, username: str, failures: int, reason: str, **kwargs) -> None:
    """An account is held back by the login throttle (xiaobao.units.throttle): the administrators are told, so
    that a guessed-at account or a colleague who forgot the password does not go unnoticed."""
    title = f"账号 {username} 登录失败次数过多，已限制登录"
    if Notification.objects.filter(kind="login_throttled", title=title,
                                   created_at__gte=timeutil.now() - LOGIN_ALERT_EVERY).exists():
        return
    if reason == "account":
        body = (f"该账号一天内从多个地址登录失败 {failures} 次，现在只能在曾经登录过的电脑上登录。"
                "可能有人在猜测其密码；请与本人核实，必要时在“系统管理”中重置密码。")
    else:
        body = (f"该账号在同一地址连续登录失败 {failures} 次，该地址的后续尝试须等待，且等待时间逐次加倍；"
                "其他地址不受影响。如非本人所为，可能有人在猜测其密码。")
    send(with_role(Role.ADMIN), kind="login_throttled", title=title, body=body)
