"""Working-day arithmetic over the State Council's holiday calendar (DOMAIN.md, "Legal clocks").

Counting follows Civil Code Arts. 201–203: the start day is not counted; a working-day period ends on the
N-th working day after the start; a calendar-day period ending on a non-working day ends on the next
working day. A cumulative table of working days makes every call one or two binary searches.

Years that are not published are estimated from weekends, the fixed-date statutory holidays and the lunar
ones (their dates from the `holidays` package's lunar calendar), and any deadline that touches such a year is
provisional: the notice's make-up working days and bridging days cannot be foreseen.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

# Fixed-date statutory holidays (《全国年节及纪念日放假办法》, 2024 revision): New Year's Day, Labour Day
# (two days), National Day (three days).
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
# The lunar statutory holidays of the same 办法 (第二条): 春节 (除夕 to 初三, four days), 清明节, 端午节, 中秋节
# (one day each), by the names the `holidays` package gives them; its "(observed)" days are its own guess at
# the notice's bridging days and are left out.
LUNAR_HOLIDAY_NAMES = ("Chinese New Year", "Tomb-Sweeping Day", "Dragon Boat Festival", "Mid-Autumn Festival")
# Their names as the bureau writes them (the estimate on the calendar page), and those of the fixed ones.
CHINESE_NAMES = dict(zip(LUNAR_HOLIDAY_NAMES, ("春节", "清明节", "端午节", "中秋节"), strict=True))
FIXED_HOLIDAY_NAMES = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节", (10, 1): "国庆节", (10, 2): "国庆节",
                       (10, 3): "国庆节"}

ONE_DAY = timedelta(days=1)


@cache
def lunar_holiday_names(year: int) -> dict[date, str]:
    """The statutory lunar holidays of a year with their Chinese names, from the lunar calendar (an estimate
    until the notice)."""
    import holidays

    days = holidays.country_holidays("CN", years=year, language="en_US")
    return {d: CHINESE_NAMES[n] for d, name in sorted(days.items()) if "(observed)" not in name
            for n in LUNAR_HOLIDAY_NAMES if n in name}


@cache
def lunar_holidays(year: int) -> frozenset[date]:
    """The statutory lunar holidays of a year, from the lunar calendar (an estimate until the notice)."""
    return frozenset(lunar_holiday_names(year))


def estimated_holiday_name(d: date) -> str:
    """The statutory holiday an unpublished year's estimate puts on `d` ("" if none)."""
    return FIXED_HOLIDAY_NAMES.get((d.month, d.day)) or lunar_holiday_names(d.year).get(d, "")


def estimated_workday(d: date) -> bool:
    return d.weekday() < 5 and (d.month, d.day) not in FIXED_HOLIDAYS and d not in lunar_holidays(d.year)


@dataclass(frozen=True)
class WorkCalendar:
    """An immutable view of the calendar between ``first`` and ``last`` (inclusive).

    ``overrides`` maps a date to True (working day) or False (day off) where it differs from, or confirms,
    the Mon–Fri default inside published years. Days of unpublished years follow ``estimated_workday``.
    """

    first: date
    last: date
    overrides: Mapping[date, bool]
    published_years: frozenset[int]
    _cum: list[int] = field(init=False, repr=False, compare=False)
    _workday_ordinals: list[int] = field(init=False, repr=False, compare=False)
    # Days that are not plain (Mon–Fri working, Sat–Sun off), for explanations: weekdays off, each with the
    # run of consecutive days off around it, and weekend days worked (make-up days).
    _weekday_offs: list[int] = field(init=False, repr=False, compare=False)
    _off_runs: list[tuple[int, int]] = field(init=False, repr=False, compare=False)
    _weekend_workdays: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flags = []
        d = self.first
        while d <= self.last:
            flags.append(self._raw_is_workday(d))
            d += ONE_DAY
        # _cum[i] = working days in [first, first + i]
        object.__setattr__(self, "_cum", list(accumulate(flags)))
        base = self.first.toordinal()
        object.__setattr__(self, "_workday_ordinals", [base + i for i, f in enumerate(flags) if f])
        offs, runs, makeups = [], [], []
        run_start = None
        for i, f in enumerate(flags):
            if not f and run_start is None:
                run_start = i
            if f:
                run_start = None
            weekend = (base + i) % 7 in (0, 6)  # date.fromordinal(k).weekday() == (k + 6) % 7: Sun 0, Sat 6
            if not f and not weekend:
                offs.append(base + i)
                runs.append(base + run_start)
            elif f and weekend:
                makeups.append(base + i)
        # A run's last day: the day before the next working day (or the calendar's last day).
        ends = []
        for o in offs:
            k = bisect_right(self._workday_ordinals, o)
            ends.append(self._workday_ordinals[k] - 1 if k < len(self._workday_ordinals) else self.last.toordinal())
        object.__setattr__(self, "_weekday_offs", offs)
        object.__setattr__(self, "_off_runs", list(zip(runs, ends, strict=True)))
        object.__setattr__(self, "_weekend_workdays", makeups)

    @classmethod
    def build(cls, overrides: Mapping[date, bool], published_years: Iterable[int], *,
              first: date | None = None, last: date | None = None) -> WorkCalendar:
        years = frozenset(published_years)
        low = min(years, default=date.today().year)
        high = max(years, default=date.today().year)
        return cls(
            first=first or date(low - 1, 1, 1),
            last=last or date(high + 12, 12, 31),
            overrides=dict(overrides),
            published_years=years,
        )

    def _raw_is_workday(self, d: date) -> bool:
        if d.year in self.published_years:
            return self.overrides.get(d, d.weekday() < 5)
        return estimated_workday(d)

    def _index(self, d: date) -> int:
        if not (self.first <= d <= self.last):
            raise ValueError(f"{d} is outside the calendar ({self.first} … {self.last})")
        return d.toordinal() - self.first.toordinal()

    def is_workday(self, d: date) -> bool:
        i = self._index(d)
        return self._cum[i] - (self._cum[i - 1] if i else 0) == 1

    def is_provisional_day(self, d: date) -> bool:
        return d.year not in self.published_years

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        return self._cum[self._index(end)] - self._cum[self._index(start)]

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after start (start itself not counted); n >= 1. n == 0 gives start."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return start
        target = self._cum[self._index(start)] + n
        # The k-th working day of the table (1-based) sits at _workday_ordinals[k - 1].
        if target > len(self._workday_ordinals):
            raise ValueError(f"{start} + {n} working days is beyond the calendar ({self.last})")
        return date.fromordinal(self._workday_ordinals[target - 1])

    def next_workday_on_or_after(self, d: date) -> date:
        self._index(d)  # before the table, the first working day found would be years later
        k = bisect_left(self._workday_ordinals, d.toordinal())
        if k >= len(self._workday_ordinals):
            raise ValueError(f"no working day on or after {d} in the calendar")
        return date.fromordinal(self._workday_ordinals[k])

    def add_days_legal(self, start: date, n: int) -> date:
        """start + n calendar days; an end on a non-working day moves to the next working day."""
        end = start.toordinal() + n
        # Checked as ordinals: start + timedelta past 9999-12-31 raises OverflowError, not ValueError.
        if not self.first.toordinal() <= end <= self.last.toordinal():
            raise ValueError(f"{start} + {n} days is outside the calendar ({self.first} … {self.last})")
        return self.next_workday_on_or_after(date.fromordinal(end))

    def weekday_days_off(self, start: date, end: date) -> list[tuple[int, int, int]]:
        """The weekdays off in (start, end] as ordinals, each with the first and last ordinal of the run of
        consecutive days off it lies in (clipped to the calendar, not to the period)."""
        offs = self._weekday_offs
        i, j = bisect_left(offs, start.toordinal() + 1), bisect_right(offs, end.toordinal())
        runs = self._off_runs
        return [(offs[k], *runs[k]) for k in range(i, j)]

    def weekend_workdays(self, start: date, end: date) -> list[int]:
        """The weekend days worked (make-up working days) in (start, end] as ordinals."""
        days = self._weekend_workdays
        return days[bisect_left(days, start.toordinal() + 1):bisect_right(days, end.toordinal())]

    def provisional_between(self, start: date, end: date) -> bool:
        """Whether any day in (start, end] lies in an unpublished year (an empty period never does)."""
        if end <= start:
            return False
        return any(y not in self.published_years for y in range((start + ONE_DAY).year, end.year + 1))
