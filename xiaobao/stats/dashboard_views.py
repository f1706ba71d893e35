"""The bureau's dashboard (charts with table views and CSV). The market warnings page, which publishes consumer
alerts from them, is disclosure's (xiaobao/disclosure/warning_views.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.lib import timeutil
from xiaobao.lib.dbrouter import reads_from_replica
from xiaobao.records.audit import record
from xiaobao.units.models import Unit

from . import dashboard
from .access import BUREAU_ROLES, default_unit_code, may_see_statistics, statistics_scope
from .periods import Month, parse_month
from .queries import TABLE_KINDS


def _scope(request: HttpRequest) -> tuple[Month, Unit | None]:
    """The month and the unit (None: the whole bureau). 消保股, the leadership and the auditor see the bureau
    or any unit they choose; a unit's staff see their own unit's charts and no other (xiaobao.stats.access)."""
    if not may_see_statistics(request.user):
        raise PermissionDenied("仪表盘只对消保股、局领导、审计员和承办单位人员开放。")
    try:
        month = parse_month(request.GET.get("month") or str(Month.containing(timeutil.today())))
        unit = statistics_scope(request.user, request.GET.get("unit", default_unit_code(request.user)) or None)
    except Invalid as e:
        raise Http404(e.message) from e
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    return month, unit


def _query(month: Month, unit: Unit | None) -> str:
    return urlencode({"month": str(month), **({"unit": unit.code} if unit else {})})


@login_required
@reads_from_replica
def dashboard_page(request: HttpRequest) -> HttpResponse:
    month, unit = _scope(request)
    today = timeutil.today()
    charts = [build(month, today, unit) for build in dashboard.CHARTS.values()]
    bureau = request.user.has_role(*BUREAU_ROLES)
    return render(request, "stats/dashboard.html", {
        "month": str(month), "period": month, "unit": unit, "query": _query(month, unit),
        "unit_choices": Unit.objects.filter(kind__in=TABLE_KINDS, active=True).order_by("sort", "code")
        if bureau else None,
        "charts": [(c, c.as_json(), f"data-{c.key}") for c in charts]})


@login_required
@reads_from_replica
def dashboard_csv(request: HttpRequest, chart: str) -> HttpResponse:
    month, unit = _scope(request)
    build = dashboard.CHARTS.get(chart)
    if build is None:
        raise Http404("没有这个图表。")
    record(actor=request.user, action="export_stats", obj=f"stats:{month}",
           detail={"unit": unit.code if unit else None, "format": "csv", "chart": chart, "via": "web"})
    content = dashboard.as_csv(build(month, timeutil.today(), unit))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"dashboard-{chart}-{month}" + (f"-{unit.code}" if unit else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
