"""Settling first (DOMAIN.md "Settling first"; 《全国12315互联网平台在线消费纠纷解决企业管理暂行办法》): 消保股
forwards a complaint against a registered ODR business from triage, with the consumer's consent; the business
negotiates within 10 working days and answers; settled → concluded as 先行和解 with the amount, not settled, not
answered in time (the daily job) or the consumer objecting (escalate) → back to triage, where the normal path
starts then. The consumer is told at each step.

Every change goes through the spine's steps (cases.services: lock, check, move; each one timeline line and one
audit row). The business reaches its items only through `forwarding_for` (its own, still with it): anything else
is 404, as for an item a user may not see."""

from __future__ import annotations

import logging
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from xiaobao.cases import services as cs
from xiaobao.cases.bodies import errors_of
from xiaobao.cases.errors import Invalid, NotFound, WrongState
from xiaobao.cases.lifecycle import Transition
from xiaobao.cases.models import Case, Kind, Outcome, State
from xiaobao.clocks import services as clocks
from xiaobao.clocks.models import ClockName
from xiaobao.lib import outbound, timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff

from .bodies import BusinessAnswerBody, ContactBody
from .models import Business, BusinessState, Contact, Forwarding, ForwardingState

log = logging.getLogger("xiaobao.odr")

BASIS = "《全国12315互联网平台在线消费纠纷解决企业管理暂行办法》（先行和解）"
CLOCK = ClockName.BUSINESS_SETTLEMENT.value

TRANSITIONS = {t.action: t for t in [
    Transition("forward_to_business", "转ODR企业先行和解", frozenset({Kind.COMPLAINT}), frozenset({State.TRIAGE}),
               frozenset({Role.DISPATCHER}), "bureau", BASIS),
    # Only the business the item was forwarded to (checked in business_answer: its account).
    Transition("business_answer", "企业答复和解结果", frozenset({Kind.COMPLAINT}), frozenset({State.WITH_BUSINESS}),
               frozenset({Role.BUSINESS}), "bureau", BASIS),
    Transition("escalate", "消费者不同意先行和解，转入正常程序", frozenset({Kind.COMPLAINT}),
               frozenset({State.WITH_BUSINESS}), frozenset({Role.DISPATCHER}), "bureau",
               BASIS + "；DOMAIN：消费者不同意的，转入正常程序"),
]}

# Timeline lines of this family that are not actions of their own.
LABELS = {"odr_timeout": "企业逾期未处理，转入正常程序", "odr_contact": "ODR企业联系记录"}

# Why the bureau's clocks are set aside while the business has the item (shown beside the superseded runs).
# DOMAIN.md "Settling first": "That time does not count against the bureau's legal clocks." The open clocks
# (the national acceptance period from the receipt, an acceptance clock of an item returned to triage) are
# taken off the item as superseded runs rather than stopped: a run set aside within its time is neither met
# nor missed, and "the 7-working-day acceptance clock starts then" — a fresh period from the day it comes back.
SET_ASIDE_REASON = "转ODR企业先行和解，企业处理期间不计入本局期限（返回后重新起算）"


def _text(v: Any) -> str:
    return str(v).strip() if v is not None else ""


def _yes(v: Any) -> bool:
    return v is True or _text(v).lower() in ("true", "on", "1", "yes")


# ---------------------------------------------------------------- reads


def business_of(user) -> Business | None:
    """The ODR business whose account the user is (active or suspended: a suspended business still answers what
    it holds); None for everyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.has_role(Role.BUSINESS):
        return None
    return (Business.objects.filter(account=user)
            .exclude(state__in=(BusinessState.REMOVED, BusinessState.PENDING)).first())


def open_forwarding(case_id: int) -> Forwarding | None:
    """The item's forwarding still with a business, if any."""
    return (Forwarding.objects.select_related("business").filter(case_id=case_id, state=ForwardingState.WITH_BUSINESS)
            .first())


def inbox(business: Business) -> QuerySet[Forwarding]:
    """The items forwarded to the business and still with it, the earliest due first."""
    return (Forwarding.objects.filter(business=business, state=ForwardingState.WITH_BUSINESS)
            .select_related("case", "case__complainant").order_by("due", "forwarded_at", "id"))


def forwarding_for(business: Business | None, case_id: int) -> Forwarding | None:
    """The business's forwarding of this item while the item is with it; None (→ 404) otherwise: another
    business's item, an item that has left it, any other item."""
    if business is None:
        return None
    return (Forwarding.objects.select_related("case", "case__complainant", "business")
            .filter(business=business, case_id=case_id, state=ForwardingState.WITH_BUSINESS,
                    case__state=State.WITH_BUSINESS).first())


def matching_businesses(case: Case) -> list[Business]:
    """The active ODR businesses the item's respondent is: by 统一社会信用代码, or by exact name."""
    respondent = case.respondent
    if respondent is None:
        return []
    code, name = _text(respondent.credit_code).upper(), _text(respondent.name)
    match = Q()
    if code:
        match |= Q(credit_code=code)
    if name:
        match |= Q(name=name)
    if not match:
        return []
    return list(Business.objects.filter(match, state=BusinessState.ACTIVE))


def _matches(case: Case, business: Business) -> bool:
    return any(b.pk == business.pk for b in matching_businesses(case))


def item_view(forwarding: Forwarding, *, answer: bool = False) -> dict:
    """What the business sees of an item (API-v1.md "ODR businesses"): the consumer's name and phone, the facts,
    the demand, its own due date and exchange — nothing else of the item."""
    case, person = forwarding.case, forwarding.case.complainant
    answered = None
    if answer or forwarding.answered_at is not None:
        answered = {"result": "settled" if forwarding.state == ForwardingState.SETTLED else "not_settled",
                    "detail": forwarding.detail,
                    "amount": str(forwarding.amount) if forwarding.amount is not None else None,
                    "answered_at": timezone.localtime(forwarding.answered_at).isoformat()
                    if forwarding.answered_at else None}
    return {
        "id": case.pk, "number": case.number,
        "received_on": timezone.localdate(forwarding.forwarded_at).isoformat(),
        "consumer": {"name": person.name if person else "", "phone": person.phone if person else ""},
        "facts": case.facts, "demand": case.demand, "due": forwarding.due.isoformat(),
        "contacts": [{"at": timezone.localtime(c.at).isoformat(), "method": c.method, "process": c.process,
                      "offer": c.offer} for c in forwarding.contacts.all()],
        "answer": answered,
    }


def list_view(forwarding: Forwarding) -> dict:
    person = forwarding.case.complainant
    return {"id": forwarding.case_id, "number": forwarding.case.number,
            "received_on": timezone.localdate(forwarding.forwarded_at).isoformat(),
            "consumer_name": person.name if person else "", "due": forwarding.due.isoformat()}


def audit_read(user, forwardings: list[Forwarding], *, via: str, listing: bool = False) -> None:
    """Every read of the consumer's personal data by a business is an audit row (STYLE: audit every read): one
    per item read, one per list (the consumers' names) naming its items."""
    if not forwardings:
        return
    if listing:
        record(actor=user, action="odr_read_personal", obj="odr-inbox",
               detail={"business": forwardings[0].business_id, "via": via, "cases": [f.case_id for f in forwardings],
                       "fields": ["name"]})
        return
    for f in forwardings:
        record(actor=user, action="odr_read_personal", obj=f"case:{f.case_id}", case_id=f.case_id,
               detail={"business": f.business_id, "via": via, "fields": ["name", "phone", "facts", "demand"]})


# ---------------------------------------------------------------- the consumer is told


def _tell_consumer(case: Case, text: str, step: str) -> None:
    """SMS (and e-mail, where the consumer gave one for delivery) through the project's outbound backends, after
    the change commits; each message's id in an audit row. A failed gateway is logged, never undoes the step."""
    person = case.complainant
    if person is None or person.anonymous:
        return
    phone, email = _text(person.e_delivery_phone) or _text(person.phone), _text(person.e_delivery_email)
    if not phone and not email:
        return
    from django.conf import settings

    message = f"【{settings.XIAOBAO_BUREAU_NAME}】您的投诉 {case.number}：{text}"

    def send() -> None:
        sent = {}
        try:
            if phone:
                sent["sms"] = outbound.send_sms(phone, message)
            if email:
                sent["email"] = outbound.send_email(email, f"投诉 {case.number} 办理情况", message)
        except Exception:  # the gateway's own errors: logged, the step stands
            log.exception("ODR: telling the consumer of %s failed", case.number)
        record(actor=None, action="odr_notify_consumer", obj=f"case:{case.pk}", case_id=case.pk,
               detail={"step": step, "channels": sorted(sent), "message_ids": sent})

    transaction.on_commit(send)


# ---------------------------------------------------------------- actions


def _amount(value: Any) -> Decimal | None:
    text = _text(value)
    if not text:
        return None
    try:
        amount = Decimal(text)
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        raise Invalid([{"field": "amount", "message": "和解金额应为非负数字（元，至多两位小数），如 300.00。"}]) from None
    if amount >= Decimal("1e12"):
        raise Invalid([{"field": "amount", "message": "和解金额过大。"}])
    return amount


@transaction.atomic
def forward_to_business(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "forward_to_business")
    errors = []
    business = None
    raw = _text(body.get("business"))
    if not raw:
        errors.append({"field": "business", "message": "请选择ODR企业。"})
    else:
        business = Business.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if business is None:
            errors.append({"field": "business", "message": f"ODR企业“{raw}”不存在。"})
        elif business.state != BusinessState.ACTIVE:
            errors.append({"field": "business", "message": f"{business.name}当前为“{business.get_state_display()}”，"
                                                           "不能转送。"})
        elif business.account_id is None:
            errors.append({"field": "business", "message": f"{business.name}尚无企业账号，不能转送。"})
        elif not _matches(case, business):
            errors.append({"field": "business", "message": f"被投诉人与{business.name}不符（名称或统一社会信用代码）："
                                                           "只能转送被投诉的ODR企业。"})
    # The consumer's consent to settle first is recorded (API-v1.md "ODR businesses"; DOMAIN.md "Settling first").
    if not _yes(body.get("consent")):
        errors.append({"field": "consent", "message": "须经消费者同意先行和解：请取得同意后勾选“消费者已同意先行和解”。"})
    if errors:
        raise Invalid(errors)
    if case.clocks.filter(name=CLOCK).exists() or Forwarding.objects.filter(case=case).exists():
        # An item comes back from a business for the normal path; it is not sent to settle first again.
        raise WrongState("该件已转ODR企业先行和解过，退回后按正常程序办理，不再转送。", state=case.state)
    if case.rule_set.clock(CLOCK) is None:
        raise WrongState("本件适用的规则集未设定企业先行和解期限，不能转送。", state=case.state)
    now = timeutil.now()
    note = _text(body.get("consent_note"))
    # Leaving triage meets 消保股's routing clock (cases.services._waiting_clocks): forwarding is its decision.
    cs._move(case, actor, "forward_to_business", State.WITH_BUSINESS, note=note,
             data={"business": business.pk, "business_name": business.name, "consent": True})
    # No bureau clock runs while the business has the item (DOMAIN.md "Settling first": "That time does not
    # count against the bureau's legal clocks"): set aside, and started afresh when it comes back.
    pause = clocks.current_pause(case)
    if pause is not None:
        clocks.close_pause(pause)
    aside = clocks.set_aside(case, reason=SET_ASIDE_REASON)
    clock = clocks.start(case, CLOCK, restart=True)
    Forwarding.objects.create(case=case, business=business, consent_note=note, forwarded_at=now,
                              forwarded_by=actor, due=clock.due)
    record(actor=actor, action="odr_forward", obj=f"case:{case.pk}", case_id=case.pk,
           detail={"business": business.pk, "due": clock.due.isoformat(), "set_aside": aside, "consent_note": note})
    _tell_consumer(case, f"经您同意，已转{business.name}先行和解，企业将在 {clock.due:%Y年%m月%d日} 前与您协商处理；"
                         "和解不成的，本局依法继续处理。", "forwarded")
    return case


def _back_to_triage(case: Case, actor: Staff | None, action: str, forwarding: Forwarding, *, state: str,
                    note: str, data: dict, on: date | None = None) -> None:
    """The complaint enters the normal path (DOMAIN.md "Settling first"): back to 消保股's triage, where the
    routing clock starts again (cases.services._waiting_clocks) and the 7-working-day acceptance period from the
    bureau's receipt starts that day, its earlier run set aside at the forwarding."""
    on = on or clocks.today()
    clocks.meet(case, CLOCK, on=on)
    cs._move(case, actor, action, State.TRIAGE, note=note,
             data={"business": forwarding.business_id, "business_name": forwarding.business.name, **data})
    clocks.start(case, "national_acceptance", on=on, restart=True)
    forwarding.state = state
    forwarding.closed_at = timeutil.now()
    forwarding.close_reason = note
    forwarding.save(update_fields=["state", "closed_at", "close_reason", "answered_at", "detail", "amount"])
    told = {ForwardingState.ESCALATED: "您不同意由企业先行和解",
            ForwardingState.TIMED_OUT: f"{forwarding.business.name}未在期限内处理"}.get(state, f"{forwarding.business.name}未能与您和解")
    _tell_consumer(case, f"{told}，本局将按正常程序依法处理您的投诉。", state)


def _locked_forwarding(case: Case) -> Forwarding:
    forwarding = (Forwarding.objects.select_for_update(of=("self",)).select_related("business")
                  .filter(case=case, state=ForwardingState.WITH_BUSINESS).first())
    if forwarding is None:
        raise WrongState("该件不在ODR企业处理中。", state=case.state)
    return forwarding


@transaction.atomic
def business_answer(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The business's answer. Only the business the item was forwarded to reaches the item (404 for any other
    business, as for staff who may not see it); staff who may see it are refused the action (403)."""
    business = business_of(actor)
    if business is not None:
        if forwarding_for(business, case_id) is None:
            raise NotFound("未找到该件，或您无权查看。")
        case = Case.objects.select_for_update(of=("self",)).select_related("rule_set", "complainant", "unit").get(
            pk=case_id)
    else:
        case = cs._lock(actor, case_id)
    cs._check(actor, case, "business_answer")
    forwarding = _locked_forwarding(case)
    if business is None or forwarding.business_id != business.pk:
        raise NotFound("未找到该件，或您无权查看。")
    result, detail = _text(body.get("result")), _text(body.get("detail"))
    amount = _amount(body.get("amount"))
    if result == "settled" and amount is None:
        raise Invalid([{"field": "amount", "message": "和解成功的，请填写和解金额（元；无金额的填 0）。"}])
    forwarding.answered_at = timeutil.now()
    forwarding.detail = detail
    if result == "settled":
        forwarding.amount = amount
        forwarding.state = ForwardingState.SETTLED
        forwarding.closed_at = forwarding.answered_at
        forwarding.save(update_fields=["state", "closed_at", "answered_at", "detail", "amount"])
        # Settled → concluded as 先行和解 with the amount (DOMAIN.md "Settling first").
        cs._conclude(case, actor, "business_answer", Outcome.SETTLED_BY_BUSINESS, note=detail,
                     data={"result": result, "business": business.pk, "business_name": business.name,
                           "amount_recovered": str(amount)},
                     amount_recovered=amount)
        _tell_consumer(case, f"{business.name}答复已与您和解（{amount} 元），本件以先行和解办结。"
                             "如有异议，请联系本局。", "settled")
    elif result == "not_settled":
        forwarding.amount = None
        _back_to_triage(case, actor, "business_answer", forwarding, state=ForwardingState.NOT_SETTLED,
                        note=detail, data={"result": result})
    else:
        raise Invalid([{"field": "result", "message": BusinessAnswerBody.messages["result"]}])
    return case


@transaction.atomic
def escalate(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The consumer objects to settling first: the complaint enters the normal path (DOMAIN.md)."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "escalate")
    cs._require(body, "reason")
    forwarding = _locked_forwarding(case)
    _back_to_triage(case, actor, "escalate", forwarding, state=ForwardingState.ESCALATED,
                    note=_text(body["reason"]), data={})
    return case


def answer_as_business(*, actor, case_id: int, body: dict) -> tuple[Case, Forwarding]:
    """business_answer as the business's API and page call it: 404 first for what it may not reach, then the
    body (422 naming every bad field), then the answer. Returns the item and its forwarding as answered."""
    business = business_of(actor)
    if business is None or forwarding_for(business, case_id) is None:
        raise NotFound("未找到该件，或您无权查看。")
    if errors := errors_of(BusinessAnswerBody, body):
        raise Invalid(errors)
    case = business_answer(actor=actor, case_id=case_id, body=body)
    forwarding = (Forwarding.objects.select_related("case", "case__complainant", "business")
                  .filter(case=case, business=business).order_by("-forwarded_at", "-id").first())
    return case, forwarding


@transaction.atomic
def add_contact(*, actor, case_id: int, body: dict) -> Forwarding:
    """The business records one contact with the consumer: time, method, process and offer (暂行办法)."""
    business = business_of(actor)
    forwarding = forwarding_for(business, case_id)
    if forwarding is None:
        raise NotFound("未找到该件，或您无权查看。")
    errors = errors_of(ContactBody, body)
    named = {e["field"] for e in errors}
    at: datetime | None = None
    if "at" not in named:
        at = timeutil.parse_moment(body.get("at"))
        if at is None:
            errors.append({"field": "at", "message": "联系时间格式不正确，应为 ISO 8601 时间，如 2026-09-29T10:00:00+08:00。"})
        elif at > timeutil.now() + cs.CLOCK_SKEW:
            errors.append({"field": "at", "message": "联系时间不能晚于现在（先联系，后记录）。"})
        elif at < forwarding.forwarded_at.replace(second=0, microsecond=0):
            errors.append({"field": "at", "message": "联系时间不能早于转送时间 "
                                                     f"{timezone.localtime(forwarding.forwarded_at):%Y-%m-%d %H:%M}。"})
    if errors:
        raise Invalid(errors)
    forwarding = Forwarding.objects.select_for_update(of=("self",)).select_related(
        "case", "case__complainant", "business").get(pk=forwarding.pk)
    contact = Contact.objects.create(forwarding=forwarding, at=at, method=_text(body["method"]),
                                     process=_text(body["process"]), offer=_text(body.get("offer")))
    cs._event(forwarding.case, actor, "odr_contact", from_state=forwarding.case.state,
              to_state=forwarding.case.state, note=contact.process, occurred_at=at, notifies=False,
              data={"business": business.pk, "method": contact.method, "offer": contact.offer})
    return forwarding


def time_out(*, on: date | None = None) -> list[str]:
    """The daily job (daily_clocks): an unanswered forwarding whose 10 working days have run out (the day after
    its due date; a period ends at 24:00 of its last day, Civil Code Art. 203) goes back to triage, with a
    timeline line. Each item in a transaction of its own. The numbers of the items returned."""
    on = on or clocks.today()
    returned = []
    for forwarding_id in (Forwarding.objects.filter(state=ForwardingState.WITH_BUSINESS, due__lt=on)
                          .order_by("due", "id").values_list("pk", flat=True)):
        with transaction.atomic():
            forwarding = (Forwarding.objects.select_for_update(of=("self",)).select_related("business")
                          .filter(pk=forwarding_id, state=ForwardingState.WITH_BUSINESS).first())
            if forwarding is None:
                continue
            case = Case.objects.select_for_update(of=("self",)).select_related("rule_set", "complainant").get(
                pk=forwarding.case_id)
            if case.state != State.WITH_BUSINESS:
                continue
            _back_to_triage(case, None, "odr_timeout", forwarding, state=ForwardingState.TIMED_OUT,
                            note=f"{forwarding.business.name}未在期限（{forwarding.due:%Y-%m-%d}）内答复和解结果，转入正常程序",
                            data={"due": forwarding.due.isoformat()}, on=on)
            returned.append(case.number)
    return returned


ACTIONS = {"forward_to_business": forward_to_business, "business_answer": business_answer, "escalate": escalate}
PRECONDITIONS = {
    # Offered only for a complaint against an active ODR business, not forwarded before.
    "forward_to_business": lambda case: bool(matching_businesses(case))
    and not Forwarding.objects.filter(case=case).exists(),
}
