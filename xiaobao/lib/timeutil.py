"""The current moment as the services see it. Normally the real clock; the demo loader and the data
generator replay history by running the same services at a past moment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

_override: ContextVar[datetime | None] = ContextVar("xiaobao_now", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


# Background work (a 12315 import, clocks recomputed after a calendar publication) reports progress at least every
# minute; this long without any means its worker was stopped or restarted mid-way.
STALLED_AFTER = timedelta(minutes=10)


def stalled(last: datetime | None) -> bool:
    """Work that last moved at `last` has not moved for STALLED_AFTER."""
    return last is not None and now() - last > STALLED_AFTER


# The years a moment sent to the system may lie in, as for statistics months (stats.periods.parse_month):
# before 2000 no calendar or rule set applies, and near year 1 or 9999 a time-zone shift overflows the date
# range and the request failed with a 500 (issue 16, point 10).
FIRST_YEAR, LAST_YEAR = 2000, 2999


# The widest offsets in use (UTC−12:00 to UTC+14:00).
MAX_OFFSET = timedelta(hours=14)
# What parse_moment takes, for the API's document: a year served (2000–2999), an offset in use or none (Beijing
# time). PostgreSQL stores no offset beyond ±15:59.
MOMENT_PATTERN = (r"^2[0-9]{3}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?"
                  r"([Zz]|[+-](0[0-9]|1[0-3]):?[0-5][0-9]|[+-]14:?00)?$")


def parse_moment(value: object, tz=None) -> datetime | None:
    """An ISO 8601 moment (a datetime passes through) as an aware datetime; None when it is not one, is not a
    real time (2026-02-30T10:00), lies outside FIRST_YEAR–LAST_YEAR, or carries an offset no place on earth uses
    (beyond ±14:00; PostgreSQL refuses beyond ±15:59, Python takes up to ±23:59). Naive moments are Beijing time
    (the current time zone, or `tz` when a caller that parses many has looked it up)."""
    if isinstance(value, datetime):
        parsed: datetime | None = value
    else:
        try:
            parsed = parse_datetime(str(value).strip())
        except ValueError:
            return None
    if parsed is None or not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        return None
    offset = parsed.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return None
    return timezone.make_aware(parsed, tz) if timezone.is_naive(parsed) else parsed


def today() -> date:
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
