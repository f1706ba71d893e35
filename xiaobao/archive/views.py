"""The archivist's page: concluded items waiting to be archived, and the archive with its numbers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotFound, Refused
from xiaobao.cases.models import State
from xiaobao.cases.selectors import visible_cases
from xiaobao.units.models import Role

from . import classification as classes
from . import services
from .casefile import export_case_file
from .models import ArchiveRecord, Retention

# Rows a page of each list; every concluded item is reachable, however long the backlog.
PAGE_SIZE = 50


def _archivist(request: HttpRequest) -> None:
    if not request.user.has_role(Role.ARCHIVIST):
        raise PermissionDenied("只有档案管理员可以归档。")


@login_required
def archive_page(request: HttpRequest, errors: dict | None = None, status: int = 200) -> HttpResponse:
    _archivist(request)
    retentions = list(Retention.objects.all())
    waiting = []
    # The same items as the 待归档 section of the archivist's inbox (cases.selectors.inbox_sections).
    concluded = visible_cases(request.user).filter(state=State.CONCLUDED).select_related("unit")
    waiting_page = Paginator(concluded.order_by("concluded_at", "id"), PAGE_SIZE).get_page(request.GET.get("wpage"))
    for case in waiting_page.object_list:
        default = services.default_retention(case.kind)
        row = {
            "case": case, "suggested": classes.suggested(case),
            "classes": [(c, lb) for c, lb in classes.classes() if classes.fits(case, c)],
            "retention": default.code if default else "", "errors": (errors or {}).get(case.pk, []), "location": "",
        }
        if row["errors"]:  # the refused row shows again what was chosen and typed
            row.update(suggested=request.POST.get("classification", ""), retention=request.POST.get("retention", ""),
                       location=request.POST.get("location", ""))
        waiting.append(row)
    archived = ArchiveRecord.objects.select_related("case", "retention", "archived_by").filter(
        case__in=visible_cases(request.user))
    page = Paginator(archived, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "archive/index.html", {"waiting": waiting, "waiting_page": waiting_page, "page": page,
                                                  "retentions": retentions}, status=status)


@login_required
@require_POST
def archive_case(request: HttpRequest, case_id: int) -> HttpResponse:
    _archivist(request)
    try:
        entry = services.archive_item(actor=request.user, case_id=case_id,
                                      classification=request.POST.get("classification", ""),
                                      retention=request.POST.get("retention", ""),
                                      location=request.POST.get("location", ""), note=request.POST.get("note", ""))
    except NotFound as e:
        raise Http404(e.message) from e
    except Invalid as e:
        return archive_page(request, errors={case_id: [err["message"] for err in e.errors]}, status=422)
    except Refused as e:
        messages.error(request, e.message)
        return redirect("archive:index")
    messages.success(request, f"已归档：{entry.case.number}，档号 {entry.number}")
    return redirect("archive:index")


@login_required
def case_file(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case, data = export_case_file(actor=request.user, case_id=case_id)
    except NotFound as e:
        raise Http404(e.message) from e
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"案卷-{case.number}.pdf")
    return response
