"""The bureau's dashboard (charts with table views and CSV), and market warnings with consumer alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.disclosure.services import default_text, may_publish, publish_alert
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Unit

from . import dashboard, warnings
from .access import BUREAU_ROLES, default_unit_code, may_see_statistics, statistics_scope
from .periods import Month, parse_month
from .queries import TABLE_KINDS
from .warnings import Spike


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


def _dispatcher(request: HttpRequest) -> None:
    if not may_publish(request.user):
        raise PermissionDenied("市场预警只对消保股开放。")


@login_required
def warnings_page(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    return _warnings(request)


def _warnings(request: HttpRequest, *, refused: Spike | None = None, error: str = "",
              status: int = 200) -> HttpResponse:
    """The warnings; a refused alert's form stays open with the title and text typed and the reason."""
    spikes, refused_at = [], None
    for s in warnings.all_spikes():
        if refused is not None and (s.dimension, s.key, s.window_days) == (
                refused.dimension, refused.key, refused.window_days):
            refused_at = len(spikes)
            spikes.append((s, request.POST.get("title", ""), request.POST.get("body", "")))
        else:
            spikes.append((s, *default_text(s)))
    return render(request, "stats/warnings.html", {
        "spikes": spikes, "refused_at": refused_at, "error": error, "windows": warnings.WINDOWS,
        "min_count": warnings.MIN_COUNT, "sigmas": warnings.SIGMAS, "ratio": warnings.RATIO}, status=status)


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    try:
        days = int(request.POST.get("days", ""))
    except ValueError:
        days = 0
    spike = warnings.find(request.POST.get("dimension", ""), request.POST.get("key", ""), days)
    if spike is None:
        messages.error(request, "该预警已不存在（数据已变化），请刷新后再试。")
        return redirect("stats:warnings")
    try:
        alert = publish_alert(actor=request.user, spike=spike, title=request.POST.get("title", ""),
                              body=request.POST.get("body", ""))
    except (Invalid, NotPermitted) as e:
        return _warnings(request, refused=spike, error=e.message, status=e.status)
    messages.success(request, f"消费警示“{alert.title}”已发布。")
    return redirect("disclosure:alert", alert_id=alert.pk)
