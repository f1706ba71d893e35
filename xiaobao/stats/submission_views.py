"""A unit reviews and submits its month (rules 一.3(3), 二.6); 消保股 sees who has submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.cases.models import Kind, Outcome
from xiaobao.lib import timeutil
from xiaobao.units.models import Unit

from .access import BUREAU_ROLES
from .models import MonthlySubmission
from .periods import Month, parse_month
from .queries import HANDLING_KINDS, monthly_figures
from .submissions import concluded_in_month, current_submissions, latest, may_submit, submit_month


def _month(request: HttpRequest, default: Month) -> Month:
    try:
        return parse_month(request.GET.get("month") or str(default))
    except Invalid as e:
        raise Http404(e.message) from e


@login_required
def submission(request: HttpRequest) -> HttpResponse:
    """The unit's draft: its figures as they stand, its concluded items to pick from, and the submit form."""
    # Units report the month just ended (rules 二.6), so that is what the page opens on.
    month = _month(request, Month.containing(timeutil.today()).previous())
    unit = Unit.objects.filter(code=request.GET.get("unit") or getattr(request.user.unit, "code", "")).first()
    if unit is None or not may_submit(request.user, unit):
        raise PermissionDenied("只有本单位的承办人或负责人可以查看和上报本单位的月度数据。")
    items = list(concluded_in_month(month, unit))
    previous = latest(month, unit)
    picked = {t.case_id: t.write_up for t in previous.typical_cases.all()} if previous else {}
    errors: list[dict] = []
    note = previous.note if previous else ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        chosen = [int(v) for v in request.POST.getlist("typical") if v.isdigit()]
        picked = {c: request.POST.get(f"write_up_{c}", "") for c in chosen}
        try:
            done = submit_month(actor=request.user, unit=unit, month=month, note=note, typical=list(picked.items()))
        except (Invalid, NotPermitted) as e:
            errors = getattr(e, "errors", [{"message": e.message}])
        else:
            messages.success(request, f"{month.label}月度数据已上报（第{done.version}版）。")
            return redirect(f"{reverse('stats:submission')}?month={month}&unit={unit.code}")
    return render(request, "stats/submission.html", {
        "month": str(month), "period": month, "unit": unit, "figures": monthly_figures(month, unit),
        "items": [(c, c.pk in picked, picked.get(c.pk, "")) for c in items], "note": note,
        "previous": previous, "errors": errors, "kinds": dict(Kind.choices), "outcomes": dict(Outcome.choices),
        "history": MonthlySubmission.objects.filter(unit=unit, month=str(month)).select_related("submitted_by"),
    }, status=422 if errors else 200)


@login_required
def submissions(request: HttpRequest) -> HttpResponse:
    """Which units have submitted the month (消保股 and the leadership)."""
    if not request.user.has_role(*BUREAU_ROLES):
        raise PermissionDenied("月度上报汇总只对消保股、局领导和审计员开放。")
    month = _month(request, Month.containing(timeutil.today()).previous())
    submitted = {s.unit_id: s for s in current_submissions(month)}
    units = Unit.objects.filter(kind__in=HANDLING_KINDS, active=True).order_by("sort", "code")
    return render(request, "stats/submissions.html", {
        "month": str(month), "period": month, "rows": [(u, submitted.get(u.pk)) for u in units],
        "submitted": len(submitted)})


@login_required
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    found = get_object_or_404(MonthlySubmission.objects.select_related("unit", "submitted_by"), pk=submission_id)
    if not (request.user.has_role(*BUREAU_ROLES) or may_submit(request.user, found.unit)):
        # Another unit's submission does not exist as far as this user is concerned.
        raise Http404("没有这份上报。")
    return render(request, "stats/submission_detail.html", {
        "s": found, "typical": found.typical_cases.select_related("case"),
        "versions": MonthlySubmission.objects.filter(unit=found.unit, month=found.month).order_by("-version"),
        "kinds": dict(Kind.choices), "outcomes": dict(Outcome.choices)})
