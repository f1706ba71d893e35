"""The calendar as loaded from its table, cached per process and rebuilt when the table changes."""

from __future__ import annotations

import threading
from datetime import date

from django.db.models import Max

from .models import CalendarDay, CalendarYear
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
