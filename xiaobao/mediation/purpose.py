"""Claims for gain and extortion (DOMAIN.md, "The 2026 national rules"): whether a complaint's purchase was for
生活消费需要 is weighed on recorded factors — quantity, frequency, the filer's earlier claims across the bureau —
and a claim for gain (以牟利为目的) or extortion (敲诈勒索、骗取赔偿) ends mediation with the rule set's ground
that fits and a referral to the police (移送公安机关), while the verification of any linked report goes on.

Three actions, each one service function that checks, locks the item, writes its record and one timeline line in
one transaction (the pattern of xiaobao.mediation.services):

- `assess_consumer_purpose` records the factors and the handler's assessment. The earlier claims are COUNTS ONLY,
  matched on the filer's ID number and phone across every unit: no other item is named or shown, and each count
  is an audited read of personal data.
- `terminate_and_refer` ends mediation (concluded, `mediation_terminated`) on the ground the assessment fits:
  for gain the rule set's "a 不予受理 情形 found after acceptance" (SAMR-2026 第二十三条第（六）项) with the
  情形 "not for 生活消费需要" (SAMR-2026 第十六条第（三）项); for extortion its "other grounds" (第二十三条第（八）项).
  The 涉嫌违法犯罪案件移送书 is issued with it by xiaobao.documents (which hears the timeline line). Only this
  item concludes: a linked report (split, 诉转案) keeps its state and clocks.
- `dispatch_referral` records that the 移送书 reached the police: a timeline line with its data (channel, address,
  time, proof). The generic deliveries of documents are another branch's work; this keeps its own line meanwhile.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xiaobao.cases import services as cs
from xiaobao.cases.errors import Invalid, WrongState
from xiaobao.cases.lifecycle import UNIT_STAFF, Transition
from xiaobao.cases.models import Case, Kind, Outcome, State
from xiaobao.clocks import services as clocks
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Staff

from . import cap
from .models import Purpose, PurposeAssessment

# Where the factors come from: the 2026 rules weigh 生活消费需要 on recorded factors (DOMAIN.md); the 不予受理 情形
# they decide is SAMR-2026 第十六条第（三）项 (SAMR-2019 第十五条第（三）项 for items under the old rules).
PURPOSE_BASIS = "SAMR-2026 第十六条第（三）项：生活消费需要按购买数量、频次和此前投诉情况认定（DOMAIN：2026年规则）"
# The duty to refer suspected crimes found in administrative work to the police.
REFERRAL_BASIS = ("《中华人民共和国行政处罚法》第二十七条；《行政执法机关移送涉嫌犯罪案件的规定》第三条；"
                  "DOMAIN：以牟利为目的、敲诈勒索的投诉终止调解并移送公安机关，举报核查继续")

TRANSITIONS = {t.action: t for t in [
    Transition("assess_consumer_purpose", "生活消费需要认定", frozenset({Kind.COMPLAINT}),
               frozenset({State.ASSIGNED, State.IN_PROGRESS}), UNIT_STAFF, "unit", PURPOSE_BASIS),
    Transition("terminate_and_refer", "终止调解并移送公安", frozenset({Kind.COMPLAINT}),
               frozenset({State.IN_PROGRESS}), UNIT_STAFF, "unit", REFERRAL_BASIS),
    Transition("dispatch_referral", "移送书送达公安机关", frozenset({Kind.COMPLAINT}),
               frozenset({State.CONCLUDED}), UNIT_STAFF, "unit", REFERRAL_BASIS),
]}

# For each assessment that ends mediation: the termination ground of the rule set, and the 不予受理 情形 it rests on.
TERMINATION = {
    Purpose.GAIN: {"ground": "inadmissible_found", "situation": "not_consumption"},
    Purpose.EXTORTION: {"ground": "other", "situation": None},
}
EXTORTION_TEXT = "投诉人以投诉相威胁敲诈勒索经营者或者骗取经营者赔偿，涉嫌违法犯罪，依法移送公安机关处理"
DISPATCH_CHANNELS = {"in_person": "当面移交", "letter": "信函（机要）", "email": "电子邮件", "internet": "互联网"}
YEAR = timedelta(days=365)


def _text(v: Any) -> str:
    return str(v).strip() if v is not None else ""


def _count(body: dict, field: str, label: str, errors: list[dict]) -> int | None:
    raw = body.get(field)
    text = _text(raw)
    if not text:
        errors.append({"field": field, "message": f"请填写{label}。"})
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1 or value > 1_000_000:
        errors.append({"field": field, "message": f"{label}应为正整数。"})
        return None
    return value


# ---------------------------------------------------------------- the bureau-wide count


def earlier_claims(actor: Staff, case: Case) -> dict:
    """How many complaints the filer made before this one, across every unit of the bureau: matched on the
    filer's ID number and phone, counted in SQL, nothing of those items read. The look is audited as a read of
    the filer's personal data (rules 三.5), with what was counted and nothing else."""
    person = case.complainant
    match, matched_on = Q(), []
    if person is not None and not person.anonymous:
        if person.id_number.strip():
            match |= Q(complainant__id_number=person.id_number.strip())
            matched_on.append("id_number")
        if person.phone.strip():
            match |= Q(complainant__phone=person.phone.strip())
            matched_on.append("phone")
    if not matched_on:
        return {"total": None, "last_year": None, "matched_on": []}
    earlier = Case.objects.filter(match, kind=Kind.COMPLAINT, received_at__lt=case.received_at).exclude(pk=case.pk)
    total = earlier.count()
    last_year = earlier.filter(received_at__gte=case.received_at - YEAR).count() if total else 0
    record(actor=actor, action="read_personal", obj=f"case:{case.pk}", case_id=case.pk,
           detail={"fields": ["complainant"], "via": "earlier_claims", "matched_on": matched_on,
                   "total": total, "last_year": last_year})
    return {"total": total, "last_year": last_year, "matched_on": matched_on}


# ---------------------------------------------------------------- the actions


@transaction.atomic
def assess_consumer_purpose(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "assess_consumer_purpose")
    errors: list[dict] = []
    quantity = _count(body, "quantity", "购买数量", errors)
    purchases = _count(body, "purchases", "购买次数", errors)
    period = _count(body, "period_days", "期间（日）", errors)
    assessment = _text(body.get("assessment"))
    if assessment not in Purpose.values:
        errors.append({"field": "assessment", "message": "认定应为 consumption（为生活消费需要）、undetermined（尚难认定）、"
                                                         "gain（以牟利为目的）或 extortion（涉嫌敲诈勒索、骗取赔偿）。"})
    note = _text(body.get("note"))
    if assessment in (Purpose.GAIN, Purpose.EXTORTION) and not note:
        errors.append({"field": "note", "message": "认定以牟利为目的或涉嫌敲诈勒索的，须写明认定理由。"})
    if errors:
        raise Invalid(errors)
    claims = earlier_claims(actor, case)
    row = PurposeAssessment.objects.create(
        case=case, goods=_text(body.get("goods"))[:200], quantity=quantity, purchases=purchases, period_days=period,
        earlier_claims=claims["total"], earlier_claims_year=claims["last_year"], matched_on=claims["matched_on"],
        assessment=assessment, note=note, at=timeutil.now(), by=actor)
    cs._event(case, actor, "assess_consumer_purpose", from_state=case.state, to_state=case.state,
              note=f"{row.get_assessment_display()}：{summary(row)}" + (f"。{note}" if note else ""),
              data={"assessment_id": row.pk, "assessment": assessment, "goods": row.goods, "quantity": quantity,
                    "purchases": purchases, "period_days": period, "earlier_claims": claims["total"],
                    "earlier_claims_last_year": claims["last_year"], "basis": PURPOSE_BASIS})
    return case


def summary(row: PurposeAssessment) -> str:
    """The factors in one line, as the page and the timeline show them (counts only)."""
    goods = f"{row.goods}，" if row.goods else ""
    claims = ("此前投诉件数无法统计（无身份信息）" if row.earlier_claims is None
              else f"此前在本局投诉 {row.earlier_claims} 件（近一年 {row.earlier_claims_year} 件）")
    return f"{goods}购买数量 {row.quantity}，{row.period_days} 日内购买 {row.purchases} 次，{claims}"


def latest(case: Case) -> PurposeAssessment | None:
    return case.purpose_assessments.select_related("by").order_by("-at", "-id").first()


def termination_ground(case: Case, assessment: str) -> tuple[dict, dict | None]:
    """The rule set's termination ground for the assessment, and the 不予受理 情形 it rests on (for gain)."""
    fit = TERMINATION[assessment]
    ground = cs._ground(case, Outcome.MEDIATION_TERMINATED, fit["ground"])
    situation = case.rule_set.ground(Outcome.NOT_ACCEPTED, fit["situation"]) if fit["situation"] else None
    return ground, situation


def _other_filers_merged(case: Case) -> list[str]:
    """Numbers of open merged items filed by someone else: they would be concluded with this item's ground."""
    person = case.complainant
    mine = {v for v in (person.id_number.strip(), person.phone.strip()) if v} if person else set()
    out = []
    for merge in case.merged_items.filter(undone_at__isnull=True).select_related("case__complainant"):
        other = merge.case.complainant
        theirs = {v for v in (other.id_number.strip(), other.phone.strip()) if v} if other else set()
        if not (mine & theirs):
            out.append(merge.case.number)
    return out


@transaction.atomic
def terminate_and_refer(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "terminate_and_refer")
    row = latest(case)
    if row is None or row.assessment not in TERMINATION:
        raise WrongState("须先记录生活消费需要的考量因素，并认定以牟利为目的或涉嫌敲诈勒索，才能终止调解并移送公安机关。",
                         state=case.state)
    ground, situation = termination_ground(case, row.assessment)
    cap.check_outcome(case, result="terminated", ground=ground["code"])
    if others := _other_filers_merged(case):
        raise WrongState(f"其他消费者的投诉（{'、'.join(others)}）已并入本件：终止调解并移送只涉及本件投诉人，"
                         "请先撤销并案。", state=case.state)
    cs._require(body, "reason")
    authority = _text(body.get("authority")) or settings.XIAOBAO_POLICE_AUTHORITY
    reason = _text(body["reason"])
    cs._conclude(case, actor, "terminate_and_refer", Outcome.MEDIATION_TERMINATED, note=reason,
                 data={"result": "terminated", "assessment": row.assessment, "assessment_id": row.pk,
                       "ground": ground["code"], "basis": ground["basis"],
                       "situation": ({"code": situation["code"], "text": situation["text"],
                                      "basis": situation["basis"]} if situation else
                                     {"code": "", "text": EXTORTION_TEXT, "basis": ""}),
                       "authority": authority, "referral_basis": REFERRAL_BASIS},
                 ground=ground["code"])
    clocks.start(case, "termination_notice")
    return case


def _referral(case: Case):
    return case.documents.filter(type="police_referral").order_by("-id").first()


@transaction.atomic
def dispatch_referral(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "dispatch_referral")
    document = _referral(case)
    if document is None:
        raise WrongState("该件没有涉嫌违法犯罪案件移送书。", state=case.state)
    errors = []
    channel = _text(body.get("channel"))
    if channel not in DISPATCH_CHANNELS:
        errors.append({"field": "channel", "message": "移送方式应为 in_person（当面移交）、letter（信函）、"
                                                      "email（电子邮件）或 internet（互联网）。"})
    proof = _text(body.get("proof"))
    if not proof:
        errors.append({"field": "proof", "message": "请填写送达凭证：接收人签收、回执编号或邮件编号。"})
    at = _when(body, document, errors)
    if errors:
        raise Invalid(errors)
    authority = _text(body.get("authority")) or document.data.get("authority") or settings.XIAOBAO_POLICE_AUTHORITY
    address = _text(body.get("address"))
    cs._event(case, actor, "dispatch_referral", from_state=case.state, to_state=case.state,
              note=f"{document.title} {document.number} 以{DISPATCH_CHANNELS[channel]}送达{authority}"
                   f"（{proof}）",
              data={"document": document.pk, "type": document.type, "number": document.number,
                    "recipient": "police", "authority": authority, "channel": channel, "address": address,
                    "proof": proof, "delivered_at": timezone.localtime(at).isoformat()})
    return case


def _when(body: dict, document, errors: list[dict]):
    raw = body.get("occurred_at")
    if raw in (None, ""):
        return timeutil.now()
    parsed = timeutil.parse_moment(raw)
    if parsed is None:
        errors.append({"field": "occurred_at", "message": "送达时间格式不正确，应为 ISO 8601。"})
        return timeutil.now()
    if parsed > timeutil.now() + timedelta(minutes=5):
        errors.append({"field": "occurred_at", "message": "送达时间不能晚于现在。"})
    elif parsed < document.created_at - timedelta(minutes=5):
        errors.append({"field": "occurred_at", "message": "送达时间不能早于移送书制作时间。"})
    return parsed


ACTIONS = {"assess_consumer_purpose": assess_consumer_purpose, "terminate_and_refer": terminate_and_refer,
           "dispatch_referral": dispatch_referral}
PRECONDITIONS = {
    # The factors are about the person's purchases: a complaint whose filer is known.
    "assess_consumer_purpose": lambda case: case.complainant_id is not None,
    "terminate_and_refer": lambda case: (row := latest(case)) is not None and row.assessment in TERMINATION,
    "dispatch_referral": lambda case: _referral(case) is not None,
}


# ---------------------------------------------------------------- what the item's view shows


def view(case: Case) -> dict | None:
    """The latest factors and assessment (`consumer_purpose` on the item): counts only, nothing of other items."""
    if case.kind != Kind.COMPLAINT:
        return None
    row = latest(case)
    if row is None:
        return None
    return {"goods": row.goods, "quantity": row.quantity, "purchases": row.purchases, "period_days": row.period_days,
            "earlier_claims": {"total": row.earlier_claims, "last_year": row.earlier_claims_year,
                               "matched_on": row.matched_on},
            "assessment": row.assessment, "assessment_label": row.get_assessment_display(), "note": row.note,
            "summary": summary(row), "at": timezone.localtime(row.at).isoformat(), "by": row.by.username, "basis": PURPOSE_BASIS}
