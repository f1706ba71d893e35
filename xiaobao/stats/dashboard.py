"""The dashboard's charts: each one aggregate query turned into a small table (a label column and value
columns). The page draws the table with ECharts and shows it as a table; the CSV export writes it out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count

from xiaobao.cases.models import Case, Kind
from xiaobao.clocks.models import Clock, ClockName
from xiaobao.lib.spreadsheets import csv_text
from xiaobao.units.models import Unit, UnitKind

from .periods import Month
from .queries import (
    category_names,
    follow_up_results,
    office_code,
    on_time_rates,
    received_by_category,
    received_by_month_and_kind,
    received_by_unit_and_kind,
)

TOP_CATEGORIES = 10
TREND_MONTHS = 12


@dataclass
class Chart:
    key: str
    title: str
    label: str  # heading of the label column
    columns: list[str]
    rows: list[list]  # [label, value per column]
    plot: list[int] = field(default_factory=list)  # which value columns the chart draws (all when empty)
    horizontal: bool = False
    stacked: bool = False
    note: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def _of(unit: Unit | None) -> str:
    return f"{unit}：" if unit is not None else ""


def trend(month: Month, today: date, unit: Unit | None = None) -> Chart:
    span = month.last_months(TREND_MONTHS)
    counts = received_by_month_and_kind(month, unit, months=TREND_MONTHS)
    kinds = dict(Kind.choices)
    return Chart("trend", f"{_of(unit)}近{TREND_MONTHS}个月受理登记（按类型）", "月份", [kinds[k] for k in Kind.values],
                 [[str(m), *(counts.get((str(m), k), 0) for k in Kind.values)] for m in span], stacked=True)


def category(month: Month, today: date, unit: Unit | None = None) -> Chart:
    if unit is None:
        rows = list(Case.objects.filter(received_at__gte=month.start, received_at__lt=month.end).order_by()
                    .values("category").annotate(n=Count("id")).order_by("-n", "category")[:TOP_CATEGORIES])
    else:
        rows = sorted(received_by_category(month, unit), key=lambda r: (-r["n"], r["category"]))[:TOP_CATEGORIES]
    names = category_names()
    return Chart("category", f"{_of(unit)}{month.label}受理登记前{TOP_CATEGORIES}位类别", "类别", ["件数"],
                 [[names.get(r["category"] or "unclassified", r["category"]), r["n"]] for r in rows],
                 horizontal=True)


def by_unit(month: Month, today: date, unit: Unit | None = None) -> Chart:
    matrix = received_by_unit_and_kind(month, unit, office=office_code())
    units = Unit.objects.filter(code__in=matrix).order_by("sort", "code")
    kinds = dict(Kind.choices)
    return Chart("unit", f"{_of(unit)}{month.label}各单位受理登记（按月末承办单位）", "单位",
                 [kinds[k] for k in Kind.values],
                 [[str(u), *(matrix[u.code].get(k, 0) for k in Kind.values)] for u in units], stacked=True)


def on_time(month: Month, today: date, unit: Unit | None = None) -> Chart:
    labels = dict(ClockName.choices)
    rows = []
    for name, c in on_time_rates(month, unit).items():
        rate = None if c["rate"] is None else round(c["rate"] * 100, 1)
        rows.append([labels[name], c["due"], c["on_time"], c["late"], c["pending"], rate])
    return Chart("on_time", f"{_of(unit)}{month.label}各法定期限按时率", "期限",
                 ["应办", "按时", "逾期", "未到期", "按时率（%）"],
                 rows, plot=[4], note="按时率 = 按时 ÷（按时 + 逾期）")


def overdue(month: Month, today: date, unit: Unit | None = None) -> Chart:
    clocks = Clock.objects.filter(met_on__isnull=True, due__lt=today).order_by()
    if unit is not None:
        clocks = clocks.filter(case__unit=unit)
    rows = (clocks.values("case__unit__code").annotate(clocks=Count("id"), items=Count("case", distinct=True))
            .order_by("-clocks", "case__unit__code"))
    names = {u.code: str(u) for u in Unit.objects.all()}
    return Chart("overdue", f"{_of(unit)}当前逾期（截至{today:%Y-%m-%d}，按承办单位）", "单位", ["逾期期限", "涉及件数"],
                 [[names.get(r["case__unit__code"], "未分派"), r["clocks"], r["items"]] for r in rows],
                 plot=[0], horizontal=True, note="尚未完成且届满日早于今天的期限。")


def stations(month: Month, today: date, unit: Unit | None = None) -> Chart:
    matrix = received_by_unit_and_kind(month, unit, office=office_code())
    kinds = dict(Kind.choices)
    units = Unit.objects.filter(kind=UnitKind.STATION, active=True).order_by("sort", "code")
    if unit is not None:  # a unit's own dashboard: its own row, if it is a station
        units = units.filter(pk=unit.pk)
    rows = [[str(u), *(matrix.get(u.code, {}).get(k, 0) for k in Kind.values)] for u in units]
    return Chart("stations", f"{_of(unit)}{month.label}各辖区所受理登记", "辖区所", [kinds[k] for k in Kind.values], rows,
                 horizontal=True, stacked=True)


def follow_ups(month: Month, today: date, unit: Unit | None = None) -> Chart:
    """回访问效 per unit (issue 20.4): the unit's own follow-ups and 消保股's checks, with their rates."""
    results = follow_up_results(month, unit)
    names = {u.code: u.short_name or u.name for u in Unit.objects.filter(code__in=results["by_unit"])}

    def pct(rate: float | None) -> float | None:
        return None if rate is None else round(rate * 100, 1)

    rows = [[names.get(code, code), r["complaints_concluded"], r["followed_up"]["total"], r["checked"]["total"],
             pct(r["followed_up"]["resolved_rate"]), pct(r["followed_up"]["satisfaction_rate"]),
             pct(r["checked"]["satisfaction_rate"])] for code, r in results["by_unit"].items()]
    return Chart("follow_up", f"{_of(unit)}{month.label}回访问效（按单位）", "单位",
                 ["办结投诉", "本单位回访", "消保股抽查", "解决率（%）", "满意率（%）", "抽查满意率（%）"], rows,
                 plot=[3, 4, 5], note="解决率、满意率为回访中“已解决”“满意或基本满意”所占比例；消保股按比例抽查各单位办结的投诉。")


# Each chart for the bureau (unit None) or for one unit's items (access checked by the view).
CHARTS: dict[str, Callable[[Month, date, Unit | None], Chart]] = {
    "trend": trend, "category": category, "unit": by_unit, "on_time": on_time, "overdue": overdue,
    "stations": stations, "follow_up": follow_ups,
}


def as_csv(chart: Chart) -> str:
    rows = [[chart.label, *chart.columns], *(["" if v is None else v for v in row] for row in chart.rows)]
    # Excel on Chinese Windows reads UTF-8 only with the byte-order mark.
    return "\ufeff" + csv_text(rows)
