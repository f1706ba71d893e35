"""Starting, meeting and recomputing an item's clocks. Called only from the lifecycle services."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from xiaobao.lib import timeutil

from .calendar import get_calendar
from .engine import Due, PauseSpan, compute_due, explain_period
from .models import Clock, ClockRun, Pause, Settlement
from .workdays import WorkCalendar


def today() -> date:
    return timeutil.today()


def _rule(case, name: str) -> dict | None:
    return case.rule_set.clock(name)


def clock_length(rule: dict, tier: str) -> int:
    if rule["name"] == "handling":
        # The tier decides the period, never past the cap (rules 二.4).
        length = rule.get("tiers", {}).get(tier, rule["length"])
        return min(length, rule.get("cap", length))
    return rule["length"]


def _length(case, rule: dict) -> int:
    return clock_length(rule, case.tier)


def _spans(case) -> list[PauseSpan]:
    return [PauseSpan(p.start, p.end, p.get_reason_display(), p.reason) for p in case.pauses.all()]


def stopping(spans, name: str, stops: Mapping[str, frozenset[str]] | None) -> list[PauseSpan]:
    """The pauses that stop the named clock, as the item's rule set says (RuleSet.pause_stops)."""
    return [s for s in spans if name in (stops or {}).get(s.reason, ())]


def compute(cal: WorkCalendar, clock: Clock, *, spans: list[PauseSpan], cap_due: date | None, on: date,
            stops: Mapping[str, frozenset[str]] | None = None) -> Due:
    """The clock's due date with the pauses that stop it taken out (`stops`: the item's rule set's
    RuleSet.pause_stops(); without it no pause stops anything); the handling period is clamped to the
    mediation cap's due date (rules 二.4), never to a day before its own start. Pure: the batch
    recomputation uses it too."""
    spans = stopping(spans, clock.name, stops)
    result = compute_due(cal, start=clock.start, length=clock.length, unit=clock.unit, pauses=spans, today=on)
    if clock.name == "handling" and cap_due is not None and cap_due < clock.start:
        # Reopened after the cap: mediation can only be terminated, at once (rules 二.2, 二.4).
        return Due(due=clock.start, provisional=cal.provisional_between(clock.start, clock.start),
                   explanation=f"调解终结期限 {cap_due:%Y-%m-%d} 已届满，应即终止调解；届满 {clock.start:%Y-%m-%d}")
    if clock.name == "handling" and cap_due is not None and cap_due < result.due:
        # Clamped to the cap: explained, and provisional, by the days up to the cap only, so that publishing a
        # later year leaves it as it is (the batch recomputation looks only at clocks reaching into that year).
        length = f"第 {clock.length} 个工作日" if clock.unit == "workdays" else f"{clock.length} 日"
        text = explain_period(cal, start=clock.start, due=cap_due, pauses=spans, today=on,
                              head=f"{clock.start:%Y-%m-%d} 后{length}，超过调解终结期限")
        return Due(due=cap_due, provisional=cal.provisional_between(clock.start, cap_due),
                   explanation=text + f"；不超过调解终结期限 {cap_due:%Y-%m-%d}")
    return result


def _fill(clock: Clock, case, spans: list[PauseSpan], on: date) -> None:
    cap = case.clocks.filter(name="mediation_cap").first() if clock.name == "handling" else None
    result = compute(get_calendar(), clock, spans=spans, cap_due=cap.due if cap else None, on=on,
                     stops=case.rule_set.pause_stops())
    clock.due, clock.provisional, clock.explanation = result.due, result.provisional, result.explanation


# Why a clock starts again (shown on the item beside the superseded run).
RESTART_REASONS = {
    "sign_off": "重新交办，签收期限重新起算",
    "first_contact": "重新签收，首次联系期限重新起算",
    "handling": "回访不满意重新办理，办结期限重新起算",
    "acceptance": "回访不满意重新办理，受理决定期限重新起算",
    "verification": "回访不满意重新办理，核查期限重新起算",
    "routing": "重新待分流，分流期限重新起算",
    "approval": "新的审批事项，审批期限重新起算",
}


# Why a met clock runs again on reopening, from its own start (reopen()).
REOPEN_REASONS = {
    "mediation_cap": "回访不满意重新办理，调解终结期限仍自受理之日起计算",
}


def start(case, name: str, *, on: date | None = None, restart: bool = False) -> Clock | None:
    """Start the named clock on `on` (that day not counted) if the item's rule set has it. Restarting keeps
    the superseded run as a ClockRun, so the month it fell due in keeps its figures."""
    rule = _rule(case, name)
    if rule is None:
        return None
    on = on or today()
    clock = case.clocks.filter(name=name).first()
    if clock is not None and not restart:
        return clock
    if clock is not None:
        _keep_run(case, clock, on)
    clock = clock or Clock(case=case, name=name)
    clock.start, clock.length, clock.unit, clock.basis = on, _length(case, rule), rule["unit"], rule["basis"]
    clock.met_on = clock.settled = None
    clock.overdue_notified = False
    clock.due_soon_notified = False
    clock.warned_days_ahead = None
    _fill(clock, case, _spans(case), on)
    clock.save()
    return clock


# The clocks that start with the item's registration, from its receipt (issue 17, point 6): the national
# acceptance period of a complaint runs from the day the bureau received it (SAMR-2019 第十四条; SAMR-2026 第十五条),
# so it exists from the first day and a past month's figures never change when it is found late.
AT_RECEIPT = {"complaint": ("national_acceptance",)}


def receipt_clocks(kind: str, rule_set, received: date, *, memo: dict | None = None,
                   cal: WorkCalendar | None = None) -> list[Clock]:
    """The unsaved clocks AT_RECEIPT of a new item (without their item), as start() would compute them on the day
    of receipt with no pause; the registration paths (one item, the 12315 and 12345 bulk imports) all use this.
    `memo` shares the computation between the items of a batch."""
    out = []
    names = [name for name in AT_RECEIPT.get(kind, ()) if rule_set.clock(name) is not None]
    cal = cal or (get_calendar() if names else None)
    for name in names:
        rule = rule_set.clock(name)
        if rule is None:
            continue
        clock = Clock(name=name, start=received, length=rule["length"], unit=rule["unit"], basis=rule["basis"],
                      met_on=None, overdue_notified=False)
        key = (name, clock.length, clock.unit, received)
        due = memo.get(key) if memo is not None else None
        if due is None:
            due = compute(cal, clock, spans=[], cap_due=None, on=today())
            if memo is not None:
                memo[key] = due
        clock.due, clock.provisional, clock.explanation = due.due, due.provisional, due.explanation
        out.append(clock)
    return out


def _keep_run(case, clock: Clock, on: date) -> ClockRun:
    return ClockRun.objects.create(
        case=case, name=clock.name, start=clock.start, length=clock.length, unit=clock.unit, basis=clock.basis,
        due=clock.due, provisional=clock.provisional, met_on=clock.met_on, explanation=clock.explanation,
        for_unit=_run_holder(case, clock.name), superseded_on=on,
        reason=RESTART_REASONS.get(clock.name, "重新起算"))


def _run_holder(case, name: str):
    """The unit a superseded run was running for. After routing, only a return hands an item to another unit
    (xiaobao/cases/lifecycle.py), and sign-off and first contact restart only when the item comes back to
    a unit after one: their superseded run belonged to the unit that returned it. Handling restarts on
    reopening, with the item still at the unit it ran for."""
    if name in ("sign_off", "first_contact"):
        returned = (case.events.filter(action="return").order_by("-at", "-id")
                    .values_list("data", flat=True).first())
        code = (returned or {}).get("unit")
        if code:
            from xiaobao.units.models import Unit

            return Unit.objects.filter(code=code).first() or case.unit
    return case.unit


def beside(rule_set) -> dict[str, str]:
    """{clock: the clock it runs beside} from the rule set ("beside": the national acceptance period from the
    bureau's receipt beside the unit's own, DOMAIN.md "Which clocks a pause stops"): of such a pair the earlier
    due date is the one shown first and warned about; on the same day, the unit's own."""
    return {c["name"]: c["beside"] for c in rule_set.data.get("clocks", []) if c.get("beside")}


def outranked(clock: Clock, partner: Clock | None, *, secondary: bool, stopped: frozenset[str] = frozenset()) -> bool:
    """Whether `partner`, the other clock of a pair (beside()), is the one warned about instead of `clock`: it
    is open, not stopped by the item's open pause, and falls due first (on the same day, the unit's own clock:
    `secondary` says `clock` is the one that runs beside it)."""
    if partner is None or partner.met_on is not None or partner.name in stopped:
        return False
    return partner.due < clock.due or (partner.due == clock.due and secondary)


def set_aside(case, *, reason: str, on: date | None = None, keep: tuple[str, ...] = ()) -> list[str]:
    """Take every open clock of the item (but those named in `keep`) off it, each kept as a superseded run
    (ClockRun) with `reason`: time the law does not count against the bureau (a complaint settled first by an
    ODR business, DOMAIN.md "Settling first"). A run set aside within its time is neither met nor missed in the
    figures (stats.queries.on_time_rates); one already past its due date stays late. The names set aside."""
    on = on or today()
    names = []
    for clock in case.clocks.filter(met_on__isnull=True).exclude(name__in=keep).order_by("id"):
        ClockRun.objects.create(
            case=case, name=clock.name, start=clock.start, length=clock.length, unit=clock.unit, basis=clock.basis,
            due=clock.due, provisional=clock.provisional, met_on=None, explanation=clock.explanation,
            for_unit=_run_holder(case, clock.name), superseded_on=on, reason=reason)
        names.append(clock.name)
        clock.delete()
    return names


def meet(case, *names: str, on: date | None = None) -> None:
    on = on or today()
    case.clocks.filter(name__in=names, met_on__isnull=True).update(met_on=on)


def settle(case, *, on: date | None = None) -> None:
    """Close every open clock of an item that is concluded, archived or merged into another (issue 18, point 2):
    met when closed on or before its due date (a period ends at 24:00 of its last day, Civil Code Art. 203),
    else recorded as missed. met_on is the day either way, so the on-time figures count a missed clock late."""
    on = on or today()
    if current_pause(case) is not None:
        recompute(case, on=on)  # a clock the open pause stops falls due later than stored
    open_clocks = case.clocks.filter(met_on__isnull=True)
    open_clocks.filter(due__gte=on).update(met_on=on, settled=Settlement.MET)
    open_clocks.filter(due__lt=on).update(met_on=on, settled=Settlement.MISSED)


def recompute(case, *, on: date | None = None) -> list[Clock]:
    """Recompute every unmet clock of the item (after a pause, resume or tier change)."""
    on = on or today()
    spans = _spans(case)
    changed = []
    # mediation_cap before handling: handling is clamped to the cap.
    open_clocks = sorted(case.clocks.filter(met_on__isnull=True), key=lambda c: c.name != "mediation_cap")
    for clock in open_clocks:
        rule = _rule(case, clock.name)
        if rule is not None:
            clock.length = _length(case, rule)
        before = (clock.due, clock.provisional)
        _fill(clock, case, spans, on)
        if clock.due != before[0]:
            clock.warned_days_ahead = None
        clock.save()
        if (clock.due, clock.provisional) != before:
            changed.append(clock)
    return changed


def due_now(case, name: str, *, on: date | None = None) -> date | None:
    """The named clock's due date as of `on` (an open pause that stops it counts through that day), whether
    the clock is met or not; None if the item has no such clock."""
    clock = case.clocks.filter(name=name).first()
    if clock is None:
        return None
    on = on or today()
    return compute(get_calendar(), clock, spans=_spans(case), cap_due=None, on=on,
                   stops=case.rule_set.pause_stops()).due


def reopen(case, name: str, *, on: date | None = None) -> Clock | None:
    """Run a met clock again from its own start, if it has not run out (a reopened item: the mediation cap
    still runs from the first acceptance, rules 二.2). The run met at the conclusion is kept as a ClockRun, so
    the month it was met in keeps its figures; a clock already past its due date stays as it was met, and
    past months with it."""
    clock = case.clocks.filter(name=name).first()
    on = on or today()
    if clock is None or clock.met_on is None or clock.due < on:
        return clock
    ClockRun.objects.create(
        case=case, name=clock.name, start=clock.start, length=clock.length, unit=clock.unit, basis=clock.basis,
        due=clock.due, provisional=clock.provisional, met_on=clock.met_on, explanation=clock.explanation,
        for_unit=case.unit, superseded_on=on, reason=REOPEN_REASONS.get(name, "重新办理"))
    clock.met_on = clock.settled = None
    clock.overdue_notified = False
    clock.due_soon_notified = False
    clock.warned_days_ahead = None
    _fill(clock, case, _spans(case), on)
    clock.save()
    return clock


def open_pause(case, *, reason: str, note: str, actor, approver=None, on: date | None = None) -> Pause:
    return Pause.objects.create(case=case, reason=reason, note=note, start=on or today(), created_by=actor,
                                approved_by=approver)


def current_pause(case) -> Pause | None:
    return case.pauses.filter(end__isnull=True).first()


def close_pause(pause: Pause, *, on: date | None = None) -> Pause:
    pause.end = max(on or today(), pause.start)
    pause.save(update_fields=["end"])
    return pause


def stopped_now(case, pauses=None) -> frozenset[str]:
    """The clocks of the item that its open pause stops (none without one)."""
    pauses = case.pauses.all() if pauses is None else pauses
    reasons = {p.reason for p in pauses if p.end is None}
    stops = case.rule_set.pause_stops() if reasons else {}
    return frozenset(name for reason in reasons for name in stops.get(reason, ()))


def state_of(clock: Clock, *, paused: bool, on: date | None = None) -> str:
    """`paused`: whether the item's open pause stops this clock (stopped_now)."""
    on = on or today()
    if clock.met_on:
        return "missed" if clock.settled == Settlement.MISSED else "met"
    if paused and clock.start <= on:
        return "paused"
    if on > clock.due:
        return "overdue"
    return "running"


def days_left(clock: Clock, *, on: date | None = None, cal: WorkCalendar | None = None) -> int | None:
    if clock.met_on:
        return None
    on = on or today()
    if clock.unit == "days":
        return (clock.due - on).days
    return (cal or get_calendar()).workdays_between(on, clock.due)
