"""The register's pages for 消保股 (issue 22, point 1): the list with each business's state, the form that adds a
business (errors in place, nothing typed lost) and shows its first password once, and a business's page with the
forms that suspend, remove or reinstate it with a reason. Others are refused (403), as on the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotFound, Refused

from . import registry
from .forms import BusinessForm, ReasonForm
from .models import CONDITIONS


def _dispatcher(request: HttpRequest) -> None:
    if not registry.may_manage(request.user):
        raise PermissionDenied(registry.NOT_PERMITTED)


@login_required
def register_page(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    rows = [registry.view(b) for b in registry.businesses(actor=request.user)]
    return render(request, "odr/register.html", {"rows": rows})


def _form_panel(request: HttpRequest, form: BusinessForm, *, status: int = 200) -> HttpResponse:
    template = "odr/_business_form.html" if request.htmx else "odr/new.html"
    return render(request, template, {"form": form}, status=status)


@login_required
def new_business(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    if request.method != "POST":
        return _form_panel(request, BusinessForm())
    form = BusinessForm(request.POST)
    if not form.is_valid():
        return _form_panel(request, form, status=422)
    try:
        business, password = registry.register(actor=request.user, data=form.to_data())
    except Invalid as e:
        for err in e.errors:
            form.add_error(form.field_for(err["field"]), err["message"])
        return _form_panel(request, form, status=422)
    # The first password is in this answer only: it is neither stored nor shown again.
    context = {"business": registry.view(business), "password": password}
    template = "odr/_created.html" if request.htmx else "odr/created.html"
    response = render(request, template, context, status=201 if request.htmx else 200)
    response["Cache-Control"] = "no-store"
    return response


def _business(request: HttpRequest, business_id: int, *, audit: bool = True):
    try:
        return registry.get(actor=request.user, business_id=business_id, audit=audit)
    except NotFound as e:
        raise Http404(e.message) from e


def _state_panel(request: HttpRequest, business, *, failed: str = "", form: ReasonForm | None = None,
                 error: str = "", status: int = 200) -> HttpResponse:
    forms = []
    for action, (sources, _target, label) in registry.STATE_ACTIONS.items():
        if business.state in sources:
            f = form if action == failed and form is not None else ReasonForm(prefix=action)
            forms.append({"action": action, "label": label, "form": f, "error": error if action == failed else ""})
    # A refusal of a form still offered is shown in it; otherwise (the state moved meanwhile) at the top.
    shown = any(f["action"] == failed for f in forms)
    context = {"b": registry.view(business), "forms": forms, "error": "" if shown else error,
               "conditions": [(label, business.conditions.get(key) is True) for key, label in CONDITIONS.items()]}
    template = "odr/_state.html" if request.htmx else "odr/business.html"
    return render(request, template, context, status=status)


@login_required
def business_page(request: HttpRequest, business_id: int) -> HttpResponse:
    _dispatcher(request)
    return _state_panel(request, _business(request, business_id))


@login_required
@require_POST
def change_state(request: HttpRequest, business_id: int, action: str) -> HttpResponse:
    _dispatcher(request)
    if action not in registry.STATE_ACTIONS:
        raise Http404("没有这个操作。")
    form = ReasonForm(request.POST, prefix=action)
    form.is_valid()
    try:
        registry.change_state(actor=request.user, business_id=business_id, action=action,
                              reason=form.cleaned_data.get("reason", ""))
    except NotFound as e:
        raise Http404(e.message) from e
    except Invalid as e:
        for err in e.errors:
            form.add_error("reason" if err["field"] == "reason" else None, err["message"])
        return _state_panel(request, _business(request, business_id, audit=False), failed=action, form=form,
                            status=422)
    except Refused as e:
        return _state_panel(request, _business(request, business_id, audit=False), failed=action, form=form,
                            error=e.message, status=e.status)
    business = _business(request, business_id)
    return _state_panel(request, business) if request.htmx else redirect("odr:business", business.pk)
