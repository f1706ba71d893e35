"""Reads of documents: which an item has and how they are listed."""

from __future__ import annotations

from xiaobao.cases.models import Case

from .catalog import SPECS, fitting
from .models import Document


def document_view(doc: Document, user=None) -> dict:
    """A document as API v1 answers it, its deliveries as `user` may see them (the complainant's address masked
    for who may not see the person)."""
    from .delivery import deliveries_for, delivery_view

    delivered = deliveries_for(user, doc) if user is not None else [delivery_view(d) for d in doc.deliveries.all()]
    return {"id": doc.pk, "type": doc.type, "title": doc.title, "number": doc.number,
            "created_at": doc.created_at.isoformat(), "created_by": doc.created_by.username if doc.created_by else None,
            "case": doc.case_id, "delivered": delivered,
            "files": {fmt: f"/api/v1/documents/{doc.pk}/file?format={fmt}" for fmt in ("pdf", "docx")}}


def case_documents(case: Case) -> list[Document]:
    return list(case.documents.select_related("created_by").prefetch_related("deliveries__by", "deliveries__retries"))


def issuable_types(case: Case) -> list[tuple[str, str]]:
    """Types that fit the item now (for the page's "制作文书" choices)."""
    actions = set(case.events.values_list("action", flat=True))
    out = []
    for spec in SPECS.values():
        fit = fitting(spec, case, actions)
        if fit is not None:
            out.append((spec.type, fit.title or spec.title))
    return out

