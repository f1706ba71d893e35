"""The 12315 results download of the import page (rules 一.3(1): results entered back on the platform)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from xiaobao.cases.errors import Invalid
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.stats.periods import Month, parse_month
from xiaobao.units.models import Role

from .results import XLSX, results_workbook


@login_required
@require_GET
def results_12315(request: HttpRequest) -> HttpResponse:
    """The month's results of the 12315 items, in the columns the platform takes back (docs/12315-import.md)."""
    if not request.user.has_role(Role.DISPATCHER):
        raise PermissionDenied("只有消保股分流员可以导出12315办理结果。")
    try:
        period = parse_month(request.GET.get("month") or str(Month.containing(timeutil.today())))
    except Invalid as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    content, count = results_workbook(period)
    record(actor=request.user, action="export_12315_results", obj=f"intake:12315:{period}",
           detail={"month": str(period), "rows": count, "via": "web"})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="12315-results-{period}.xlsx"'
    return response
