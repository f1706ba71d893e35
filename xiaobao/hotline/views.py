"""Pages of the 12345 bridge: the outbox for a person exporting it to Excel (bureaus without a connector), and
the 三率 table in the statistics area. Plain function views over the same services as the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaobao.cases.errors import Invalid
from xiaobao.intake.importer import FileRefused
from xiaobao.lib.dbrouter import reads_from_replica
from xiaobao.records.audit import record
from xiaobao.stats.access import BUREAU_ROLES
from xiaobao.stats.views import requested_scope
from xiaobao.units.models import Role, Unit

from . import exports, importer
from .models import OutboxEntry
from .stats import hotline_rates, trend


def _dispatcher(request: HttpRequest) -> None:
    if not request.user.has_role(Role.DISPATCHER):
        raise PermissionDenied("只有消保股分流员可以使用该功能。")


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    last = exports.last_export()
    after = last.last_cursor if last else 0
    pending = OutboxEntry.objects.filter(pk__gt=after).count()
    latest = list(OutboxEntry.objects.order_by("-pk")[:50])
    record(actor=request.user, action="read_hotline_outbox", obj="hotline:outbox", detail={"via": "web"})
    return render(request, "hotline/outbox.html", {
        "last": last, "pending": pending, "rows": exports.outbox_rows(latest), "columns": exports.OUTBOX_COLUMNS})


@login_required
def outbox_xlsx(request: HttpRequest) -> HttpResponse:
    _dispatcher(request)
    content, export = exports.outbox_workbook(actor=request.user)
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="hotline-outbox-{export.after}-{export.last_cursor}.xlsx"'
    return response


@login_required
@reads_from_replica
def rates_page(request: HttpRequest) -> HttpResponse:
    bureau = request.user.has_role(*BUREAU_ROLES)
    choices = Unit.objects.filter(active=True).order_by("sort", "code") if bureau else None
    try:
        period, unit = requested_scope(request)
    except Invalid as e:
        return render(request, "hotline/rates.html", {"errors": e.errors, "month": request.GET.get("month", ""),
                                                      "unit_choices": choices}, status=422)
    figures = hotline_rates(period, unit, with_bureau=bureau)
    return render(request, "hotline/rates.html", {
        "figures": figures, "month": str(period), "period": period, "unit": unit, "unit_choices": choices,
        "trend": trend(period, unit),
        "chosen_unit": request.GET.get("unit", "")})


@login_required
@reads_from_replica
def rates_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        period, unit = requested_scope(request)
    except Invalid as e:
        return HttpResponse(e.message, status=422, content_type="text/plain; charset=utf-8")
    figures = hotline_rates(period, unit, with_bureau=request.user.has_role(*BUREAU_ROLES))
    record(actor=request.user, action="export_stats", obj=f"stats:hotline:{period}",
           detail={"unit": figures["unit"], "format": "xlsx", "via": "web"})
    response = HttpResponse(exports.rates_workbook(figures), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="hotline-{period}-{figures["unit"] or "bureau"}.xlsx"'
    return response


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload the hotline's work-order export; each row becomes an item as through the API."""
    _dispatcher(request)
    context: dict = {}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"], status = "请选择12345平台导出的 Excel 文件。", 422
        else:
            try:
                context["result"] = importer.import_file(actor=request.user, file_name=upload.name or "",
                                                         data=upload.read())
            except FileRefused as exc:
                context["error"], status = str(exc), 422
    return render(request, "hotline/import.html", context, status=status)
