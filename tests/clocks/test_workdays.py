"""WorkCalendar against a day-by-day reference built from the same overrides (DOMAIN.md, "Legal clocks")."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.engine import PauseSpan, compute_due
from xiaobao.clocks.seeding import days_from_chinesecalendar
from xiaobao.clocks.workdays import WorkCalendar

from .reference import DayByDay

# The real calendar as chinesecalendar knows it, without the database.
REAL_YEARS = set(range(2019, 2027))
REAL_OVERRIDES = {d: kind == "makeup" for y in REAL_YEARS for d, kind, _ in days_from_chinesecalendar(y)}
REAL = WorkCalendar.build(REAL_OVERRIDES, REAL_YEARS)
REAL_REF = DayByDay(
    lambda d: chinese_calendar.is_workday(d) if d.year in REAL_YEARS else DayByDay.guessed_workday(d), REAL.last)
REAL_DAYS = st.dates(date(2019, 1, 1), date(2026, 12, 31))

# Small synthetic calendars: any days of the published years may be declared off or working.
FIRST, LAST = date(2023, 1, 1), date(2028, 12, 31)
SYNTH_DAYS = st.dates(FIRST, LAST)


@st.composite
def calendars(draw) -> tuple[WorkCalendar, DayByDay]:
    published = draw(st.sets(st.sampled_from([2023, 2024, 2025, 2026]), max_size=4))
    overrides = draw(st.dictionaries(st.dates(date(2023, 1, 1), date(2026, 12, 31)), st.booleans(), max_size=80))
    cal = WorkCalendar(first=FIRST, last=LAST, overrides=overrides, published_years=frozenset(published))
    return cal, DayByDay.from_overrides(overrides, published, LAST)


@given(calendars(), SYNTH_DAYS)
def test_is_workday_matches_the_reference_on_any_calendar(pair, d):
    cal, ref = pair
    assert cal.is_workday(d) == ref.is_workday(d)


@given(calendars(), SYNTH_DAYS, st.integers(0, 400))
def test_add_workdays_matches_the_reference_on_any_calendar(pair, start, n):
    cal, ref = pair
    expected = ref.add_workdays(start, n)
    if expected is None:
        with pytest.raises(ValueError):
            cal.add_workdays(start, n)
    else:
        assert cal.add_workdays(start, n) == expected


@given(calendars(), SYNTH_DAYS, SYNTH_DAYS)
def test_workdays_between_matches_the_reference_on_any_calendar(pair, a, b):
    cal, ref = pair
    assert cal.workdays_between(a, b) == ref.workdays_between(a, b)


@given(calendars(), st.dates(FIRST, date(2028, 9, 30)), st.integers(0, 60))
def test_add_days_legal_matches_the_reference_on_any_calendar(pair, start, n):
    cal, ref = pair
    assert cal.add_days_legal(start, n) == ref.add_days_legal(start, n)


@given(REAL_DAYS, st.integers(0, 120))
def test_the_real_calendar_matches_chinesecalendar_day_by_day(start, n):
    assert REAL.is_workday(start) == chinese_calendar.is_workday(start)
    assert REAL.add_workdays(start, n) == REAL_REF.add_workdays(start, n)
    assert REAL.add_days_legal(start, n) == REAL_REF.add_days_legal(start, n)
    end = start + timedelta(days=n)
    if end.year <= 2026:
        assert REAL.workdays_between(start, end) == REAL_REF.workdays_between(start, end)


@given(REAL_DAYS, st.integers(1, 40), st.sampled_from(["workdays", "days"]),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=3))
def test_paused_days_do_not_count(start, n, unit, raw_pauses):
    # A pause from P to resume date R takes P … R−1 out of the count (rules 二.2).
    pauses = [PauseSpan(start + timedelta(days=a), start + timedelta(days=a + length)) for a, length in raw_pauses]
    excluded = {p.start + timedelta(days=i) for p in pauses for i in range((p.end - p.start).days)}
    result = compute_due(REAL, start=start, length=n, unit=unit, pauses=pauses, today=start)
    assert result.due == REAL_REF.due_with_pauses(start, n, unit, excluded)


def test_spring_festival_and_make_up_days_give_the_domain_example():
    # Fri 2026-02-13 + 7 working days: Sat 02-14 is worked, 02-15…02-23 off, Sat 02-28 worked.
    assert REAL.add_workdays(date(2026, 2, 13), 7) == date(2026, 3, 2)
    assert REAL.workdays_between(date(2026, 2, 13), date(2026, 3, 2)) == 7
    assert REAL.is_workday(date(2026, 2, 14)) and not REAL.is_workday(date(2026, 2, 16))


def test_a_calendar_day_period_ending_on_a_holiday_ends_on_the_next_working_day():
    # 2026-09-01 + 30 days = Thu 10-01, National Day; 10-01…10-07 are off.
    assert REAL.add_days_legal(date(2026, 9, 1), 30) == date(2026, 10, 8)
    # Ending on a make-up Saturday (2026-10-10) it stays there.
    assert REAL.add_days_legal(date(2026, 9, 10), 30) == date(2026, 10, 10)
    # Ending on a plain Sunday it moves to Monday.
    assert REAL.add_days_legal(date(2026, 3, 1), 7) == date(2026, 3, 9)


def test_the_start_day_is_not_counted_and_zero_days_is_the_start():
    assert REAL.add_workdays(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert REAL.add_workdays(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert not REAL.provisional_between(date(2026, 12, 31), date(2026, 12, 31))


@pytest.mark.django_db
@time_machine.travel("2026-12-24 10:00 +0800", tick=False)
def test_a_deadline_reaching_into_2027_is_provisional_until_the_year_is_published():
    cal = get_calendar()
    assert 2027 not in cal.published_years
    due = cal.add_workdays(date(2026, 12, 24), 7)
    # Estimated: 12-25, 12-28…12-31, then 01-01 (New Year's Day, a fixed-date holiday) is skipped.
    assert due == date(2027, 1, 5)
    assert cal.provisional_between(date(2026, 12, 24), due)
    assert not cal.provisional_between(date(2026, 12, 1), cal.add_workdays(date(2026, 12, 1), 7))
    result = compute_due(cal, start=date(2026, 12, 24), length=7, unit="workdays")
    assert result.provisional and "暂定" in result.explanation


@settings(max_examples=50)
@given(calendars(), SYNTH_DAYS)
def test_an_empty_period_is_never_provisional(pair, d):
    cal, _ = pair
    assert not cal.provisional_between(d, d)
