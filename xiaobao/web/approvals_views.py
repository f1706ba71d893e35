"""The approver's list (分管局长, 局负责人): every item waiting for their approval with what it asks — the unit
and the proposer's reason — and approving several at once. Each approval is still one call of the lifecycle's
`approve`; the ones refused stay ticked with the reason on their row, as in the triage batch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from xiaobao.cases import approvals, services
from xiaobao.cases.errors import Refused
from xiaobao.cases.lifecycle import TRANSITIONS
from xiaobao.cases.selectors import visible_cases

LIST_SIZE = 100


def may_approve(user) -> bool:
    """Whether the user holds a role that decides approvals (the lifecycle table's row of `approve`)."""
    return user.has_role(*TRANSITIONS["approve"].roles)


@login_required
def approval_list(request: HttpRequest) -> HttpResponse:
    if not may_approve(request.user):
        raise PermissionDenied("只有分管局长、局负责人审批。")
    if request.method == "POST":
        return _approve_batch(request)
    return _list_page(request)


def _list_page(request: HttpRequest, *, refused: dict[int, str] | None = None, status: int = 200) -> HttpResponse:
    refused = refused or {}
    queue = approvals.approval_queue(request.user)
    cases = list(queue.select_related("respondent", "unit", "approval_unit")[:LIST_SIZE])
    asked = approvals.proposals(cases)
    rows = [{"case": c, "request": asked[c.pk], "error": refused.get(c.pk, "")} for c in cases]
    # Refusals of items no longer waiting (decided meanwhile by someone else) are listed above the list.
    shown = {c.pk for c in cases}
    numbers = dict(visible_cases(request.user).filter(pk__in=set(refused) - shown).values_list("pk", "number"))
    elsewhere = [(numbers.get(pk, str(pk)), message) for pk, message in refused.items() if pk not in shown]
    return render(request, "web/approvals.html", {
        "rows": rows, "total": queue.count(), "refused": len(refused), "elsewhere": elsewhere,
        "note": request.POST.get("note", "") if refused else ""}, status=status)


def _approve_batch(request: HttpRequest) -> HttpResponse:
    approved: list[str] = []
    refused: dict[int, str] = {}
    note = request.POST.get("note", "").strip()
    for raw in request.POST.getlist("case"):
        try:
            case_id = int(raw)
        except ValueError:
            continue
        try:
            case = services.perform(actor=request.user, case_id=case_id, action="approve", body={"note": note})
        except Refused as exc:
            refused[case_id] = exc.message
        else:
            approved.append(case.number)
    if approved:
        messages.success(request, f"已批准 {len(approved)} 件：{'、'.join(approved)}")
    if refused:
        return _list_page(request, refused=refused, status=422)
    if not approved:
        messages.warning(request, "请先勾选要批准的件。")
    return redirect("web:approvals")


urlpatterns = [path("approvals/", approval_list, name="approvals")]
