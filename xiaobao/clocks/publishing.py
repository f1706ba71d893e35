"""Publishing a year of the calendar from the State Council notice, and recomputing affected clocks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.rules.models import RuleSet

from .calendar import get_calendar, reset_cache
from .engine import PauseSpan
from .models import CalendarDay, CalendarYear, Clock, DayKind, Pause
from .services import clock_length, compute


class CalendarInputError(ValueError):
    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


def year_view(year: int) -> dict:
    cy = CalendarYear.objects.filter(year=year).first()
    days = CalendarDay.objects.filter(date__year=year)
    return {
        "year": year,
        "published": bool(cy and cy.published),
        "source": cy.source if cy else "",
        "holidays": [d.date.isoformat() for d in days if d.kind == DayKind.HOLIDAY],
        "workdays": [d.date.isoformat() for d in days if d.kind == DayKind.MAKEUP],
    }


def _parse(values: list, year: int, field: str, errors: list[dict]) -> list[date]:
    out = []
    for i, v in enumerate(values or []):
        try:
            d = date.fromisoformat(str(v))
        except ValueError:
            errors.append({"field": f"{field}[{i}]", "message": f"日期“{v}”格式不正确，应为 YYYY-MM-DD。"})
            continue
        if d.year != year:
            errors.append({"field": f"{field}[{i}]", "message": f"日期 {d} 不在 {year} 年内。"})
        out.append(d)
    return out


@transaction.atomic
def publish_year(*, year: int, holidays: list, workdays: list, actor, source: str = "国务院办公厅放假安排通知",
                 progress: Callable[[int, int], None] | None = None) -> dict:
    """Store the year's holidays and make-up working days, mark it published, recompute every open clock
    whose due date reaches into it, and note the change on each item's timeline."""
    errors: list[dict] = []
    if not 2000 <= year <= 2100:
        errors.append({"field": "year", "message": "年份应在 2000–2100 之间。"})
    hol = _parse(holidays, year, "holidays", errors)
    work = _parse(workdays, year, "workdays", errors)
    if set(hol) & set(work):
        errors.append({"field": "workdays", "message": "同一天不能既是节假日又是调休上班日。"})
    for i, d in enumerate(work):
        if d.weekday() < 5:
            errors.append({"field": f"workdays[{i}]", "message": f"{d} 是周一至周五，不需要列为调休上班日。"})
    if errors:
        raise CalendarInputError(errors)
    old = year_view(year)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create([CalendarDay(date=d, kind=DayKind.HOLIDAY, name="") for d in sorted(set(hol))]
                                    + [CalendarDay(date=d, kind=DayKind.MAKEUP, name="") for d in sorted(set(work))])
    CalendarYear.objects.update_or_create(year=year, defaults={
        "published": True, "source": source, "published_at": timezone.now(), "published_by": actor})
    reset_cache()
    record(actor=actor, action="publish_calendar", obj=f"calendar:{year}",
           detail={"old": {"holidays": old["holidays"], "workdays": old["workdays"], "published": old["published"]},
                   "new": {"holidays": [d.isoformat() for d in hol], "workdays": [d.isoformat() for d in work]}})
    recomputed = recompute_reaching(year, actor=actor, progress=progress)
    return {**year_view(year), "recomputed": recomputed}


def recompute_reaching(year: int, *, actor, progress: Callable[[int, int], None] | None = None,
                       batch: int = 2000) -> int:
    """Recompute the open clocks whose period reaches into `year`, a batch of items at a time: the items'
    rows are locked, their clocks and pauses read in three queries, the changed clocks written with one
    bulk update, and each item whose dates moved gets a "recompute_clocks" event on its timeline; one audit
    row per batch lists those items. Returns the number of items looked at."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    reaching = Clock.objects.filter(met_on__isnull=True, due__gte=first, start__lte=last)
    case_ids = sorted(set(reaching.values_list("case_id", flat=True)))
    total = len(case_ids)
    cal = get_calendar()
    on = timeutil.today()
    reason = f"{year}年日历发布，重新计算期限"
    rule_sets: dict[int, RuleSet] = {}
    for i in range(0, total, batch):
        _recompute_batch(case_ids[i:i + batch], cal=cal, on=on, actor=actor, reason=reason, year=year,
                         rule_sets=rule_sets)
        if progress:
            progress(min(i + batch, total), total)
    return total


def _recompute_batch(case_ids: list[int], *, cal, on: date, actor, reason: str, year: int,
                     rule_sets: dict[int, RuleSet]) -> None:
    from xiaobao.cases.models import Case, Event

    cases = {pk: (rs, tier, state) for pk, rs, tier, state in Case.objects.select_for_update()
             .filter(pk__in=case_ids).values_list("pk", "rule_set_id", "tier", "state")}
    missing = {rs for rs, _, _ in cases.values()} - rule_sets.keys()
    rule_sets.update(RuleSet.objects.in_bulk(missing))
    spans: dict[int, list[PauseSpan]] = defaultdict(list)
    for p in Pause.objects.filter(case_id__in=case_ids):
        spans[p.case_id].append(PauseSpan(p.start, p.end, p.get_reason_display()))
    by_case: dict[int, list[Clock]] = defaultdict(list)
    for c in Clock.objects.filter(case_id__in=case_ids, met_on__isnull=True):
        by_case[c.case_id].append(c)
    changed: list[Clock] = []
    events: list[Event] = []
    now = timeutil.now()
    for case_id, clocks in by_case.items():
        rs_id, tier, state = cases[case_id]
        cap_due = None
        moved = []
        # mediation_cap before handling: handling is clamped to the cap.
        for clock in sorted(clocks, key=lambda c: c.name != "mediation_cap"):
            rule = rule_sets[rs_id].clock(clock.name)
            if rule is not None:
                clock.length = clock_length(rule, tier)
            result = compute(cal, clock, spans=spans.get(case_id, []), cap_due=cap_due, on=on)
            if clock.name == "mediation_cap":
                cap_due = result.due
            if (result.due, result.provisional, result.explanation) != (clock.due, clock.provisional,
                                                                       clock.explanation):
                if (result.due, result.provisional) != (clock.due, clock.provisional):
                    moved.append({"clock": clock.name, "old_due": clock.due.isoformat(),
                                  "new_due": result.due.isoformat(), "provisional": result.provisional})
                clock.due, clock.provisional, clock.explanation = result.due, result.provisional, result.explanation
                changed.append(clock)
        if moved:
            events.append(Event(case_id=case_id, at=now, actor=actor, action="recompute_clocks", from_state=state,
                                to_state=state, note=reason, data={"changes": moved}))
    _write_clocks(changed)
    Event.objects.bulk_create(events, batch_size=1000)
    if events:
        record(actor=actor, action="recompute_clocks", obj=f"calendar:{year}",
               detail={"note": reason, "cases": [e.case_id for e in events], "clocks": len(changed)})


def _write_clocks(clocks: list[Clock]) -> None:
    """One parameterised UPDATE per row through executemany: bulk_update() builds a CASE expression per
    row and field, which is about ten times slower for the 10^5–10^6 rows of a publication."""
    if not clocks:
        return
    meta = Clock._meta
    q = connection.ops.quote_name
    cols = ["due", "provisional", "explanation", "length"]
    # Only quoted identifiers from the model's own metadata are formatted in; every value is a parameter.
    assignments = ", ".join(f"{q(meta.get_field(c).column)} = %s" for c in cols)
    sql = f"UPDATE {q(meta.db_table)} SET {assignments} WHERE {q(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cur:
        cur.executemany(sql, [(c.due, c.provisional, c.explanation, c.length, c.pk) for c in clocks])
