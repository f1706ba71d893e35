"""A handling period clamped to the mediation cap (rules 二.4) is provisional only if the clamped period itself
reaches a year whose calendar is not yet published (2027 is not, in the seeded calendar)."""

from datetime import date

import pytest

from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.engine import PROVISIONAL_NOTE
from xiaobao.clocks.models import Clock
from xiaobao.clocks.services import compute

pytestmark = pytest.mark.django_db


def handling(start: date) -> Clock:
    return Clock(name="handling", start=start, length=30, unit="workdays", basis="规则二.4")


def test_a_cap_before_the_unpublished_year_makes_the_clamped_clock_firm():
    cal = get_calendar()
    unclamped = compute(cal, handling(date(2026, 12, 1)), spans=[], cap_due=None, on=date(2026, 12, 1))
    assert unclamped.due.year == 2027 and unclamped.provisional
    clamped = compute(cal, handling(date(2026, 12, 1)), spans=[], cap_due=date(2026, 12, 30), on=date(2026, 12, 1))
    assert clamped.due == date(2026, 12, 30)
    assert clamped.provisional is False
    assert PROVISIONAL_NOTE not in clamped.explanation
    assert clamped.explanation.endswith("不超过调解终结期限 2026-12-30")


def test_a_cap_inside_the_unpublished_year_stays_provisional():
    cal = get_calendar()
    clamped = compute(cal, handling(date(2026, 12, 1)), spans=[], cap_due=date(2027, 1, 5), on=date(2026, 12, 1))
    assert clamped.due == date(2027, 1, 5)
    assert clamped.provisional is True
    assert PROVISIONAL_NOTE in clamped.explanation
