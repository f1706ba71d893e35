"""The calendar as loaded from its table, cached per process and rebuilt when the table changes."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from django.db.models import Max

from xiaobao.lib import timeutil

from .models import CalendarDay, CalendarYear, Clock
from .workdays import WorkCalendar

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def _version() -> tuple:
    # Any publication changes published_at; seeding changes the count. One cheap query per call.
    agg = CalendarYear.objects.aggregate(latest=Max("published_at"), top=Max("year"))
    return (agg["latest"], agg["top"], CalendarYear.objects.filter(published=True).count())


def get_calendar() -> WorkCalendar:
    global _cached
    version = _version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        published = set(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
        overrides = {d: kind in ("workday", "makeup") for d, kind in CalendarDay.objects.values_list("date", "kind")}
        first = date(min(published, default=2004) - 1, 1, 1)
        last = date(max(max(published, default=date.today().year), date.today().year) + 12, 12, 31)
        cal = WorkCalendar(first=first, last=last, overrides=overrides, published_years=frozenset(published))
        _cached = (version, cal)
        return cal


def reset_cache() -> None:
    global _cached
    _cached = None


# DOMAIN.md: "The system warns administrators well before the calendar runs out." The State Council's
# notice for the next year usually appears in November; 90 days gives a quarter's notice.
WARN_AHEAD_DAYS = 90


def unpublished_horizon_warning(*, today: date | None = None) -> str | None:
    """A warning for administrators when the next 90 days, or the due date of any open clock, reach a year
    whose calendar is not published; None when the calendar covers them."""
    today = today or timeutil.today()
    published = set(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    ahead = today + timedelta(days=WARN_AHEAD_DAYS)
    soon = {y for y in range(today.year, ahead.year + 1) if y not in published}
    beyond = Clock.objects.filter(met_on__isnull=True).exclude(due__year__in=sorted(published))
    count = beyond.count()
    years = soon | ({d.year for d in beyond.dates("due", "year")} if count else set())
    if not years:
        return None
    parts = ["、".join(str(y) for y in sorted(years)) + " 年的工作日历尚未发布"]
    if soon:
        parts.append(f"今后 {WARN_AHEAD_DAYS} 天内（至 {ahead:%Y-%m-%d}）将用到")
    if count:
        parts.append(f"{count} 项未完成期限的届满日落在未发布年度，目前按周末和固定节日估算，属暂定期限")
    return "；".join(parts) + "。请系统管理员依据国务院办公厅放假安排通知发布日历。"
