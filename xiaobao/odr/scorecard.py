"""The ODR scorecard (issue 22.4; DOMAIN.md "Settling first": 先行和解率, money recovered, average days, per
business; businesses graded by how they handle). docs/odr.md states every definition below in Chinese.

What is counted, and in which period (API-v1.md "ODR businesses": "each counted in the month the forwarding
or the business's answer happened"):
- forwarded (转企业): the forwardings made in the period (`forwarded_at`).
- settled (和解成功) and not settled (和解不成): the business's answers given in the period (`answered_at`).
- timed out (逾期未处理) and escalated (消费者不同意先行和解): the forwardings that ended so in the period
  (`closed_at`: no answer was given).
- concluded (已结束): every forwarding that left the business in the period in any of those four ways.
- 先行和解率 = settled ÷ concluded, `None` when nothing was concluded. Escalations and time-outs are in the
  denominator: a complaint that came back to the bureau was not settled first, whatever the reason.
- late answers (逾期): the concluded forwardings that timed out, or whose answer (or end) fell on a day, in the
  bureau's zone, after `due` (the 10th working day). A forwarding still with the business is not counted yet.
- money recovered (挽回经济损失): the sum of the amounts of the settled answers of the period.
- average days (平均办理天数): over the answers of the period (settled and not settled), the WORKING days from the
  forwarding's day to the answer's day, by the project's working-day calendar (xiaobao.clocks; the start day is
  not counted, as for the 10-working-day clock itself, so an answer on `due` takes 10); one decimal.
Every figure is read from columns written once when the forwarding ends, so a past period reads the same later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q

from xiaobao.cases.errors import Invalid
from xiaobao.clocks.calendar import get_calendar
from xiaobao.stats.access import BUREAU_ROLES
from xiaobao.stats.dashboard import CHARTS, Chart
from xiaobao.stats.periods import BUREAU_ZONE, Month, parse_month
from xiaobao.stats.queries import add_block, office_code
from xiaobao.units.models import Staff, Unit

from .models import Business, BusinessState, Commitment, Forwarding, ForwardingState

S = ForwardingState
# Ended by the business's answer (counted when it answered) or without one (counted when the forwarding closed).
ANSWER_STATES = (S.SETTLED, S.NOT_SETTLED)
CLOSE_STATES = (S.TIMED_OUT, S.ESCALATED)
COUNTED_STATES = (*ANSWER_STATES, *CLOSE_STATES)
COMMITMENT_LABELS = dict(Commitment.choices)


@dataclass(frozen=True)
class Grade:
    code: str
    label: str
    min_rate: Fraction  # 先行和解率 at least this
    max_late_share: Fraction  # late answers ÷ concluded at most this


# The grades of a business over a period (issue 22.4 "grades businesses"; DOMAIN.md "businesses graded by how
# they handle"). The 暂行办法 asks the county bureau to assess its ODR businesses but sets no scale: this is the
# bureau's rule, as data (docs/odr.md, "评级"). The first grade whose two thresholds a business meets is its
# grade; a business that concluded nothing in the period has none (未评级).
GRADES = (
    Grade("excellent", "优秀", Fraction(80, 100), Fraction(0)),
    Grade("good", "良好", Fraction(60, 100), Fraction(10, 100)),
    Grade("fair", "一般", Fraction(40, 100), Fraction(25, 100)),
    Grade("poor", "较差", Fraction(0), Fraction(1)),
)
UNGRADED = "未评级"


def grade(settled: int, late: int, concluded: int) -> Grade | None:
    if not concluded:
        return None
    rate, late_share = Fraction(settled, concluded), Fraction(late, concluded)
    return next(g for g in GRADES if rate >= g.min_rate and late_share <= g.max_late_share)


def may_see_scorecard(user: Staff) -> bool:
    """消保股's dispatchers, the deputy director, the bureau head and the auditor: the bureau's statistics roles
    (xiaobao.stats.access); the units' staff and businesses do not see other businesses' figures."""
    return user.is_authenticated and user.has_role(*BUREAU_ROLES)


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Year:
    year: int

    def __str__(self) -> str:
        return f"{self.year:04d}"

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)

    @property
    def start(self) -> datetime:
        return datetime(self.year, 1, 1, tzinfo=BUREAU_ZONE)

    @property
    def end(self) -> datetime:
        return datetime(self.year + 1, 1, 1, tzinfo=BUREAU_ZONE)

    @property
    def label(self) -> str:
        return f"{self.year}年"


Period = Month | Year
_YEAR = re.compile(r"[0-9]{4}")


def parse_year(value: str | None, *, field: str = "year") -> Year:
    text = (value or "").strip()
    if not _YEAR.fullmatch(text) or not 2000 <= int(text) <= 2999:
        raise Invalid([{"field": field, "message": f"统计年度“{value or ''}”无效，应为四位年份，如 2026。"}])
    return Year(int(text))


def parse_period(month: str | None, year: str | None) -> Period:
    """`month=YYYY-MM` or `year=YYYY`, exactly one."""
    if month and year:
        raise Invalid([{"field": "year", "message": "统计月份和统计年度只能选择一个。"}])
    if year:
        return parse_year(year)
    if not month:
        raise Invalid([{"field": "month", "message": "请选择统计月份（YYYY-MM）或统计年度（YYYY）。"}])
    return parse_month(month)


# ---------------------------------------------------------------- counting


def _day(moment: datetime) -> date:
    return moment.astimezone(BUREAU_ZONE).date()


def _within(moment: datetime | None, period: Period) -> bool:
    return moment is not None and period.start <= moment < period.end


def _rate(numerator: int, denominator: int) -> float | None:
    # Rounded like the other rates of the statistics (xiaobao.stats.queries).
    return round(numerator / denominator, 4) if denominator else None


class _Tally:
    def __init__(self) -> None:
        self.forwarded = 0
        self.states = dict.fromkeys(COUNTED_STATES, 0)
        self.late = 0
        self.amount = Decimal("0.00")
        self.days: list[int] = []

    def add(self, other: _Tally) -> None:
        self.forwarded += other.forwarded
        for s in COUNTED_STATES:
            self.states[s] += other.states[s]
        self.late += other.late
        self.amount += other.amount
        self.days += other.days

    @property
    def concluded(self) -> int:
        return sum(self.states.values())

    def figures(self) -> dict[str, Any]:
        settled = self.states[S.SETTLED]
        return {
            "forwarded": self.forwarded,
            "settled": settled,
            "not_settled": self.states[S.NOT_SETTLED],
            "timed_out": self.states[S.TIMED_OUT],
            "escalated": self.states[S.ESCALATED],
            "concluded": self.concluded,
            "late": self.late,
            "settlement_rate": _rate(settled, self.concluded),
            "amount_recovered": str(self.amount.quantize(Decimal("0.01"))),
            "answered": len(self.days),
            "average_days": round(sum(self.days) / len(self.days), 1) if self.days else None,
        }


def _tallies(period: Period) -> dict[int, _Tally]:
    """One tally per business with anything to count in the period. The forwardings touched by the period are
    few (tens a month), so their rows are read once and counted here."""
    forwarded = Q(forwarded_at__gte=period.start, forwarded_at__lt=period.end)
    answered = Q(state__in=ANSWER_STATES, answered_at__gte=period.start, answered_at__lt=period.end)
    closed = Q(state__in=CLOSE_STATES, closed_at__gte=period.start, closed_at__lt=period.end)
    rows = (Forwarding.objects.filter(forwarded | answered | closed).order_by()
            .values("business_id", "state", "forwarded_at", "due", "answered_at", "closed_at", "amount"))
    calendar = None
    tallies: dict[int, _Tally] = {}
    for r in rows:
        t = tallies.setdefault(r["business_id"], _Tally())
        if _within(r["forwarded_at"], period):
            t.forwarded += 1
        state = r["state"]
        ended = r["answered_at"] if state in ANSWER_STATES else r["closed_at"] if state in CLOSE_STATES else None
        if not _within(ended, period):
            continue
        t.states[state] += 1
        if state == S.TIMED_OUT or _day(ended) > r["due"]:
            t.late += 1
        if state == S.SETTLED:
            t.amount += r["amount"] or Decimal(0)
        if state in ANSWER_STATES:
            calendar = calendar or get_calendar()
            t.days.append(calendar.workdays_between(_day(r["forwarded_at"]), _day(ended)))
    return tallies


def scorecard(period: Period) -> dict[str, Any]:
    """Per business and for the bureau (API-v1.md, `GET /api/v1/odr/scorecard`). The rows are every business
    with something counted in the period, and every active member even with nothing, by name."""
    tallies = _tallies(period)
    businesses = Business.objects.filter(Q(pk__in=tallies) | Q(state=BusinessState.ACTIVE)).order_by("name", "id")
    total = _Tally()
    rows = []
    for b in businesses:
        t = tallies.get(b.pk, _Tally())
        total.add(t)
        g = grade(t.states[S.SETTLED], t.late, t.concluded)
        rows.append({"business": b.pk, "name": b.name, "credit_code": b.credit_code, "state": b.state,
                     "state_label": b.get_state_display(), "commitments": list(b.commitments),
                     **t.figures(), "grade": g.code if g else None, "grade_label": g.label if g else UNGRADED})
    return {"period": str(period), "label": period.label, "start": period.first_day.isoformat(),
            "end": period.last_day.isoformat(), "businesses": rows, "bureau": total.figures(),
            "grades": grading()}


def grading() -> list[dict[str, Any]]:
    """The grading rule as shown to users: each grade with its thresholds as fractions."""
    return [{"grade": g.code, "label": g.label, "min_settlement_rate": float(g.min_rate),
             "max_late_share": float(g.max_late_share)} for g in GRADES]


# ---------------------------------------------------------------- the monthly statistics' block


def monthly_block(month: Month, unit: Unit | None = None) -> dict[str, Any]:
    """The `odr` block of `GET /api/v1/stats/monthly` (API-v1.md "ODR businesses"). Complaints go to a business
    from triage, that is from 消保股: the bureau's figures and 消保股's are these, another unit has none."""
    total = _Tally()
    if unit is None or unit.code == office_code():
        for t in _tallies(month).values():
            total.add(t)
    figures = total.figures()
    return {key: figures[key] for key in ("forwarded", "settled", "settlement_rate", "amount_recovered")}


# ---------------------------------------------------------------- public disclosure


def public_members(year: Year) -> list[dict[str, Any]]:
    """The active ODR businesses, for the public disclosure pages: the name, the commitments and the year's
    figures. Nothing about any complaint or person."""
    tallies = _tallies(year)
    rows = []
    for b in Business.objects.filter(state=BusinessState.ACTIVE).order_by("name", "id"):
        figures = tallies.get(b.pk, _Tally()).figures()
        rows.append({"name": b.name, "credit_code": b.credit_code,
                     "commitments": [COMMITMENT_LABELS[c] for c in Commitment.values if c in b.commitments],
                     "forwarded": figures["forwarded"], "concluded": figures["concluded"],
                     "settled": figures["settled"], "settlement_rate": figures["settlement_rate"]})
    return rows


# ---------------------------------------------------------------- the dashboard's chart


def dashboard_chart(month: Month, today: date, unit: Unit | None = None) -> Chart:
    """先行和解 per business on the statistics dashboard (xiaobao.stats.dashboard); a unit other than 消保股 has
    no forwardings of its own, so its dashboard shows an empty table."""
    rows = []
    if unit is None or unit.code == office_code():
        for r in scorecard(month)["businesses"]:
            if r["forwarded"] or r["concluded"]:
                rate = None if r["settlement_rate"] is None else round(r["settlement_rate"] * 100, 1)
                rows.append([r["name"], r["forwarded"], r["settled"], r["concluded"], r["late"], rate,
                             r["amount_recovered"], r["grade_label"]])
    return Chart("odr", f"{month.label}ODR企业先行和解", "企业",
                 ["转企业", "和解成功", "已结束", "逾期", "先行和解率（%）", "挽回经济损失（元）", "评级"], rows,
                 plot=[0, 1], note="先行和解率 = 和解成功 ÷ 当月结束的转企业件（和解成功、和解不成、逾期未处理、消费者不同意）。")


def plug_in() -> None:
    """Called from OdrConfig.ready(): the `odr` block of the monthly figures and the dashboard's chart."""
    add_block("odr", monthly_block)
    CHARTS["odr"] = dashboard_chart
