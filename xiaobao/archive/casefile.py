"""The whole case file of an item as one PDF (DOMAIN.md "archive"): cover, registration, parties, documents,
timeline and attachments, with each document's own pages appended."""

from __future__ import annotations

import io
import logging

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from xiaobao.cases.errors import NotFound
from xiaobao.cases.models import Case, State
from xiaobao.cases.present import clock_views, event_views
from xiaobao.cases.selectors import MASK, get_visible_case, party_view, respondent_view, sees_identity
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Staff

from . import classification as classes
from .models import ArchiveRecord

log = logging.getLogger(__name__)
STATE_LABELS = dict(State.choices)


def _scrub(text: str, hidden: list[str]) -> str:
    for s in hidden:
        text = text.replace(s, MASK)
    return text


def _timeline(case: Case, masked: bool) -> list[dict]:
    events = event_views(case)
    for e in events:
        e["from_label"] = STATE_LABELS.get(e["from"] or "", "")
        e["to_label"] = STATE_LABELS.get(e["to"] or "", "")
    person = case.complainant
    if not masked:
        return events
    # Free-text notes may quote the person (a contact record, a reply) or their agent, who leads to them; a
    # masked reader must not read them there.
    said = (person.name, person.phone, person.id_number, person.address) if person else ()
    hidden = [s.strip() for s in (*said, case.agent_name, case.agent_phone) if s and s.strip()]
    if not hidden:
        return events
    hidden.sort(key=len, reverse=True)
    for e in events:
        e["note"] = _scrub(e["note"] or "", hidden)
    return events


def _attachments(case: Case) -> list[dict]:
    """Files attached at intake, if the intake app (with its Attachment model) is installed."""
    if not apps.is_installed("xiaobao.intake"):
        return []
    try:
        model = apps.get_model("intake", "Attachment")
    except LookupError:
        return []
    if not any(f.name == "case" for f in model._meta.get_fields()):
        return []
    out = []
    for a in model.objects.filter(case=case).order_by("pk"):
        stored = getattr(a, "file", None)
        name = getattr(a, "name", "") or getattr(a, "filename", "") or (stored.name.rsplit("/", 1)[-1] if stored
                                                                        else "")
        size = getattr(a, "size", None)
        if size is None and stored:
            try:
                size = stored.size
            except OSError:
                size = None
        out.append({"name": name or f"附件 {a.pk}", "size": size, "sha256": getattr(a, "sha256", "") or ""})
    return out


def _documents(case: Case, identity_visible: bool) -> list[dict]:
    """Each document as it was served (issue 18, point 4): a notice addressed to a complainant by name keeps
    that name in the file, as on the copy delivered; what a document prints in full (the registration form)
    stays masked for a reader who may not see the person."""
    from xiaobao.documents import content, rendering
    from xiaobao.documents.catalog import SPECS

    out = []
    for doc in case.documents.select_related("created_by").order_by("created_at", "id"):
        pdf, shown = None, False
        spec = SPECS.get(doc.type)
        if spec is not None:
            try:
                context, shown = content.for_reader(spec, doc.data,
                                                    identity_visible=identity_visible or spec.identity == "name")
                pdf = rendering.render_pdf(context)
            except Exception:
                # One unreadable document must not keep the rest of the file from the archive; it is listed
                # and marked as not appended.
                log.exception("document %s could not be rendered into the case file", doc.pk)
        out.append({"number": doc.number, "title": doc.title, "created_at": timezone.localtime(doc.created_at),
                    "created_by": str(doc.created_by) if doc.created_by else "", "pdf": pdf, "personal": shown})
    return out


def _category_name(code: str) -> str:
    from xiaobao.rules.models import Category

    return Category.objects.filter(code=code).values_list("name", flat=True).first() or code if code else ""


def context_for(reader: Staff, case: Case) -> dict:
    identity_visible = sees_identity(reader, case)
    entry = ArchiveRecord.objects.select_related("retention", "archived_by").filter(case=case).first()
    documents = _documents(case, identity_visible)
    return {
        "bureau_name": settings.XIAOBAO_BUREAU_NAME,
        "case": case,
        "record": entry,
        "classification": classes.label(entry.classification) if entry else classes.label(classes.suggested(case)),
        "category": _category_name(case.category),
        "complainant": party_view(case.complainant, masked=not identity_visible),
        "identity_visible": identity_visible,
        "respondent": respondent_view(case.respondent),
        "documents": documents,
        "clocks": clock_views(case),
        "events": _timeline(case, masked=not identity_visible),
        "attachments": _attachments(case),
        "printed_at": timezone.localtime(timeutil.now()),
        "printed_by": reader,
    }


def render_case_file(context: dict) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    main = HTML(string=render_to_string("archive/case_file.html", context)).write_pdf()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(main)))
    for doc in context["documents"]:
        if doc["pdf"]:
            writer.append(PdfReader(io.BytesIO(doc["pdf"])), outline_item=f"{doc['title']} {doc['number']}")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def export_case_file(*, actor: Staff, case_id: int) -> tuple[Case, bytes]:
    """The case file as this reader may see it; every export is in the audit trail."""
    case = get_visible_case(actor, case_id)
    if case is None:
        raise NotFound("未找到该件，或您无权查看。")
    context = context_for(actor, case)
    data = render_case_file(context)
    record(actor=actor, action="export_case_file", obj=f"case:{case.pk}", case_id=case.pk,
           detail={"number": case.number, "archive_number": context["record"].number if context["record"] else None,
                   "documents": len(context["documents"]),
                   "personal": context["identity_visible"] or any(d["personal"] for d in context["documents"])})
    return case, data
