"""Publishing a year of the calendar from the State Council notice. Recomputing the items' clocks that reach
into it is the items' business (xiaobao.cases.recompute: it locks items and writes their timeline)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from xiaobao.records.audit import record

from .calendar import reset_cache
from .models import CalendarDay, CalendarYear, DayKind


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


def publish_calendar(*, year: int, holidays: list, workdays: list, actor,
                     source: str = "国务院办公厅放假安排通知") -> dict:
    """The first half of publish_year: check and store the year (one transaction with its audit row) and
    return year_view(). The caller recomputes the clocks: cases.recompute.publish_year in the request, the
    calendar page through a background task (cases.tasks)."""
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
    with transaction.atomic():
        old = year_view(year)
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=d, kind=DayKind.HOLIDAY, name="") for d in sorted(set(hol))]
            + [CalendarDay(date=d, kind=DayKind.MAKEUP, name="") for d in sorted(set(work))])
        # A new publication forgets the progress of the previous one's background recomputation (cases.tasks).
        CalendarYear.objects.update_or_create(year=year, defaults={
            "published": True, "source": source, "published_at": timezone.now(), "published_by": actor,
            "recompute_status": CalendarYear.Recompute.NONE, "recompute_total": 0, "recompute_done": 0,
            "recompute_finished_at": None, "recompute_message": ""})
        reset_cache()
        record(actor=actor, action="publish_calendar", obj=f"calendar:{year}",
               detail={"old": {"holidays": old["holidays"], "workdays": old["workdays"],
                               "published": old["published"]},
                       "new": {"holidays": [d.isoformat() for d in hol], "workdays": [d.isoformat() for d in work]}})
    return year_view(year)
