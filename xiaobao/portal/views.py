"""Public pages: no login, CSRF on, nothing cached. Plain function views; the work is in services."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from xiaobao.cases.errors import Invalid, NotFound
from xiaobao.cases.models import Kind, Outcome, State
from xiaobao.cases.services import REPLY_CHANNELS
from xiaobao.lib import timeutil
from xiaobao.rules.models import RuleSet

from . import challenge, services
from .forms import FORMS, PublicForm, TrackForm
from .http import client_key
from .present import public_view

KINDS = [
    {"kind": Kind.COMPLAINT, "label": "投诉", "summary": "与经营者发生消费纠纷，请求市场监管部门调解。",
     "needs": ["您的姓名、联系电话和地址", "经营者的名称和地址", "事实经过（时间、地点、商品或服务、金额、证据）",
               "您的诉求（如退货、退款、赔偿）"]},
    {"kind": Kind.REPORT, "label": "举报", "summary": "反映经营者违反市场监管法律法规的线索，可以匿名。",
     "needs": ["被举报经营者的名称（地址尽量填写）", "具体的违法线索和证据", "联系方式（选填；匿名举报不保存身份）"]},
    {"kind": Kind.INQUIRY, "label": "咨询", "summary": "询问消费维权、市场监管方面的法律法规和办事程序。",
     "needs": ["您的问题", "联系电话（选填，便于答复）"]},
]


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {"bureau": settings.XIAOBAO_BUREAU_NAME, **context}
    return render(request, template, context, status=status)


@never_cache
def index(request: HttpRequest) -> HttpResponse:
    return _render(request, "portal/index.html", {"kinds": KINDS})


def _form_page(request: HttpRequest, form: PublicForm, *, error: str = "", status: int = 200) -> HttpResponse:
    question = challenge.new_challenge()
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        # A fresh question each time the form is shown; what the person typed stays.
        form.data["challenge"], form.data["answer"] = question.token, ""
    else:
        form.initial["challenge"] = question.token
    kind = next(k for k in KINDS if k["kind"] == form.kind)
    # Marked from the rule set in force, the same list the registration checks.
    required = {f.replace(".", "_") for f in RuleSet.in_force(timeutil.today()).required_fields(form.kind)}
    return _render(request, "portal/new.html", {"form": form, "kind": kind, "question": question.question,
                                                "error": error, "required": required}, status=status)


@never_cache
def new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FORMS:
        raise Http404("没有这种类型。")
    form_class = FORMS[kind]
    if request.method != "POST":
        return _form_page(request, form_class())
    form = form_class(data=request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    if form.cleaned_data["website"]:
        return _render(request, "portal/refused.html", {}, status=400)
    if problem := challenge.check(form.cleaned_data["challenge"], form.cleaned_data["answer"]):
        form.add_error("answer", problem)
        return _form_page(request, form, status=422)
    try:
        case, code = services.submit(
            data=form.to_payload(), client=client_key(request),
            consent_disclosure=form.cleaned_data.get("consent_disclosure"),
            consent_mediation=form.cleaned_data.get("consent_mediation"))
    except Invalid as e:
        for err in e.errors:
            form.add_error(form.field_for(err["field"]), err["message"])
        return _form_page(request, form, status=422)
    except services.Throttled as e:
        return _form_page(request, form, error=e.message, status=429)
    return _render(request, "portal/done.html", {
        "number": case.number, "query_code": services.format_query_code(code), "kind": case.get_kind_display()})


def _minute(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(data=request.POST if request.method == "POST" else None)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            case = services.find(number=form.cleaned_data["number"], query_code=form.cleaned_data["query_code"],
                                 client=client_key(request))
        except NotFound as e:
            context["error"], status = e.message, 404
        except services.Throttled as e:
            context["error"], status = e.message, 429
        else:
            view = public_view(case)
            context["item"] = {
                **view, "kind_label": Kind(view["kind"]).label, "state_label": State(view["state"]).label,
                "outcome_label": Outcome(view["outcome"]).label if view["outcome"] else "",
                "received_label": _minute(view["received_at"]),
                "replies": [{**r, "at_label": _minute(r["at"]),
                             "channel_label": REPLY_CHANNELS.get(r["channel"], r["channel"])} for r in view["replies"]],
            }
        if status != 200:
            # Keep the number, never echo a wrong code back.
            form.data = form.data.copy()
            form.data["query_code"] = ""
    elif request.method == "POST":
        status = 422
    return _render(request, "portal/track.html", context, status=status)
