"""The triage queue of 消保股: suggestions with reasons, and routing a batch of items in one go."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xiaobao.cases import services
from xiaobao.cases.errors import Refused
from xiaobao.cases.selectors import visible_cases
from xiaobao.routing.suggest import Context, suggest
from xiaobao.rules.models import Category
from xiaobao.units.models import Role, Unit

QUEUE_SIZE = 100


@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.DISPATCHER):
        raise PermissionDenied("只有消保股分流员可以分流。")
    if request.method == "POST":
        return _route_batch(request)
    # Returned items first (rules: the dispatcher sees returns first), then oldest first.
    queue = list(visible_cases(request.user).filter(state="triage")
                 .order_by("-returns_count", "received_at")[:QUEUE_SIZE])
    ctx = Context.load()
    rows = [{"case": c, "suggestions": suggest(c, context=ctx)} for c in queue]
    units = [u for u in Unit.objects.filter(active=True) if u.handles_items]
    return render(request, "web/triage.html", {"rows": rows, "units": units, "categories": Category.objects.all(),
                                                "total": visible_cases(request.user).filter(state="triage").count()})


def _route_batch(request: HttpRequest) -> HttpResponse:
    routed, refused = [], []
    for case_id in request.POST.getlist("case"):
        unit = request.POST.get(f"unit-{case_id}", "")
        category = request.POST.get(f"category-{case_id}", "")
        try:
            case = services.assign(actor=request.user, case_id=int(case_id),
                                   body={"unit": unit, "category": category,
                                         "note": request.POST.get("note", "").strip() or "批量分流"})
        except (Refused, ValueError) as exc:
            refused.append(f"{case_id}：{getattr(exc, 'message', exc)}")
        else:
            routed.append(case.number)
    if routed:
        messages.success(request, f"已分流 {len(routed)} 件：{'、'.join(routed)}")
    if refused:
        messages.error(request, "未能分流：" + "；".join(refused))
    if not routed and not refused:
        messages.warning(request, "请先勾选要分流的件。")
    return redirect("web:triage")
