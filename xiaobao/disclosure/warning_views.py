"""The market warnings page of 消保股 (stats.warnings finds the spikes), and the consumer warnings (消费预警)
drafted from them: 消保股 drafts and submits, the 分管局长 approves or sends back, then it is public."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.lib.http import file_download
from xiaobao.records.audit import record
from xiaobao.stats import warnings

from . import services
from .models import ConsumerAlert
from .services import default_text, may_approve, may_publish


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
        "min_count": warnings.MIN_COUNT, "sigmas": warnings.SIGMAS, "ratio": warnings.RATIO,
        "pending": ConsumerAlert.objects.filter(status=ConsumerAlert.Status.PENDING).count()}, status=status)


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """Drafts a consumer warning from a spike and submits it to the 分管局长."""
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
        alert = services.draft_alert(actor=request.user, spike=spike, title=request.POST.get("title", ""),
                                     body=request.POST.get("body", ""))
    except (Invalid, NotPermitted) as e:
        return _warnings(request, refused=spike, error=e.message, status=e.status)
    messages.success(request, f"消费警示“{alert.title}”已提交分管局长审批，批准后对外发布。")
    return redirect("warnings:alert", alert_id=alert.pk)


def _alert(request: HttpRequest, alert_id: int) -> ConsumerAlert:
    try:
        return services.visible_alert(request.user, alert_id)
    except NotFound as e:
        raise Http404(e.message) from e


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    try:
        alerts = services.alerts_for(request.user, request.GET.get("status") or None)
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    except Invalid:
        alerts = services.alerts_for(request.user)
    return render(request, "disclosure/alert_list.html", {
        "alerts": alerts[:200], "statuses": ConsumerAlert.Status.choices, "status": request.GET.get("status", ""),
        "may_approve": may_approve(request.user)})


def _alert_page(request: HttpRequest, alert: ConsumerAlert, *, error: str = "", form: str = "",
                status: int = 200) -> HttpResponse:
    return render(request, "disclosure/alert_staff.html", {
        "alert": alert, "may_approve": may_approve(request.user), "may_revise": may_publish(request.user),
        "error": error, "form": form, "typed": request.POST}, status=status)


@login_required
def alert_page(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _alert_page(request, _alert(request, alert_id))


def _decide(request: HttpRequest, alert_id: int, form: str, act) -> HttpResponse:
    alert = _alert(request, alert_id)
    try:
        done = act(alert)
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    except (Invalid, WrongState) as e:
        return _alert_page(request, alert, error=e.message, form=form, status=e.status)
    return done


@login_required
@require_POST
def approve(request: HttpRequest, alert_id: int) -> HttpResponse:
    def act(alert):
        alert = services.approve_alert(actor=request.user, alert_id=alert.pk)
        messages.success(request, f"已批准发布：{alert.number}《{alert.title}》。")
        return redirect("warnings:alert", alert_id=alert.pk)
    return _decide(request, alert_id, "approve", act)


@login_required
@require_POST
def reject(request: HttpRequest, alert_id: int) -> HttpResponse:
    def act(alert):
        services.reject_alert(actor=request.user, alert_id=alert.pk, reason=request.POST.get("reason", ""))
        messages.success(request, "已退回消保股修改。")
        return redirect("warnings:alert", alert_id=alert.pk)
    return _decide(request, alert_id, "reject", act)


@login_required
@require_POST
def revise(request: HttpRequest, alert_id: int) -> HttpResponse:
    def act(alert):
        services.revise_alert(actor=request.user, alert_id=alert.pk, title=request.POST.get("title", ""),
                              body=request.POST.get("body", ""))
        messages.success(request, "已修改并重新提交分管局长审批。")
        return redirect("warnings:alert", alert_id=alert.pk)
    return _decide(request, alert_id, "revise", act)


@login_required
def document(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alert(request, alert_id)
    record(actor=request.user, action="export_consumer_alert", obj=f"alert:{alert.pk}", detail={})
    name = f"消费预警{alert.number or '（送审稿）'}.pdf"
    return file_download(io.BytesIO(services.alert_pdf(alert)), filename=name, content_type="application/pdf")
