"""Marking clocks that ran out: once per clock, with an audit row and a notification to the handler, the
unit's leader and 消保股 (DOMAIN.md, "Legal clocks": overdue items are escalated). It lives with the
notifications, above the items and their clocks: the clocks only compute dates (pyproject.toml, layers)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from xiaobao.cases.settling import LEFT_OPEN_BY_CLOSED_ITEMS
from xiaobao.clocks.models import Clock, Pause
from xiaobao.clocks.services import beside, outranked, start, stopped_now
from xiaobao.records.audit import record
from xiaobao.rules.models import RuleSet


def stopped_by_open_pause() -> Q:
    """Clocks that their item's open pause stops, as each rule set says (RuleSet.pause_stops): one term per
    rule set and clock, read from the few rule sets once per call."""
    terms = Q(pk__in=[])
    for rs in RuleSet.objects.all():
        by_clock: dict[str, set[str]] = {}
        for reason, names in rs.pause_stops().items():
            for name in names:
                by_clock.setdefault(name, set()).add(reason)
        for name, reasons in sorted(by_clock.items()):
            open_pause = Pause.objects.filter(case_id=OuterRef("case_id"), end__isnull=True, reason__in=sorted(reasons))
            terms |= Q(Exists(open_pause), name=name, case__rule_set_id=rs.pk)
    return terms


def open_work_clocks():
    """The open clocks of work still to do: none of a finished item's clocks but what a concluded item still owes
    the person (issue 18, point 2; left over only until cases.settling settles them)."""
    return Clock.objects.filter(met_on__isnull=True).exclude(LEFT_OPEN_BY_CLOSED_ITEMS)


def overdue_candidates(on: date):
    """Unmet clocks whose last day is before `on` (a period ends at 24:00 of its last day, Civil Code
    Art. 203) and that nobody has been told about. A clock its item's open pause stops is not running out."""
    return (open_work_clocks().filter(due__lt=on, overdue_notified=False)
            .exclude(stopped_by_open_pause())
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
                      .select_related("case", "case__unit", "case__handler", "case__rule_set"))
            for clock in clocks:
                case = clock.case
                detail = {"number": case.number, "clock": clock.name, "label": clock.get_name_display(),
                          "due": clock.due.isoformat(), "days_late": (on - clock.due).days,
                          "unit": case.unit.code if case.unit else None}
                if (partner := warned_instead(clock)) is not None:
                    # Of a pair the earlier due date is the one warned about (DOMAIN.md, "Which clocks a pause
                    # stops", last paragraph): this one is recorded, the people were told of the other.
                    record(actor=None, action="clock_overdue", obj=f"case:{case.pk}", case_id=case.pk,
                           detail={**detail, "warned_as": partner.name})
                    continue
                record(actor=None, action="clock_overdue", obj=f"case:{case.pk}", case_id=case.pk, detail=detail)
                if clock.name == "handling":
                    # The tier period passed without a result: the consumer is told why (rules 二.4).
                    start(case, "tier_notice", on=clock.due, restart=True)
                notify_overdue(case, detail, recipients=recipients)
                marked.append({**detail, "unit_name": case.unit.short_name if case.unit else ""})
    return marked


def warned_instead(clock: Clock) -> Clock | None:
    """The other clock of the pair `clock` belongs to (clocks.services.beside: the national acceptance period
    beside the unit's own), when that one is the one warned about: open, running and due first (on the same
    day, the unit's own). None when `clock` is warned about itself."""
    case = clock.case
    pairs = beside(case.rule_set)
    if clock.name in pairs:
        name, secondary = pairs[clock.name], True
    else:
        name, secondary = next((n for n, of in pairs.items() if of == clock.name), None), False
    if name is None:
        return None
    partner = case.clocks.filter(name=name).first()
    if partner is None or not outranked(clock, partner, secondary=secondary, stopped=stopped_now(case)):
        return None
    return partner


class _Recipients:
    """Who is told that an item's clock ran out: its handler, or the unit's staff on duty; the unit's leaders;
    消保股. Looked up once per unit for a run of the daily command."""

    def __init__(self):
        self._units: dict[int | None, tuple[list, list]] = {}
        self._dispatchers: list | None = None
        self._roles: dict[str, list] = {}

    def for_case(self, case) -> list:
        from xiaobao.notify import services as notify
        from xiaobao.units.models import Role

        if self._dispatchers is None:
            self._dispatchers = notify.with_role(Role.DISPATCHER)
        return self.approvers(case) + self.holders(case) + self._unit(case.unit_id)[1] + self._dispatchers

    def holders(self, case) -> list:
        """The item's handler, or its unit's staff on duty."""
        return [case.handler] if case.handler_id else self._unit(case.unit_id)[0]

    def waiting_on(self, case) -> list:
        """Whoever the item waits for besides its holders: 消保股's dispatchers while it waits to be routed (rules
        二.1), the approver while it waits for an approval."""
        from xiaobao.notify import services as notify
        from xiaobao.units.models import Role

        if case.state == "triage":
            if self._dispatchers is None:
                self._dispatchers = notify.with_role(Role.DISPATCHER)
            return self._dispatchers
        return self.approvers(case)

    def approvers(self, case) -> list:
        """Whoever the item's rule set names to decide the approval it waits for (rules 二.1(2), 二.2)."""
        from xiaobao.notify import services as notify

        if case.state != "pending_approval" or not (role := case.rule_set.approver_role(case.approval_kind)):
            return []
        if role not in self._roles:
            self._roles[role] = notify.with_role(role)
        return self._roles[role]

    def leaders(self, case) -> list:
        return self._unit(case.unit_id)[1]

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

    soon = (open_work_clocks().filter(due__gte=on, due__lte=until, due_soon_notified=False)
            .exclude(stopped_by_open_pause()).select_related("case", "case__handler", "case__rule_set"))
    recipients = _Recipients()
    told = 0
    for clock in soon.iterator(chunk_size=500):
        if warned_instead(clock) is not None:
            continue  # of a pair, the earlier due date is the one warned about
        if not Clock.objects.filter(pk=clock.pk, due_soon_notified=False).update(due_soon_notified=True):
            continue
        case = clock.case
        notify.send(recipients.waiting_on(case) + recipients.holders(case), kind="clock_due_soon", case=case,
                    title=f"即将到期：{case.number} {clock.get_name_display()}期限 {clock.due:%Y-%m-%d}")
        told += 1
    return told


def warn_before_cap(*, on: date, days: list[int] | None = None) -> int:
    """Warn the handler (or the unit's staff on duty) and the unit's leaders when an item's mediation cap is
    `days` calendar days away (settings.XIAOBAO_CAP_WARN_DAYS, e.g. 10 and 3), once per lead and due date;
    past the cap mediation can only be terminated (rules 二.2, 二.4; xiaobao.mediation.cap). A cap its item's
    open pause stops (testing, appraisal) is not running out. Returns the number of items warned."""
    from django.conf import settings

    from xiaobao.notify import services as notify

    leads = sorted(days if days is not None else settings.XIAOBAO_CAP_WARN_DAYS, reverse=True)
    if not leads:
        return 0
    near = (open_work_clocks().filter(name="mediation_cap", due__gte=on, due__lte=on + timedelta(days=leads[0]))
            .exclude(stopped_by_open_pause()).select_related("case", "case__handler", "case__rule_set"))
    recipients = _Recipients()
    told = 0
    for clock in near.iterator(chunk_size=500):
        left = (clock.due - on).days
        lead = min(d for d in leads if d >= left)
        if clock.warned_days_ahead is not None and clock.warned_days_ahead <= lead:
            continue
        if not Clock.objects.filter(pk=clock.pk, warned_days_ahead=clock.warned_days_ahead).update(
                warned_days_ahead=lead):
            continue
        case = clock.case
        ground = case.rule_set.ground("mediation_terminated", case.rule_set.cap_ground() or "")
        way_on = f"届满仍未达成调解协议的，只能以“{ground['text']}”终止调解（{ground['basis']}）。" if ground else ""
        notify.send(recipients.holders(case) + recipients.leaders(case), kind="mediation_cap_soon", case=case,
                    title=f"调解终结期限将至：{case.number} 调解终结期限 {clock.due:%Y-%m-%d}（还有 {left} 日）",
                    body=way_on)
        told += 1
    return told
