"""Marking clocks that ran out: once per clock, with an audit row and a notification to the handler, the
unit's leader and 消保股 (DOMAIN.md, "Legal clocks": overdue items are escalated)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef

from xiaobao.records.audit import record

from .models import Clock, Pause
from .services import PAUSABLE, start


def overdue_candidates(on: date):
    """Unmet clocks whose last day is before `on` (a period ends at 24:00 of its last day, Civil Code
    Art. 203) and that nobody has been told about. A pausable clock of a paused item is not running out."""
    open_pause = Pause.objects.filter(case_id=OuterRef("case_id"), end__isnull=True)
    return (Clock.objects.filter(met_on__isnull=True, due__lt=on, overdue_notified=False)
            .exclude(Exists(open_pause), name__in=PAUSABLE)
            .select_related("case", "case__unit").order_by("due", "id"))


def mark_overdue(*, on: date, chunk: int = 500) -> list[dict]:
    """Mark each overdue clock notified and write one audit row for it; safe to run again or concurrently.
    A chunk of clocks is one transaction: the clocks still unmarked are locked (skipping those another run
    holds) and marked, then each gets its audit row and its notifications; who is told about a unit is
    looked up once per run."""
    marked: list[dict] = []
    recipients = _Recipients()
    ids = list(overdue_candidates(on).values_list("pk", flat=True))
    for i in range(0, len(ids), chunk):
        with transaction.atomic():
            mine = list(Clock.objects.select_for_update(skip_locked=True)
                        .filter(pk__in=ids[i:i + chunk], overdue_notified=False).values_list("pk", flat=True))
            if not mine:
                continue
            Clock.objects.filter(pk__in=mine).update(overdue_notified=True)
            clocks = (Clock.objects.filter(pk__in=mine).order_by("due", "id")
                      .select_related("case", "case__unit", "case__handler"))
            for clock in clocks:
                case = clock.case
                detail = {"number": case.number, "clock": clock.name, "label": clock.get_name_display(),
                          "due": clock.due.isoformat(), "days_late": (on - clock.due).days,
                          "unit": case.unit.code if case.unit else None}
                record(actor=None, action="clock_overdue", obj=f"case:{case.pk}", case_id=case.pk, detail=detail)
                if clock.name == "handling":
                    # The tier period passed without a result: the consumer is told why (rules 二.4).
                    start(case, "tier_notice", on=clock.due, restart=True)
                notify_overdue(case, detail, recipients=recipients)
                marked.append({**detail, "unit_name": case.unit.short_name if case.unit else ""})
    return marked


class _Recipients:
    """Who is told that an item's clock ran out: its handler, or the unit's staff on duty; the unit's leaders;
    消保股. Looked up once per unit for a run of the daily command."""

    def __init__(self):
        self._units: dict[int | None, tuple[list, list]] = {}
        self._dispatchers: list | None = None

    def for_case(self, case) -> list:
        from xiaobao.notify import services as notify
        from xiaobao.units.models import Role

        if self._dispatchers is None:
            self._dispatchers = notify.with_role(Role.DISPATCHER)
        return self.holders(case) + self._unit(case.unit_id)[1] + self._dispatchers

    def holders(self, case) -> list:
        """The item's handler, or its unit's staff on duty."""
        return [case.handler] if case.handler_id else self._unit(case.unit_id)[0]

    def _unit(self, unit_id: int | None) -> tuple[list, list]:
        from xiaobao.notify import services as notify

        if unit_id not in self._units:
            self._units[unit_id] = notify.unit_staff(unit_id), notify.unit_leaders(unit_id)
        return self._units[unit_id]


def notify_overdue(case, detail: dict, *, recipients: _Recipients | None = None) -> None:
    from xiaobao.notify import services as notify

    notify.send((recipients or _Recipients()).for_case(case), kind="clock_overdue", case=case,
                title=f"逾期：{case.number} {detail['label']}期限 {detail['due']} 已过",
                body=f"已逾期 {detail['days_late']} 天，请尽快办理。")


def warn_due_soon(*, on: date, until: date) -> int:
    """Tell the people holding an item once when one of its clocks falls due within the warning window
    (settings.XIAOBAO_WARN_WORKDAYS working days)."""
    from xiaobao.notify import services as notify

    open_pause = Pause.objects.filter(case_id=OuterRef("case_id"), end__isnull=True)
    soon = (Clock.objects.filter(met_on__isnull=True, due__gte=on, due__lte=until, due_soon_notified=False)
            .exclude(Exists(open_pause), name__in=PAUSABLE).select_related("case", "case__handler"))
    recipients = _Recipients()
    told = 0
    for clock in soon.iterator(chunk_size=500):
        if not Clock.objects.filter(pk=clock.pk, due_soon_notified=False).update(due_soon_notified=True):
            continue
        case = clock.case
        notify.send(recipients.holders(case), kind="clock_due_soon", case=case,
                    title=f"即将到期：{case.number} {clock.get_name_display()}期限 {clock.due:%Y-%m-%d}")
        told += 1
    return told
