"""Issuing documents (their delivery: xiaobao.documents.delivery). Each writes one timeline event and one audit row (through
xiaobao.cases.services._event) in the same transaction as the change."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.cases.models import Case, State
from xiaobao.cases.selectors import get_visible_case, sees_identity
from xiaobao.cases.services import _event, next_number
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff

from . import content, rendering
from .catalog import SPECS, fitting
from .models import Document, DocumentTemplate

STATE_LABELS = dict(State.choices)


def _lock_visible(actor: Staff, case_id: int) -> Case:
    if get_visible_case(actor, case_id) is None:
        raise NotFound("未找到该件，或您无权查看。")
    return (Case.objects.select_for_update(of=("self",))
            .select_related("rule_set", "complainant", "respondent", "unit").get(pk=case_id))


def may_issue(actor: Staff, case: Case) -> bool:
    """消保股, or the staff of the unit holding the item, issue and deliver its documents."""
    if actor.has_role(Role.DISPATCHER):
        return True
    return actor.has_role(Role.HANDLER, Role.UNIT_LEADER) and actor.unit_id is not None \
        and actor.unit_id == case.unit_id


def _check_may_issue(actor: Staff, case: Case) -> None:
    if not may_issue(actor, case):
        raise NotPermitted("只有消保股或承办单位的工作人员可以制作、送达该件的文书。")


# What a preview prints where the number will be (issue 18, point 3): no number is used up by looking.
PREVIEW_NUMBER = "（预览件，未编号，不得送达）"


def _checked_fit(actor: Staff, case: Case, doc_type: str):
    spec = SPECS.get(doc_type)
    if spec is None:
        raise Invalid([{"field": "type", "message": f"文书种类“{doc_type}”不存在（可选：{'、'.join(SPECS)}）。"}])
    _check_may_issue(actor, case)
    actions = set(case.events.values_list("action", flat=True))
    fit = fitting(spec, case, actions)
    if fit is None:
        now = STATE_LABELS[case.state] + (f"（{case.get_outcome_display()}）" if case.outcome else "")
        raise WrongState(f"该件当前为“{now}”，不能制作{spec.title}：需要{spec.needs}。", state=case.state)
    previous = case.documents.filter(type=doc_type).order_by("-id").first()
    # One number per decision: the same document is issued again only once the item has moved on
    # (e.g. the 不予立案审批表 before approval, then the written record after it).
    if previous and (previous.data.get("state"), previous.data.get("outcome")) == (case.state, case.outcome):
        raise WrongState(f"该件已制作{previous.title}（{previous.number}），不必重复制作。", state=case.state)
    return spec, fit


def preview_document(*, actor: Staff, case_id: int, doc_type: str, fmt: str = "pdf") -> tuple[str, bytes]:
    """The document as it would be issued now, without a number and without storing anything but the
    audit row of the read; the same checks as issuing it."""
    if get_visible_case(actor, case_id) is None:
        raise NotFound("未找到该件，或您无权查看。")
    case = Case.objects.select_related("rule_set", "complainant", "respondent", "unit").get(pk=case_id)
    spec, fit = _checked_fit(actor, case, doc_type)
    data = content.snapshot(spec=spec, fit=fit, case=case, number=PREVIEW_NUMBER, issued_at=timeutil.now())
    context, personal = content.for_reader(spec, data, identity_visible=sees_identity(actor, case))
    rendered = rendering.render(context, fmt)
    record(actor=actor, action="preview_document", obj=f"case:{case.pk}", case_id=case.pk,
           detail={"type": doc_type, "format": fmt, "personal": personal})
    return data["title"], rendered


@transaction.atomic
def issue_document(*, actor: Staff, case_id: int, doc_type: str) -> Document:
    if doc_type not in SPECS:
        raise Invalid([{"field": "type", "message": f"文书种类“{doc_type}”不存在（可选：{'、'.join(SPECS)}）。"}])
    case = _lock_visible(actor, case_id)
    spec, fit = _checked_fit(actor, case, doc_type)
    issued_at = timeutil.now()
    year = timezone.localdate(issued_at).year
    number = content.number_for(spec, year, next_number(f"doc-{doc_type}", year))
    data = content.snapshot(spec=spec, fit=fit, case=case, number=number, issued_at=issued_at)
    document = Document.objects.create(case=case, type=doc_type, number=number, created_at=issued_at,
                                       created_by=actor, data=data)
    _event(case, actor, "issue_document", from_state=case.state, to_state=case.state,
           note=f"{data['title']} {number}", data={"document": document.pk, "type": doc_type, "number": number})
    return document


def issue_on_referral(event) -> None:
    """Mediation ended on a claim for gain or extortion with a referral to the police
    (xiaobao.mediation.purpose.terminate_and_refer): the 涉嫌违法犯罪案件移送书 is numbered and issued in the same
    transaction as the decision, by the one who took it (a listener of cases.actions.on_event)."""
    if event.action == "terminate_and_refer":
        issue_document(actor=event.actor, case_id=event.case_id, doc_type="police_referral")


def visible_document(actor: Staff, document_id: int) -> Document | None:
    document = Document.objects.select_related("case").filter(pk=document_id).first()
    if document is None or get_visible_case(actor, document.case_id) is None:
        return None
    return document


def download(*, actor: Staff, document_id: int, fmt: str) -> tuple[Document, bytes]:
    """The file of a document as this reader may see it; every download is in the audit trail."""
    document = visible_document(actor, document_id)
    if document is None:
        raise NotFound("未找到该文书，或您无权查看。")
    spec = SPECS[document.type]
    context, personal = content.for_reader(spec, document.data,
                                           identity_visible=sees_identity(actor, document.case))
    data = rendering.render(context, fmt)
    record(actor=actor, action="download_document", obj=f"document:{document.pk}", case_id=document.case_id,
           detail={"number": document.number, "format": fmt, "personal": personal})
    return document, data


# ---------------------------------------------------------------- templates (admin, 文书模板)


def _sha256(template: DocumentTemplate | None) -> str | None:
    """SHA-256 of the template's stored file; None without one or when it cannot be read."""
    if template is None or not template.docx:
        return None
    digest = hashlib.sha256()
    try:
        with template.docx.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 16), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def save_template(*, actor: Staff, template: DocumentTemplate) -> DocumentTemplate:
    """Store an administrator's DOCX template (already checked by the admin form) and audit the change with the
    replaced and the new file's SHA-256: a template is code that runs at every download of its type."""
    with transaction.atomic():
        old = (DocumentTemplate.objects.select_for_update().filter(pk=template.pk).first()
               if template.pk else None)
        old_type, old_name, old_hash = (old.type, old.docx.name, _sha256(old)) if old else ("", "", None)
        template.save()
        record(actor=actor, action="change_document_template", obj=f"document_template:{template.type}",
               detail={"type": template.type, "old_type": old_type, "note": template.note,
                       "old_file": old_name, "old_sha256": old_hash,
                       "new_file": template.docx.name, "new_sha256": _sha256(template)})
    return template


def delete_template(*, actor: Staff, template: DocumentTemplate) -> None:
    """Remove a template (the shipped one is used again), audited with the removed file's SHA-256."""
    with transaction.atomic():
        record(actor=actor, action="delete_document_template", obj=f"document_template:{template.type}",
               detail={"type": template.type, "old_file": template.docx.name, "old_sha256": _sha256(template),
                       "new_file": "", "new_sha256": None})
        template.delete()
