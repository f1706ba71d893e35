"""The workspace panel on an item's page (loaded by htmx), and uploading a 处罚决定书 from it."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiaobao.cases import services as cs
from xiaobao.cases.errors import Invalid, NotFound, Refused
from xiaobao.cases.models import Case
from xiaobao.cases.selectors import get_visible_case
from xiaobao.intake import services as intake

from .selectors import workspace
from .services import PDF_MAGIC


def _visible_or_404(request: HttpRequest, case_id: int) -> Case:
    case = get_visible_case(request.user, case_id)
    if case is None:
        raise Http404("未找到该件，或您无权查看。")
    return case


def _panel(request: HttpRequest, case: Case, *, error: str = "", status: int = 200) -> HttpResponse:
    actions = {t.action for t in cs.available_actions(request.user, case)}
    # After a refusal the form shows the 文号 typed again (a file input cannot be refilled).
    context = {"case": case, "w": workspace(request.user, case), "error": error,
               "number": request.POST.get("number", "") if error else "",
               "may_upload": "upload_penalty_decision" in actions and case.outcome == "filed"}
    template = "mediation/_workspace.html" if request.htmx else "mediation/page.html"
    return render(request, template, context, status=status)


@login_required
def case_workspace(request: HttpRequest, case_id: int) -> HttpResponse:
    return _panel(request, _visible_or_404(request, case_id))


@login_required
@require_POST
def upload_penalty_decision(request: HttpRequest, case_id: int) -> HttpResponse:
    """One step for the page: keep the PDF as an attachment of the item and report it as the decision."""
    case = _visible_or_404(request, case_id)
    upload = request.FILES.get("file")
    if upload is None or upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
        return _panel(request, case, error="处罚决定书应为 PDF 文件。", status=422)
    upload.seek(0)
    attachment = None
    try:
        with transaction.atomic():
            attachment = intake.attach_file(actor=request.user, case_id=case.pk, upload=upload, name=upload.name)
            cs.perform(actor=request.user, case_id=case.pk, action="upload_penalty_decision",
                       body={"attachment": attachment.pk, "number": request.POST.get("number", "")})
    except NotFound as e:
        raise Http404(e.message) from e
    except Refused as e:
        if attachment is not None:
            Path(attachment.full_path).unlink(missing_ok=True)
        return _panel(request, case, error=e.message, status=422 if isinstance(e, Invalid) else e.status)
    messages.success(request, f"已上报处罚决定书：{case.number}")
    return _panel(request, case) if request.htmx else redirect("web:case", case.pk)
