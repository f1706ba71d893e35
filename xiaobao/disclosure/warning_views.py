"""The market warnings page of 消保股 (stats.warnings finds the spikes) and publishing a consumer alert from one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.stats import warnings

from .services import default_text, may_publish, publish_alert


def _dispatcher(request: HttpRequest) -> None:
    if not may_publish(request.user):
        raise PermissionDenied("市场预警只对消保股开放。")


@login_required
def warnings_page(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    spikes = warnings.all_spikes()
    return render(request, "disclosure/warnings.html", {
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
        return redirect("warnings:index")
    try:
        alert = publish_alert(actor=request.user, spike=spike, title=request.POST.get("title", ""),
                              body=request.POST.get("body", ""))
    except (Invalid, NotPermitted) as e:
        messages.error(request, e.message)
        return redirect("warnings:index")
    messages.success(request, f"消费警示“{alert.title}”已发布。")
    return redirect("disclosure:alert", alert_id=alert.pk)
