"""The ODR business's own pages under /business/ (DOMAIN.md "Settling first"): the complaints forwarded to it and
still with it; each with the consumer's name and phone, the facts, the demand and the due date, its contact log
and the form of its answer. It reaches nothing else: another business's item, an item that has left it, any
other page of this app → 404. Every read of the consumer's data is audited. Forms post through htmx and show
their errors in place (422), keeping what was typed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from xiaobao.cases.errors import Invalid, NotFound, Refused

from . import settling
from .models import Business, Forwarding

TEXTAREA = forms.Textarea(attrs={"rows": 3})
METHODS = [("", "—"), ("电话", "电话"), ("短信", "短信"), ("面谈", "面谈"), ("网络", "网络（在线沟通）"), ("其他", "其他")]


class ContactForm(forms.Form):
    at = forms.DateTimeField(label="联系时间", required=False, help_text="留空即为现在",
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    method = forms.ChoiceField(label="联系方式", choices=METHODS, required=False)
    process = forms.CharField(label="联系过程", required=False, widget=TEXTAREA)
    offer = forms.CharField(label="企业提出的方案", required=False, widget=TEXTAREA)


class AnswerForm(forms.Form):
    result = forms.ChoiceField(label="和解结果", required=False, widget=forms.RadioSelect,
                               choices=[("settled", "和解成功"), ("not_settled", "和解不成")])
    detail = forms.CharField(label="处理情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.CharField(label="和解金额（元）", required=False, help_text="和解成功时填写，无金额的填 0")


def _business(request: HttpRequest) -> Business:
    business = settling.business_of(request.user)
    if business is None:
        raise Http404("仅限ODR企业账号使用。")
    return business


def _forwarding(request: HttpRequest, case_id: int) -> Forwarding:
    forwarding = settling.forwarding_for(_business(request), case_id)
    if forwarding is None:
        raise Http404("未找到该件，或您无权查看。")
    return forwarding


def _errors_into(form: forms.Form, errors: list[dict]) -> None:
    for err in errors:
        form.add_error(err["field"] if err["field"] in form.fields else None, err["message"])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    business = _business(request)
    rows = list(settling.inbox(business)[:500])
    settling.audit_read(request.user, rows, via="web", listing=True)
    today = timezone.localdate()
    return render(request, "odr/business/home.html", {"business": business, "rows": rows, "today": today})


def _item_context(request: HttpRequest, forwarding: Forwarding, **forms_: forms.Form) -> dict:
    return {"business": forwarding.business, "f": forwarding, "case": forwarding.case,
            "person": forwarding.case.complainant, "contacts": list(forwarding.contacts.all()),
            "contact_form": forms_.get("contact_form") or ContactForm(auto_id="contact-%s"),
            "answer_form": forms_.get("answer_form") or AnswerForm(auto_id="answer-%s")}


@login_required
def item(request: HttpRequest, case_id: int) -> HttpResponse:
    forwarding = _forwarding(request, case_id)
    settling.audit_read(request.user, [forwarding], via="web")
    return render(request, "odr/business/item.html", _item_context(request, forwarding))


@login_required
@require_POST
def contact(request: HttpRequest, case_id: int) -> HttpResponse:
    forwarding = _forwarding(request, case_id)
    form = ContactForm(data=request.POST, auto_id="contact-%s")
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        at = data["at"] or timezone.now()
        body = {"at": at.isoformat(), "method": data["method"], "process": data["process"], "offer": data["offer"]}
        try:
            forwarding = settling.add_contact(actor=request.user, case_id=case_id, body=body)
        except Invalid as e:
            _errors_into(form, e.errors)
        except NotFound as e:
            raise Http404(e.message) from None
        else:
            if not request.htmx:
                messages.success(request, "联系记录已保存。")
            form = None
    if form is not None and form.errors:
        status = 422
    context = _item_context(request, forwarding, **({"contact_form": form} if form is not None else {}))
    if request.htmx:
        return render(request, "odr/business/_contacts.html", context, status=status)
    if status == 200:
        return redirect(reverse("odr_business:item", args=[case_id]))
    return render(request, "odr/business/item.html", context, status=status)


@login_required
@require_POST
def answer(request: HttpRequest, case_id: int) -> HttpResponse:
    forwarding = _forwarding(request, case_id)
    form = AnswerForm(data=request.POST, auto_id="answer-%s")
    error, status = "", 200
    if form.is_valid():
        body = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            _case, answered = settling.answer_as_business(actor=request.user, case_id=case_id, body=body)
        except Invalid as e:
            _errors_into(form, e.errors)
        except NotFound as e:
            raise Http404(e.message) from None
        except Refused as e:
            error, status = e.message, e.status
        else:
            label = "和解成功，本件以先行和解办结" if answered.state == "settled" else "和解不成，已退回市场监管部门按正常程序处理"
            messages.success(request, f"已答复 {answered.case.number}：{label}。")
            target = reverse("odr_business:home")
            return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    if form.errors and status == 200:
        status = 422
    context = {**_item_context(request, forwarding, answer_form=form), "answer_error": error}
    template = "odr/business/_answer.html" if request.htmx else "odr/business/item.html"
    return render(request, template, context, status=status)
