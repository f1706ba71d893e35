"""The 三率 the city scores every unit on each month (DOMAIN.md "The 12345 hotline"): 响应率 = orders signed on
time / orders the unit held, 解决率 = resolved per 回访 / 回访ed, 满意率 = (满意 + 基本满意) / 回访ed.

Computed from rows written once when things happened (Holding: a routing to a unit, and its sign; Visit: a 回访
result with the unit holding the order then), so a past month gives the same figures whenever it is asked."""

from __future__ import annotations

from collections import defaultdict

from xiaobao.units.models import Unit

from .models import Holding, Visit


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _figures(orders: set, on_time: set, visits: list[Visit]) -> dict:
    visited = len(visits)
    resolved = sum(1 for v in visits if v.resolved)
    satisfied = sum(1 for v in visits if v.satisfaction == Visit.Satisfaction.SATISFIED)
    basic = sum(1 for v in visits if v.satisfaction == Visit.Satisfaction.BASIC)
    return {"orders": len(orders), "signed_on_time": len(on_time), "response_rate": _rate(len(on_time), len(orders)),
            "visited": visited, "resolved": resolved, "resolved_rate": _rate(resolved, visited),
            "satisfied": satisfied, "basic": basic, "satisfaction_rate": _rate(satisfied + basic, visited)}


def hotline_rates(period, unit: Unit | None = None, *, with_bureau: bool = True) -> dict:
    """The month's 三率 per unit (the orders routed to it in the month, returned ones included; the 回访 results
    received in the month) and for the bureau (each order once)."""
    holdings = list(Holding.objects.filter(since__gte=period.start, since__lt=period.end)
                    .values_list("unit_id", "order_id", "signed_on_time"))
    visits = list(Visit.objects.filter(at__gte=period.start, at__lt=period.end))
    orders, on_time, unit_visits = defaultdict(set), defaultdict(set), defaultdict(list)
    for unit_id, order_id, signed in holdings:
        orders[unit_id].add(order_id)
        if signed:
            on_time[unit_id].add(order_id)
    for v in visits:
        unit_visits[v.unit_id].append(v)
    ids = (set(orders) | set(unit_visits)) - {None}
    if unit is not None:
        ids = {unit.pk}
    names = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    units = [{"unit": names[i].code, "name": names[i].name, **_figures(orders[i], on_time[i], unit_visits[i])}
             for i in sorted(ids, key=lambda i: names[i].code)]
    bureau = None
    if with_bureau:
        all_orders = {o for _, o, _ in holdings}
        all_on_time = {o for _, o, s in holdings if s}
        bureau = _figures(all_orders, all_on_time, visits)
    return {"month": str(period), "unit": unit.code if unit else None, "bureau": bureau, "units": units}


def trend(period, unit: Unit | None = None, *, months: int = 6) -> list[dict]:
    """The 三率 of the `months` months ending with `period`, oldest first: the unit's, or the bureau's."""
    out = []
    for month in period.last_months(months):
        figures = hotline_rates(month, unit, with_bureau=unit is None)
        row = figures["units"][0] if unit is not None else figures["bureau"]
        out.append({"month": str(month), "label": month.label, **{k: row[k] for k in (
            "orders", "response_rate", "visited", "resolved_rate", "satisfaction_rate")}})
    return out


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def dashboard_chart(month, today, unit: Unit | None = None):
    """The 三率 of the last twelve months on the statistics dashboard (registered by HotlineConfig.ready())."""
    from xiaobao.stats.dashboard import TREND_MONTHS, Chart

    rows = [[t["month"], _percent(t["response_rate"]), _percent(t["resolved_rate"]), _percent(t["satisfaction_rate"]),
             t["orders"], t["visited"]] for t in trend(month, unit, months=TREND_MONTHS)]
    return Chart("hotline", f"{f'{unit}：' if unit is not None else ''}近{TREND_MONTHS}个月12345工单三率", "月份",
                 ["响应率（%）", "解决率（%）", "满意率（%）", "工单数", "回访数"], rows, plot=[0, 1, 2],
                 note="响应率 = 按时签收 ÷ 派至单位的工单；解决率、满意率按当月收到的回访结果。")
