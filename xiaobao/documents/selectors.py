"""Reads of documents: which an item has and how they are listed."""

from __future__ import annotations

from xiaobao.cases.models import Case

from .catalog import SPECS, fitting
from .models import Delivery, Document


def delivery_view(d: Delivery) -> dict:
    return {"id": d.pk, "channel": d.channel, "channel_label": d.get_channel_display(), "recipient": d.recipient,
            "recipient_label": d.get_recipient_display(), "delivered_at": d.delivered_at.isoformat(),
            "by": d.by.username if d.by else None, "note": d.note}


def document_view(doc: Document) -> dict:
    return {"id": doc.pk, "type": doc.type, "title": doc.title, "number": doc.number,
            "created_at": doc.created_at.isoformat(), "created_by": doc.created_by.username if doc.created_by else None,
            "case": doc.case_id,
            "delivered": [delivery_view(d) for d in doc.deliveries.all()],
            "files": {fmt: f"/api/v1/documents/{doc.pk}/file?format={fmt}" for fmt in ("pdf", "docx")}}


def case_documents(case: Case) -> list[Document]:
    return list(case.documents.select_related("created_by").prefetch_related("deliveries__by"))


def issuable_types(case: Case) -> list[tuple[str, str]]:
    """Types that fit the item now (for the page's "制作文书" choices)."""
    actions = set(case.events.values_list("action", flat=True))
    out = []
    for spec in SPECS.values():
        fit = fitting(spec, case, actions)
        if fit is not None:
            out.append((spec.type, fit.title or spec.title))
    return out

