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
    return _warnings(request)


def _warnings(request: HttpRequest, *, refused: warnings.Spike | None = None, error: str = "",
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
    return render(request, "disclosure/warnings.html", {
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
        return redirect("warnings:index")
    try:
        alert = publish_alert(actor=request.user, spike=spike, title=request.POST.get("title", ""),
                              body=request.POST.get("body", ""))
    except (Invalid, NotPermitted) as e:
        return _warnings(request, refused=spike, error=e.message, status=e.status)
    messages.success(request, f"消费警示“{alert.title}”已发布。")
    return redirect("disclosure:alert", alert_id=alert.pk)
