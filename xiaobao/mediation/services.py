"""The handler's side of an item beyond its state changes: mediation sessions and recusals, entrusted
mediation, the agreement's remedies, verification records of reports, and the 处罚决定书 uploaded by the
unit and archived by 消保股 (rules 二.4). Each action is one function that checks, locks the item, writes
its record and one timeline event in one transaction (the pattern of xiaobao.handling.services)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaobao.cases import services as cs
from xiaobao.cases.errors import Invalid, WrongState
from xiaobao.cases.models import Case, Outcome
from xiaobao.clocks import services as clocks
from xiaobao.intake.models import Attachment
from xiaobao.lib import timeutil
from xiaobao.units.models import Staff

from . import cap
from .models import (
    Entrustment,
    MediationAgreement,
    MediationSession,
    PenaltyCase,
    PenaltyDecision,
    Recusal,
    Remedy,
    VerificationRecord,
)

PDF_MAGIC = b"%PDF"


def _text(v: Any) -> str:
    return str(v).strip() if v is not None else ""


def _usernames(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").split(",")
    if not isinstance(value, list | tuple):
        return []
    return [_text(v) for v in value if _text(v)]


def _staff(username: str, field: str) -> Staff:
    person = Staff.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Invalid([{"field": field, "message": f"工作人员“{username}”不存在。"}])
    return person


def _declared_recusals(body: dict) -> list[tuple[str, str]]:
    """(username, reason) pairs from the API's `recusals` list or the page form's single `recused` field."""
    raw = body.get("recusals") or []
    if body.get("recused"):
        raw = [*raw, {"staff": body.get("recused"), "reason": body.get("recusal_reason")}]
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise Invalid([{"field": "recusals", "message": "回避应为列表，如 [{\"staff\": \"用户名\", \"reason\": \"理由\"}]。"}])
    out = []
    for r in raw:
        username, reason = _text(r.get("staff")), _text(r.get("reason"))
        if not username or not reason:
            raise Invalid([{"field": "recusals", "message": "回避须写明回避人员和回避理由。"}])
        out.append((username, reason))
    return out


@transaction.atomic
def record_session(*, actor: Staff, case_id: int, body: dict) -> Case:
    """A mediation session, on site or remote. Staff who declare a conflict of interest are recorded as
    recused and may not lead this or any later session of the item."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "record_session")
    mode = _text(body.get("mode"))
    if mode not in MediationSession.Mode.values:
        raise Invalid([{"field": "mode", "message": "调解方式应为 on_site（现场）或 remote（远程）。"}])
    # When it was held: `occurred_at` as for every record (API-v1.md "Law enforced on actions"), or `at`, the
    # name this action took first; not in the future, not before the item was received.
    field = "occurred_at" if _text(body.get("occurred_at")) else "at"
    when = cs.occurred_at(case, body, "record_session", field=field, label="调解时间")
    held_at = when or timeutil.now()
    cap.check_session(case, held_on=timezone.localdate(held_at))
    lead = _staff(_text(body.get("lead")) or actor.username, "lead")
    declared = [(_staff(u, "recusals"), reason) for u, reason in _declared_recusals(body)]
    recused = {p.pk for p, _ in declared} | set(case.recusals.values_list("staff_id", flat=True))
    if lead.pk in recused:
        raise Invalid([{"field": "lead", "message": f"{lead}已申明回避，不能主持调解。"}])
    staff = [_staff(u, "staff") for u in _usernames(body.get("staff"))]
    session = MediationSession.objects.create(
        case=case, mode=mode, held_at=held_at, place=_text(body.get("place")), lead=lead,
        parties=_text(body.get("parties")), summary=_text(body.get("summary")), recorded_by=actor,
        recorded_at=timeutil.now())
    session.staff.set([p for p in staff if p.pk not in recused])
    for person, reason in declared:
        Recusal.objects.update_or_create(case=case, staff=person, defaults={
            "reason": reason, "declared_at": timeutil.now(), "recorded_by": actor, "session": session})
    cs._event(case, actor, "record_session", from_state=case.state, to_state=case.state,
              note=session.summary or session.get_mode_display(),
              data={"session": session.pk, "mode": mode, "at": held_at.isoformat(), "lead": lead.username,
                    "recused": [p.username for p, _ in declared]}, occurred_at=when)
    return case


@transaction.atomic
def entrust(*, actor: Staff, case_id: int, body: dict) -> Case:
    """Entrust mediation to 消协 or another mediation body; only with the complainant's consent, which the
    item records from registration or the handler records now (`"consent": true`)."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "entrust")
    cs._require(body, "body")
    consent_now = body.get("consent") is True or _text(body.get("consent")).lower() in ("true", "on", "1")
    if not case.consent_entrusted_mediation and not consent_now:
        raise WrongState("投诉人未同意委托调解：请先征得投诉人同意（consent）。", state=case.state)
    if case.entrustments.filter(result="").exists():
        raise WrongState("该件已委托调解，尚无结果。", state=case.state)
    if consent_now and not case.consent_entrusted_mediation:
        case.consent_entrusted_mediation = True
        case.save(update_fields=["consent_entrusted_mediation", "updated_at"])
    e = Entrustment.objects.create(case=case, body=_text(body["body"]), note=_text(body.get("note")),
                                   entrusted_at=timeutil.now(), entrusted_by=actor)
    cs._event(case, actor, "entrust", from_state=case.state, to_state=case.state,
              note=f"委托{e.body}调解" + (f"：{e.note}" if e.note else ""),
              data={"entrustment": e.pk, "body": e.body, "consent_recorded_now": consent_now})
    return case


@transaction.atomic
def entrusted_result(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The mediation body's outcome; the item's own outcome then follows through `mediate`."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "entrusted_result")
    result = _text(body.get("result"))
    if result not in Entrustment.Result.values:
        raise Invalid([{"field": "result", "message": "委托调解结果应为 agreed（调解成功）或 failed（调解不成）。"}])
    e = case.entrustments.filter(result="").order_by("entrusted_at").first()
    if e is None:
        raise WrongState("该件没有待反馈结果的委托调解。", state=case.state)
    e.result, e.result_note, e.result_at, e.result_by = result, _text(body.get("note")), timeutil.now(), actor
    e.save(update_fields=["result", "result_note", "result_at", "result_by"])
    cs._event(case, actor, "entrusted_result", from_state=case.state, to_state=case.state,
              note=f"{e.body}：{e.get_result_display()}" + (f"，{e.result_note}" if e.result_note else ""),
              data={"entrustment": e.pk, "body": e.body, "result": result})
    return case


def clean_remedies(value: Any) -> list[str]:
    """The remedies of an agreement (`mediate` body "remedies"), in the order of Remedy, without repeats."""
    if value in (None, ""):
        return []
    chosen = _usernames(value)
    unknown = [r for r in chosen if r not in Remedy.values]
    if unknown:
        raise Invalid([{"field": "remedies",
                        "message": "约定事项应为 repair（修理）、replace（更换）、refund（退货退款）、"
                                   "compensation（赔偿损失）中的一项或几项。"}])
    return [r for r in Remedy.values if r in chosen]


def record_agreement(*, case: Case, actor: Staff, remedies: list[str], amount: Decimal | None,
                     text: str) -> MediationAgreement:
    """Called by mediate inside its transaction when mediation succeeds."""
    entrusted = case.entrustments.filter(result=Entrustment.Result.AGREED).order_by("-result_at").first()
    return MediationAgreement.objects.create(case=case, remedies=remedies, amount_recovered=amount, text=text,
                                             entrustment=entrusted, agreed_at=timeutil.now(), recorded_by=actor)


def record_filing(*, case: Case, actor: Staff, number: str) -> PenaltyCase:
    """Called by file, or by the head's approval of a 立案 (on_filing_approved), inside its transaction: the penalty
    case and its number."""
    filing, _ = PenaltyCase.objects.update_or_create(case=case, defaults={
        "number": number, "filed_at": timeutil.now(), "filed_by": actor})
    return filing


@transaction.atomic
def mediate(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The result of mediation: agreed (the agreement and its remedies), terminated, or withdrawn."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "mediate")
    result = _text(body.get("result"))
    cap.check_outcome(case, result=result, ground=_text(body.get("ground")))
    if result == "agreed":
        remedies = clean_remedies(body.get("remedies"))
        recovered = None
        if _text(body.get("amount_recovered")):
            try:
                recovered = Decimal(_text(body["amount_recovered"]))
                if recovered < 0 or not recovered.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                raise Invalid([{"field": "amount_recovered", "message": "挽回金额应为非负数字。"}]) from None
        cs._conclude(case, actor, "mediate", Outcome.MEDIATED, note=_text(body.get("agreement")),
                     data={"result": result, "amount_recovered": str(recovered) if recovered is not None else None,
                           "remedies": remedies},
                     amount_recovered=recovered)
        record_agreement(case=case, actor=actor, remedies=remedies, amount=recovered,
                         text=_text(body.get("agreement")))
    elif result == "terminated":
        cs._require(body, "ground")
        ground = cs._ground(case, Outcome.MEDIATION_TERMINATED, body["ground"])
        cs._conclude(case, actor, "mediate", Outcome.MEDIATION_TERMINATED, note=_text(body.get("reason")),
                     data={"result": result, "ground": ground["code"], "basis": ground["basis"]},
                     ground=ground["code"])
        clocks.start(case, "termination_notice")
    elif result == "withdrawn":
        cs._conclude(case, actor, "mediate", Outcome.WITHDRAWN, note=_text(body.get("reason")),
                     data={"result": result})
        # A withdrawal ends mediation: the termination notice, where the rule set says so.
        if (case.rule_set.clock("termination_notice") or {}).get("on_withdrawal"):
            clocks.start(case, "termination_notice")
    else:
        raise Invalid([{"field": "result", "message": "调解结果应为 agreed（调解成功）、terminated（终止调解）或 withdrawn（撤回）。"}])
    return case


@transaction.atomic
def file(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    """A report is filed for investigation (立案): the item concludes and the penalty case is recorded."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "file")
    body = body or {}
    number = _text(body.get("penalty_case_number"))
    if case.rule_set.approval("filing"):
        # The head decides whether to file (《市场监督管理行政处罚程序规定》第十八条); the unit's decision is
        # taken within the verification period. The approval records the penalty case (on_filing_approved).
        clocks.meet(case, "verification")
        cs._ask_approval(case, actor, "file", "filing", note=_text(body.get("note")),
                         data={"penalty_case_number": number})
        return case
    cs._conclude(case, actor, "file", Outcome.FILED, note=_text(body.get("note")),
                 data={"penalty_case_number": number})
    record_filing(case=case, actor=actor, number=number)
    cs.start_notice(case, "filed_notice")
    return case


def on_filing_approved(event) -> None:
    """The head approved a 立案 the unit asked for (cases.services.approve): the penalty case is recorded in
    the same transaction (a listener of cases.actions.on_event)."""
    if event.action == "approve" and (event.data or {}).get("approval") == "filing":
        record_filing(case=event.case, actor=event.actor, number=event.data.get("penalty_case_number", ""))


@transaction.atomic
def record_verification(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "record_verification")
    errors = [{"field": f, "message": m} for f, m in (("method", "请填写核查方式。"), ("findings", "请填写核查情况。"))
              if not _text(body.get(f))]
    if errors:
        raise Invalid(errors)
    v = VerificationRecord.objects.create(case=case, method=_text(body["method"]), findings=_text(body["findings"]),
                                          at=timeutil.now(), by=actor)
    cs._event(case, actor, "record_verification", from_state=case.state, to_state=case.state,
              note=f"{v.method}：{v.findings}", data={"verification": v.pk, "method": v.method})
    return case


def is_pdf(attachment: Attachment) -> bool:
    """By the bytes on disk, not the name: the intake check allows other types too."""
    if attachment.content_type != "application/pdf":
        return False
    try:
        with open(attachment.full_path, "rb") as f:
            return f.read(len(PDF_MAGIC)) == PDF_MAGIC
    except FileNotFoundError:
        return False


@transaction.atomic
def upload_penalty_decision(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The unit reports the 处罚决定书 of a filed report: an attachment of the item that is a PDF."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "upload_penalty_decision")
    if case.outcome != Outcome.FILED:
        raise WrongState("只有已立案的举报才上报处罚决定书。", state=case.state)
    raw = _text(body.get("attachment"))
    attachment = case.attachments.filter(pk=int(raw)).first() if raw.isdigit() else None
    if attachment is None:
        raise Invalid([{"field": "attachment", "message": "请先把处罚决定书作为附件上传到该件，再选择该附件。"}])
    if not is_pdf(attachment):
        raise Invalid([{"field": "attachment", "message": "处罚决定书应为 PDF 文件。"}])
    if PenaltyDecision.objects.filter(attachment=attachment).exists():
        raise Invalid([{"field": "attachment", "message": "该附件已作为处罚决定书上报。"}])
    d = PenaltyDecision.objects.create(case=case, attachment=attachment, number=_text(body.get("number")),
                                       uploaded_at=timeutil.now(), uploaded_by=actor)
    cs._event(case, actor, "upload_penalty_decision", from_state=case.state, to_state=case.state,
              note=f"上报处罚决定书{d.number or ''}：{attachment.name}",
              data={"penalty_decision": d.pk, "attachment": attachment.pk, "number": d.number})
    return case


@transaction.atomic
def archive_penalty_decision(*, actor: Staff, case_id: int, body: dict) -> Case:
    """消保股 keeps the reported 处罚决定书 on file (rules 二.4: 处罚决定书上报消费者权益保护股存档)."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "archive_penalty_decision")
    pending = case.penalty_decisions.filter(archived_at__isnull=True)
    raw = _text(body.get("decision"))
    d = pending.filter(pk=int(raw)).first() if raw.isdigit() else pending.first()
    if d is None:
        raise WrongState("该件没有待存档的处罚决定书。", state=case.state)
    d.archived_at, d.archived_by, d.archive_note = timeutil.now(), actor, _text(body.get("note"))
    d.save(update_fields=["archived_at", "archived_by", "archive_note"])
    cs._event(case, actor, "archive_penalty_decision", from_state=case.state, to_state=case.state,
              note=f"处罚决定书{d.number or ''}已由消保股存档" + (f"：{d.archive_note}" if d.archive_note else ""),
              data={"penalty_decision": d.pk, "number": d.number})
    return case


ACTIONS = {
    "mediate": mediate, "file": file,
    "record_session": record_session, "entrust": entrust, "entrusted_result": entrusted_result,
    "record_verification": record_verification, "upload_penalty_decision": upload_penalty_decision,
    "archive_penalty_decision": archive_penalty_decision,
}

PRECONDITIONS = {
    "entrusted_result": lambda case: case.entrustments.filter(result="").exists(),
    "upload_penalty_decision": lambda case: case.outcome == Outcome.FILED,
    "archive_penalty_decision": lambda case: case.penalty_decisions.filter(archived_at__isnull=True).exists(),
}
