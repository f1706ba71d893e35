"""The bureau's dashboard (charts with table views and CSV), and market warnings with consumer alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.disclosure.services import default_text, may_publish, publish_alert
from xiaobao.lib import timeutil
from xiaobao.records.audit import record

from . import dashboard, warnings
from .access import BUREAU_ROLES
from .periods import Month, parse_month


def _bureau_month(request: HttpRequest) -> Month:
    if not request.user.has_role(*BUREAU_ROLES):
        raise PermissionDenied("仪表盘只对消保股、局领导和审计员开放。")
    try:
        return parse_month(request.GET.get("month") or str(Month.containing(timeutil.today())))
    except Invalid as e:
        raise Http404(e.message) from e


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    month = _bureau_month(request)
    today = timeutil.today()
    charts = [build(month, today) for build in dashboard.CHARTS.values()]
    return render(request, "stats/dashboard.html", {
        "month": str(month), "period": month, "charts": [(c, c.as_json(), f"data-{c.key}") for c in charts]})


@login_required
def dashboard_csv(request: HttpRequest, chart: str) -> HttpResponse:
    month = _bureau_month(request)
    build = dashboard.CHARTS.get(chart)
    if build is None:
        raise Http404("没有这个图表。")
    record(actor=request.user, action="export_stats", obj=f"stats:{month}",
           detail={"unit": None, "format": "csv", "chart": chart, "via": "web"})
    response = HttpResponse(dashboard.as_csv(build(month, timeutil.today())), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{chart}-{month}.csv"'
    return response


def _dispatcher(request: HttpRequest) -> None:
    if not may_publish(request.user):
        raise PermissionDenied("市场预警只对消保股开放。")


@login_required
def warnings_page(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    spikes = warnings.all_spikes()
    return render(request, "stats/warnings.html", {
        "spikes": [(s, *default_text(s)) for s in spikes], "windows": warnings.WINDOWS,
        "min_count": warnings.MIN_COUNT, "sigmas": warnings.SIGMAS, "ratio": warnings.RATIO})


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
        messages.error(request, e.message)
        return redirect("stats:warnings")
    messages.success(request, f"消费警示“{alert.title}”已发布。")
    return redirect("disclosure:alert", alert_id=alert.pk)
