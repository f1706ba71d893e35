"""Marking clocks that ran out: once per clock, with an audit row and a notification to the handler, the
unit's leader and 消保股 (DOMAIN.md, "Legal clocks": overdue items are escalated)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef

from xiaobao.records.audit import record

from .models import Clock, Pause
from .services import PAUSABLE


def overdue_candidates(on: date):
    """Unmet clocks whose last day is before `on` (a period ends at 24:00 of its last day, Civil Code
    Art. 203) and that nobody has been told about. A pausable clock of a paused item is not running out."""
    open_pause = Pause.objects.filter(case_id=OuterRef("case_id"), end__isnull=True)
    return (Clock.objects.filter(met_on__isnull=True, due__lt=on, overdue_notified=False)
            .exclude(Exists(open_pause), name__in=PAUSABLE)
            .select_related("case", "case__unit").order_by("due", "id"))


def mark_overdue(*, on: date) -> list[dict]:
    """Mark each overdue clock notified and write one audit row for it; safe to run again or concurrently
    (the conditional update decides who marks a clock)."""
    marked = []
    for clock in overdue_candidates(on).iterator(chunk_size=500):
        with transaction.atomic():
            if not Clock.objects.filter(pk=clock.pk, overdue_notified=False).update(overdue_notified=True):
                continue
            case = clock.case
            detail = {"number": case.number, "clock": clock.name, "label": clock.get_name_display(),
                      "due": clock.due.isoformat(), "days_late": (on - clock.due).days,
                      "unit": case.unit.code if case.unit else None}
            record(actor=None, action="clock_overdue", obj=f"case:{case.pk}", case_id=case.pk, detail=detail)
            notify_overdue(case, detail)
            marked.append({**detail, "unit_name": case.unit.short_name if case.unit else ""})
    return marked


def notify_overdue(case, detail: dict) -> None:
    from xiaobao.notify import services as notify
    from xiaobao.units.models import Role

    people = [case.handler] if case.handler_id else notify.unit_staff(case.unit_id)
    people += notify.unit_leaders(case.unit_id) + notify.with_role(Role.DISPATCHER)
    notify.send(people, kind="clock_overdue", case=case,
                title=f"逾期：{case.number} {detail['label']}期限 {detail['due']} 已过",
                body=f"已逾期 {detail['days_late']} 天，请尽快办理。")


def warn_due_soon(*, on: date, until: date) -> int:
    """Tell the people holding an item once when one of its clocks falls due within the warning window
    (settings.XIAOBAO_WARN_WORKDAYS working days)."""
    from xiaobao.notify import services as notify

    open_pause = Pause.objects.filter(case_id=OuterRef("case_id"), end__isnull=True)
    soon = (Clock.objects.filter(met_on__isnull=True, due__gte=on, due__lte=until, due_soon_notified=False)
            .exclude(Exists(open_pause), name__in=PAUSABLE).select_related("case"))
    told = 0
    for clock in soon.iterator(chunk_size=500):
        if not Clock.objects.filter(pk=clock.pk, due_soon_notified=False).update(due_soon_notified=True):
            continue
        case = clock.case
        people = [case.handler] if case.handler_id else notify.unit_staff(case.unit_id)
        notify.send(people, kind="clock_due_soon", case=case,
                    title=f"即将到期：{case.number} {clock.get_name_display()}期限 {clock.due:%Y-%m-%d}")
        told += 1
    return told
