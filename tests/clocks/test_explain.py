"""The explanation a clerk checks by hand, built from the calendar's tables of non-plain days, against the
day-by-day original it replaced (engine._explain_slow): same text, byte for byte (DOMAIN.md, "Legal
clocks": "an explanation a clerk can check by hand")."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiaobao.clocks import engine
from xiaobao.clocks.engine import PauseSpan, compute_due
from xiaobao.clocks.seeding import days_from_chinesecalendar
from xiaobao.clocks.workdays import WorkCalendar

# Every year chinesecalendar knows, 2004–2026; 2027 is estimated, or published from a stand-in notice.
YEARS = set(range(2004, 2027))
OVERRIDES = {d: kind == "makeup" for y in YEARS for d, kind, _ in days_from_chinesecalendar(y)}
NOTICE_2027 = {date(2027, 1, 1): False, date(2027, 2, 5): False, date(2027, 2, 6): True,
               **{date(2027, 2, d): False for d in range(8, 12)}}
ESTIMATED_2027 = WorkCalendar.build(OVERRIDES, YEARS)
PUBLISHED_2027 = WorkCalendar.build({**OVERRIDES, **NOTICE_2027}, YEARS | {2027})
LABELS = ["检验检测", "鉴定", "确定管辖", ""]


@st.composite
def pauses(draw, start: date) -> list[PauseSpan]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        p = start + timedelta(days=draw(st.integers(-5, 60)))
        end = None if draw(st.booleans()) and not out else p + timedelta(days=draw(st.integers(0, 40)))
        out.append(PauseSpan(p, end, draw(st.sampled_from(LABELS))))
    return out


def both(cal: WorkCalendar, **kwargs):
    """compute_due with the fast explanation and with the day-by-day one: (result or exception type)."""
    def run():
        try:
            return compute_due(cal, **kwargs)
        except ValueError as e:
            return type(e)

    fast = run()
    with mock.patch.object(engine, "explain", engine._explain_slow):
        slow = run()
    return fast, slow


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([ESTIMATED_2027, PUBLISHED_2027]), st.dates(date(2004, 1, 1), date(2027, 12, 31)),
       st.integers(0, 90), st.sampled_from(["workdays", "days"]), st.data())
def test_the_explanation_is_the_same_as_the_day_by_day_one(cal, start, length, unit, data):
    spans = data.draw(pauses(start))
    today = start + timedelta(days=data.draw(st.integers(0, 120)))
    fast, slow = both(cal, start=start, length=length, unit=unit, pauses=spans, today=today)
    assert fast == slow


# Small synthetic calendars: holidays and make-up days anywhere, runs of days off at the calendar's edges.
FIRST, LAST = date(2023, 1, 1), date(2026, 12, 31)


@st.composite
def calendars(draw) -> WorkCalendar:
    published = draw(st.sets(st.sampled_from([2023, 2024, 2025, 2026]), max_size=4))
    overrides = draw(st.dictionaries(st.dates(FIRST, LAST), st.booleans(), max_size=120))
    return WorkCalendar(first=FIRST, last=LAST, overrides=overrides, published_years=frozenset(published))


@settings(max_examples=300, deadline=None)
@given(calendars(), st.dates(FIRST - timedelta(days=3), LAST), st.integers(0, 120),
       st.sampled_from(["workdays", "days"]), st.data())
def test_on_any_calendar_the_explanation_is_the_same_as_the_day_by_day_one(cal, start, length, unit, data):
    spans = data.draw(pauses(start))
    fast, slow = both(cal, start=start, length=length, unit=unit, pauses=spans, today=LAST)
    assert fast == slow


def test_the_spring_festival_reads_as_one_block_with_its_make_up_days():
    # DOMAIN.md's example: 2026-02-13 + 7 working days = 2026-03-02.
    result = compute_due(PUBLISHED_2027, start=date(2026, 2, 13), length=7, unit="workdays",
                         today=date(2026, 3, 10))
    assert result.due == date(2026, 3, 2)
    assert result.explanation == ("2026-02-13 后第 7 个工作日；届满 2026-03-02；节假日：02-15…02-23；"
                                  "调休上班：02-14、02-28")


def test_a_holiday_block_is_cut_at_the_start_and_the_due_date():
    # Starting inside the Spring Festival 2026 (02-15…02-23): the block starts the day after the start.
    result = compute_due(PUBLISHED_2027, start=date(2026, 2, 18), length=1, unit="workdays",
                         today=date(2026, 3, 10))
    assert result.due == date(2026, 2, 24)
    assert "节假日：02-19…02-23" in result.explanation


@pytest.mark.parametrize("cal, provisional", [(ESTIMATED_2027, True), (PUBLISHED_2027, False)])
def test_publishing_2027_changes_the_explanation_of_a_period_across_new_year(cal, provisional):
    result = compute_due(cal, start=date(2026, 12, 24), length=7, unit="workdays", today=date(2026, 12, 24))
    # 12-25, 12-28…12-31, (01-01 off in both), 01-04, 01-05.
    assert result.due == date(2027, 1, 5) and result.provisional is provisional
    assert ("属暂定期限" in result.explanation) is provisional
