"""A slow, obviously-correct day-by-day calendar to check the fast one against (DOMAIN.md, "Legal clocks")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import cache

ONE_DAY = timedelta(days=1)

# 《全国年节及纪念日放假办法》: the holidays with a fixed solar date, and the lunar ones (春节 from 除夕 to 初三,
# 清明, 端午, 中秋) as the lunar calendar places them — what can be guessed for a year whose notice is not out
# yet. Written out here independently of xiaobao.clocks.workdays on purpose.
GUESSED_DAYS_OFF = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
LUNAR_FESTIVALS = ("Chinese New Year", "Tomb-Sweeping", "Dragon Boat", "Mid-Autumn")


@cache
def guessed_lunar_days_off(year: int) -> set[date]:
    import holidays

    return {d for d, name in holidays.country_holidays("CN", years=year, language="en_US").items()
            if "(observed)" not in name and any(n in name for n in LUNAR_FESTIVALS)}


class DayByDay:
    def __init__(self, is_workday: Callable[[date], bool], last: date):
        self.is_workday = is_workday
        self.last = last

    @classmethod
    def from_overrides(cls, overrides: Mapping[date, bool], published: set[int], last: date) -> DayByDay:
        def is_workday(d: date) -> bool:
            if d.year in published:
                return overrides[d] if d in overrides else d.weekday() < 5
            return cls.guessed_workday(d)

        return cls(is_workday, last)

    @staticmethod
    def guessed_workday(d: date) -> bool:
        return d.weekday() < 5 and (d.month, d.day) not in GUESSED_DAYS_OFF and d not in guessed_lunar_days_off(d.year)

    def add_workdays(self, start: date, n: int) -> date | None:
        """The n-th working day after start, or None when it is past the end of the calendar."""
        d, counted = start, 0
        while counted < n:
            d += ONE_DAY
            if d > self.last:
                return None
            counted += self.is_workday(d)
        return d

    def workdays_between(self, start: date, end: date) -> int:
        lo, hi, sign = (start, end, 1) if start <= end else (end, start, -1)
        count, d = 0, lo
        while d < hi:
            d += ONE_DAY
            count += self.is_workday(d)
        return sign * count

    def add_days_legal(self, start: date, n: int) -> date | None:
        d = start + timedelta(days=n)
        while not self.is_workday(d):
            d += ONE_DAY
            if d > self.last:
                return None
        return d

    def due_with_pauses(self, start: date, n: int, unit: str, excluded: set[date]) -> date:
        """The n-th counting day after start where paused days do not count; a calendar-day end on a day
        off moves to the next working day."""
        d, counted = start, 0
        while counted < n:
            d += ONE_DAY
            if d not in excluded and (unit == "days" or self.is_workday(d)):
                counted += 1
        if unit == "days":
            while not self.is_workday(d):
                d += ONE_DAY
        return d
