"""The 并案 panel of an item's page (loaded by htmx): the item it is merged into with the undo, the items merged
into it, candidates with their reasons, and the forms of merge and repeat_report. Every change goes through
xiaobao.cases.services.perform, as the other actions do."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from xiaobao.cases import services
from xiaobao.cases.errors import Invalid, NotFound, Refused
from xiaobao.cases.lifecycle import TRANSITIONS
from xiaobao.cases.models import Case
from xiaobao.cases.selectors import get_visible_case
from xiaobao.merging import selectors

from .forms import action_form

ACTIONS = ("merge", "unmerge", "repeat_report")


def _visible_or_404(request: HttpRequest, case_id: int) -> Case:
    case = get_visible_case(request.user, case_id)
    if case is None:
        raise Http404("未找到该件，或您无权查看。")
    return case


@login_required
def case_merging(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_or_404(request, case_id)
    forms = {}
    error, status = "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404("没有这个操作。")
        form = forms[action] = action_form(action, case, data=request.POST)
        if form.is_valid():
            body = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
            try:
                services.perform(actor=request.user, case_id=case.pk, action=action, body=body)
            except Invalid as e:
                for err in e.errors:
                    form.add_error(err["field"] if err["field"] in form.fields else None, err["message"])
            except NotFound as e:
                error, status = e.message, 404
            except Refused as e:
                error, status = e.message, e.status
            else:
                messages.success(request, f"已{TRANSITIONS[action].label}：{case.number}")
                target = reverse("web:case", args=[case.pk])
                if get_visible_case(request.user, case.pk) is None:
                    target = reverse("web:inbox")
                return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
        if form.errors and status == 200:
            status = 422
    return _panel(request, case, forms, error=error, status=status)


def _panel(request: HttpRequest, case: Case, forms: dict, *, error: str, status: int) -> HttpResponse:
    allowed = {t.action for t in services.available_actions(request.user, case)}
    for action in ACTIONS:
        if action in allowed and action not in forms:
            forms[action] = action_form(action, case)
    if "merge" in forms and (into := request.GET.get("into")):
        forms["merge"].initial["into"] = into[:40]
    if "repeat_report" in forms and (of := request.GET.get("of")):
        forms["repeat_report"].initial["of"] = of[:40]
    for action, form in forms.items():
        # The panel sits on the item's page beside its action forms: its fields get ids of their own, so each
        # label names its own field (two "reason" fields would otherwise share id_reason).
        form.auto_id = f"merging-{action}-%s"
    merge = selectors.open_merge(case)
    context = {
        "case": case, "error": error, "merge": merge, "linked": selectors.linked_items(case),
        "candidates": selectors.candidates(request.user, case) if ("merge" in allowed or
                                                                    "repeat_report" in allowed) else [],
        "unfolded": request.method == "POST" or "into" in request.GET or "of" in request.GET,
        "forms": [(action, TRANSITIONS[action], forms[action]) for action in ACTIONS if action in forms],
    }
    template = "merging/_panel.html" if request.htmx else "merging/page.html"
    return render(request, template, context, status=status)
