"""Publishing a year of the calendar from the State Council notice, and recomputing affected clocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from xiaobao.records.audit import record

from .calendar import get_calendar, reset_cache
from .models import CalendarDay, CalendarYear, Clock, DayKind


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
    """Recompute the open clocks whose period reaches into `year`, in batches."""
    from xiaobao.cases.services import note_clock_change

    first = date(year, 1, 1)
    qs = Clock.objects.filter(met_on__isnull=True, due__gte=first, start__lte=date(year, 12, 31))
    case_ids = sorted(set(qs.values_list("case_id", flat=True)))
    total = len(case_ids)
    get_calendar()
    for i in range(0, total, batch):
        for case_id in case_ids[i:i + batch]:
            note_clock_change(case_id=case_id, actor=actor, reason=f"{year}年日历发布，重新计算期限")
        if progress:
            progress(min(i + batch, total), total)
    return total
