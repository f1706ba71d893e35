"""The monthly statistics page and its Excel download, for the same users as the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.cases.models import Channel, Kind, Outcome, State
from xiaobao.clocks.models import ClockName
from xiaobao.lib import timeutil
from xiaobao.lib.dbrouter import reads_from_replica
from xiaobao.records.audit import record
from xiaobao.units.models import Unit

from .access import BUREAU_ROLES, default_unit_code, may_see_statistics, statistics_scope
from .excel import workbook
from .exports import filename, xlsx_response
from .periods import Month, parse_month
from .queries import TABLE_KINDS, category_names, monthly_figures, received_by_kind_series
from .report import report_pdf
from .submissions import typical_cases_for


def requested_scope(request: HttpRequest) -> tuple[Month, Unit | None]:
    """The month and unit asked for; the current month and the user's default scope when not given."""
    if not may_see_statistics(request.user):
        raise PermissionDenied("您的角色不能查看统计数据。")
    month = request.GET.get("month") or str(Month.containing(timeutil.today()))
    unit_code = request.GET.get("unit", default_unit_code(request.user))
    period = parse_month(month)
    try:
        return period, statistics_scope(request.user, unit_code or None)
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e


def _labelled(values: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, Any]]:
    return [(labels.get(k, k), v) for k, v in values.items()]


@login_required
@reads_from_replica
def monthly(request: HttpRequest) -> HttpResponse:
    try:
        period, unit = requested_scope(request)
    except Invalid as e:
        context = {"errors": e.errors, "month": request.GET.get("month", ""), **_unit_choices(request)}
        return render(request, "stats/monthly.html", context, status=422)
    figures = monthly_figures(period, unit)
    units = {u.code: u.short_name or u.name for u in Unit.objects.all()}
    series = received_by_kind_series(period, unit)
    kinds = dict(Kind.choices)
    chart_rows = [(m, [series["series"][k][i] for k in Kind.values]) for i, m in enumerate(series["months"])]
    context = {
        "figures": figures,
        "month": str(period),
        "period": period,
        "unit": unit,
        "by_kind": _labelled(figures["received"]["by_kind"], kinds),
        "by_channel": _labelled(figures["received"]["by_channel"], dict(Channel.choices)),
        "by_category": _labelled(figures["received"]["by_category"], category_names()),
        "by_outcome": _labelled(figures["concluded"]["by_outcome"], dict(Outcome.choices)),
        "open_by_state": _labelled(figures["open_at_month_end"]["by_state"], dict(State.choices)),
        "on_time": _labelled(figures["on_time"], dict(ClockName.choices)),
        "returns": _labelled(figures["returns_by_unit"], units),
        "follow_up_rows": [(units.get(code, code), row)
                           for code, row in figures["follow_up_results"]["by_unit"].items()],
        "kind_labels": [kinds[k] for k in Kind.values],
        "outcome_labels": [label for _, label in Outcome.choices],
        "chart": {"months": series["months"], "series": [
            {"name": kinds[k], "data": series["series"][k]} for k in Kind.values]},
        "chart_rows": chart_rows,
        **_unit_choices(request),
    }
    return render(request, "stats/monthly.html", context)


def _unit_choices(request: HttpRequest) -> dict[str, Any]:
    if not request.user.has_role(*BUREAU_ROLES):
        return {"unit_choices": None}
    return {"unit_choices": Unit.objects.filter(kind__in=TABLE_KINDS, active=True).order_by("sort", "code"),
            "chosen_unit": request.GET.get("unit", "")}


@login_required
@reads_from_replica
def monthly_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        period, unit = requested_scope(request)
    except Invalid as e:
        return HttpResponse(e.message, status=422, content_type="text/plain; charset=utf-8")
    figures = monthly_figures(period, unit)
    record(actor=request.user, action="export_stats", obj=f"stats:{period}",
           detail={"unit": figures["unit"], "format": "xlsx", "via": "web"})
    return xlsx_response(workbook(figures, typical_cases_for(period, unit)), figures)


@login_required
@reads_from_replica
def monthly_pdf(request: HttpRequest) -> HttpResponse:
    """The monthly report as a PDF: the figures, the rates and the units' typical cases."""
    try:
        period, unit = requested_scope(request)
    except Invalid as e:
        return HttpResponse(e.message, status=422, content_type="text/plain; charset=utf-8")
    figures = monthly_figures(period, unit)
    record(actor=request.user, action="export_stats", obj=f"stats:{period}",
           detail={"unit": figures["unit"], "format": "pdf", "via": "web"})
    content = report_pdf(figures, period=period, unit=unit)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(figures)[:-5]}.pdf"'
    return response
