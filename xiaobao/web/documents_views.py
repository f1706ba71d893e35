"""Pages for an item's documents: the panel on the item's page, issuing, downloading, recording delivery.
Every change goes through xiaobao.documents.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from xiaobao.cases.errors import Invalid, NotFound, Refused
from xiaobao.cases.models import Case
from xiaobao.cases.selectors import get_visible_case
from xiaobao.documents import services
from xiaobao.documents.catalog import SPECS
from xiaobao.documents.models import DeliveryChannel, Recipient
from xiaobao.documents.rendering import CONTENT_TYPES
from xiaobao.documents.selectors import case_documents, issuable_types


def _visible_or_404(request: HttpRequest, case_id: int) -> Case:
    case = get_visible_case(request.user, case_id)
    if case is None:
        raise Http404("未找到该件，或您无权查看。")
    return case


def _panel(request: HttpRequest, case: Case, *, error: str = "", status: int = 200,
           kept: dict | None = None) -> HttpResponse:
    """The panel; after a refusal, `kept` holds what was submitted so the form shows it again."""
    may = services.may_issue(request.user, case)
    documents = [{"doc": d, "recipients": [(r, Recipient(r).label) for r in sorted(SPECS[d.type].recipients)]}
                 for d in case_documents(case)]
    context = {"case": case, "documents": documents, "may_issue": may, "error": error,
               "issuable": issuable_types(case) if may else [], "channels": DeliveryChannel.choices, "kept": kept or {}}
    template = "web/documents/_panel.html" if request.htmx else "web/documents/page.html"
    return render(request, template, context, status=status)


def _after_change(request: HttpRequest, case: Case) -> HttpResponse:
    return _panel(request, case) if request.htmx else redirect("web:case_documents", case.pk)


@login_required
def case_documents_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_or_404(request, case_id)
    if request.method != "POST":
        return _panel(request, case)
    try:
        document = services.issue_document(actor=request.user, case_id=case.pk,
                                           doc_type=request.POST.get("type", ""))
    except NotFound as e:
        raise Http404(e.message) from e
    except Refused as e:
        return _panel(request, case, error=e.message, status=422 if isinstance(e, Invalid) else e.status,
                      kept={"type": request.POST.get("type", "")})
    messages.success(request, f"已制作{document.title}：{document.number}")
    return _after_change(request, case)


@login_required
def document_file(request: HttpRequest, document_id: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("没有这种文件格式。")
    try:
        document, data = services.download(actor=request.user, document_id=document_id, fmt=fmt)
    except NotFound as e:
        raise Http404(e.message) from e
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{document.title}-{document.number}.{fmt}")
    return response


@login_required
def document_preview(request: HttpRequest, case_id: int) -> HttpResponse:
    """The document as it would be issued, opened beside the page; no number is used up."""
    case = _visible_or_404(request, case_id)
    try:
        title, data = services.preview_document(actor=request.user, case_id=case.pk,
                                                doc_type=request.GET.get("type", ""), fmt="pdf")
    except NotFound as e:
        raise Http404(e.message) from e
    except Refused as e:
        return _panel(request, case, error=e.message, status=e.status)
    response = HttpResponse(data, content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = content_disposition_header(False, f"{title}-预览.pdf")
    return response


@login_required
@require_POST
def document_deliver(request: HttpRequest, document_id: int) -> HttpResponse:
    document = services.visible_document(request.user, document_id)
    if document is None:
        raise Http404("未找到该文书，或您无权查看。")
    body = {k: request.POST.get(k, "") for k in ("channel", "recipient", "note", "delivered_at")}
    try:
        delivery = services.deliver_document(actor=request.user, document_id=document.pk, body=body)
    except NotFound as e:
        raise Http404(e.message) from e
    except Refused as e:
        return _panel(request, document.case, error=e.message, status=422 if isinstance(e, Invalid) else e.status,
                      kept={"document": document.pk, **body})
    messages.success(request, f"已记录送达：{document.number} → {delivery.get_recipient_display()}")
    return _after_change(request, document.case)
