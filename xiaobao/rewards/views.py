"""The 举报奖励 panel of an item's page (htmx), its forms with errors in place, and the 审批表 / 发放表 PDFs.
Everyone the contract does not name gets 404, as from the API (rewards.services)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotFound, Refused
from xiaobao.cases.models import Case

from . import documents, services
from .forms import FORMS, LABELS


def _case_or_404(request: HttpRequest, case_id: int) -> Case:
    case = Case.objects.select_related("complainant", "unit").filter(pk=case_id).first()
    if case is None or not services.may_see(request.user, case):
        raise Http404(services.NOT_FOUND)
    return case


def _form(action: str, reward, data=None):
    """The action's form; a joint reward's payment asks for one account per signer."""
    if action == "pay":
        return FORMS[action](data, prefix=action, shares=reward.shares if reward else None)
    return FORMS[action](data, prefix=action)


def _panel(request: HttpRequest, case: Case, *, failed: str = "", form=None, error: str = "",
           status: int = 200) -> HttpResponse:
    reward = services.find(request.user, case)
    actions = services.available(request.user, case, reward)
    forms = []
    for action in actions:
        f = form if action == failed and form is not None else _form(action, reward)
        forms.append({"action": action, "label": LABELS[action], "form": f,
                      "error": error if action == failed else ""})
    context = {"case": case, "reward": reward, "view": services.view(request.user, case, reward) if reward else None,
               "forms": forms, "error": error if failed not in actions else "",
               "documents": [(k, documents.KINDS[k]) for k in documents.available(reward)] if reward else []}
    template = "rewards/_panel.html" if request.htmx else "rewards/page.html"
    return render(request, template, context, status=status)


@login_required
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    return _panel(request, _case_or_404(request, case_id))


@login_required
@require_POST
def act(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = _case_or_404(request, case_id)
    if action not in FORMS:
        raise Http404("没有这个操作。")
    # The payment form depends on the reward's signers (a read, audited like any).
    form = _form(action, services.find(request.user, case) if action == "pay" else None, request.POST)
    if not form.is_valid():
        return _panel(request, case, failed=action, form=form, status=422)
    try:
        if action == "assess":
            services.assess(actor=request.user, case_id=case.pk, body=form.to_body())
        elif action == "pay":
            services.act(actor=request.user, case_id=case.pk, action=action, body=form.to_body())
        else:
            body = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            services.act(actor=request.user, case_id=case.pk, action=action, body=body)
    except NotFound as e:
        raise Http404(e.message) from e
    except Invalid as e:
        for err in e.errors:
            name = form.field_for(err["field"]) if hasattr(form, "field_for") else (
                err["field"] if err["field"] in form.fields else None)
            form.add_error(name, err["message"])
        return _panel(request, case, failed=action, form=form, status=422)
    except Refused as e:
        return _panel(request, case, failed=action, form=form, error=e.message, status=e.status)
    return _panel(request, case) if request.htmx else redirect("rewards:panel", case.pk)


@login_required
def document(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = _case_or_404(request, case_id)
    reward = services.find(request.user, case)
    if reward is None or kind not in documents.available(reward):
        raise Http404("该表尚未生成。")
    services.record_print(request.user, case, reward, kind)
    content = documents.render_pdf(kind, case, reward)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{documents.KINDS[kind]}-{case.number}.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
