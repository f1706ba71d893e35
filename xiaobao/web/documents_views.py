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
from xiaobao.documents import delivery, services
from xiaobao.documents.catalog import SPECS
from xiaobao.documents.models import ELECTRONIC, Delivery, DeliveryChannel, DeliveryStatus
from xiaobao.documents.rendering import CONTENT_TYPES
from xiaobao.documents.selectors import case_documents, issuable_types

from .item_page import words_for


def _visible_or_404(request: HttpRequest, case_id: int) -> Case:
    case = get_visible_case(request.user, case_id)
    if case is None:
        raise Http404("未找到该件，或您无权查看。")
    return case


def _retry_kept(document_id: int, failed) -> dict:
    """The delivery form of a document set up to deliver again what failed: the same party, another channel
    (a letter after an electronic or phone attempt, else a call), the failed delivery named."""
    other = DeliveryChannel.LETTER if failed.channel != DeliveryChannel.LETTER else DeliveryChannel.PHONE
    return {"document": document_id, "recipient": failed.recipient, "channel": other, "retry_of": failed.pk,
            "retry": True}


def _panel(request: HttpRequest, case: Case, *, error: str = "", status: int = 200,
           kept: dict | None = None) -> HttpResponse:
    """The panel; after a refusal, `kept` holds what was submitted so the form shows it again."""
    may = services.may_issue(request.user, case)
    kept = kept or {}
    # In the kind's own words (咨询人, 举报人, 投诉人; item_page.WORDS), like the rest of the item page.
    words = words_for(case)
    labels = {"complainant": words["person"], "respondent": words["respondent"]}
    documents = []
    for d in case_documents(case):
        views = delivery.deliveries_for(request.user, d)
        followed = {v["retry_of"] for v in views if v["retry_of"]}
        for v in views:
            v["followed"] = v["id"] in followed
            v["sent_local"] = v["sent_at"][:16].replace("T", " ") if v["sent_at"] else ""
            v["delivered_local"] = v["delivered_at"][:16].replace("T", " ") if v["delivered_at"] else ""
        documents.append({"doc": d, "deliveries": views,
                          "recipients": [(r, labels[r]) for r in sorted(SPECS[d.type].recipients)]})
    if not kept and may and (retry := request.GET.get("retry", "")).isdigit():
        failed = Delivery.objects.filter(pk=int(retry), document__case=case, status=DeliveryStatus.FAILED).first()
        if failed is not None:
            kept = _retry_kept(failed.document_id, failed)
    parties = [{"recipient": r, "label": labels[r],
                "consent": delivery.consent_view(p, shown=delivery.address_visible(request.user, case, r)),
                "editable": may and delivery.address_visible(request.user, case, r)}
               for r, p in (("complainant", case.complainant), ("respondent", case.respondent))
               if p is not None and not (r == "complainant" and p.anonymous)]
    context = {"case": case, "documents": documents, "may_issue": may, "error": error,
               "issuable": issuable_types(case) if may else [], "channels": DeliveryChannel.choices, "kept": kept,
               "parties": parties, "electronic": sorted(ELECTRONIC)}
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


def _refused(request: HttpRequest, case: Case, e: Refused, kept: dict) -> HttpResponse:
    return _panel(request, case, error=e.message, status=422 if isinstance(e, Invalid) else e.status, kept=kept)


DELIVERY_FIELDS = ("channel", "recipient", "address", "proof", "succeeded", "note", "delivered_at", "retry_of")


@login_required
@require_POST
def document_deliver(request: HttpRequest, document_id: int) -> HttpResponse:
    document = services.visible_document(request.user, document_id)
    if document is None:
        raise Http404("未找到该文书，或您无权查看。")
    body = {k: request.POST.get(k, "") for k in DELIVERY_FIELDS}
    try:
        done = delivery.deliver_document(actor=request.user, document_id=document.pk, body=body)
    except NotFound as e:
        raise Http404(e.message) from e
    except Refused as e:
        return _refused(request, document.case, e, {"document": document.pk, **body,
                                                    "retry": bool(body["retry_of"])})
    word = {"succeeded": "已送达", "failed": "未送达", "pending": "已寄出，待确认签收"}[done.status]
    messages.success(request, f"{document.number} 以{done.get_channel_display()}送达{done.get_recipient_display()}：{word}")
    return _after_change(request, document.case)


@login_required
@require_POST
def delivery_outcome(request: HttpRequest, delivery_id: int) -> HttpResponse:
    found = Delivery.objects.select_related("document").filter(pk=delivery_id).first()
    if found is None or services.visible_document(request.user, found.document_id) is None:
        raise Http404("未找到该送达记录，或您无权查看。")
    case = found.document.case
    body = {k: request.POST.get(k, "") for k in ("succeeded", "proof", "delivered_at")}
    try:
        done = delivery.record_outcome(actor=request.user, delivery_id=found.pk, body=body)
    except NotFound as e:
        raise Http404(e.message) from e
    except Refused as e:
        return _refused(request, case, e, {"delivery": found.pk, **{f"outcome_{k}": v for k, v in body.items()}})
    messages.success(request, f"已记录送达结果：{found.document.number} {done.get_status_display()}")
    return _after_change(request, case)


@login_required
@require_POST
def delivery_address(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_or_404(request, case_id)
    body = {k: request.POST.get(k, "") for k in ("recipient", "e_delivery_phone", "e_delivery_email")}
    body["e_delivery_consent"] = request.POST.get("e_delivery_consent") == "on"
    try:
        delivery.confirm_address(actor=request.user, case_id=case.pk, body=body)
    except NotFound as e:
        raise Http404(e.message) from e
    except Refused as e:
        return _refused(request, case, e, {"consent": body["recipient"] or True,
                                           **{f"consent_{k}": v for k, v in body.items()}})
    messages.success(request, "已记录送达地址确认。")
    case = _visible_or_404(request, case_id)
    return _after_change(request, case)
