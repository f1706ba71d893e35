"""Cross-cutting actions on an item (DOMAIN.md "Lifecycle", last paragraph), each one function that checks,
locks the item, writes its record and one timeline event in one transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from xiaobao.cases import reference
from xiaobao.cases import services as cs
from xiaobao.cases.errors import Invalid, NotPermitted, WrongState
from xiaobao.cases.models import Case, CaseLink, Kind, State
from xiaobao.cases.selectors import sees_identity
from xiaobao.clocks import services as clocks
from xiaobao.clocks.calendar import get_calendar
from xiaobao.lib import timeutil
from xiaobao.units.models import Staff, Unit

from .models import Consultation, Contact, FollowUp, IdRequest, Opinion, SiteVisit, Supervision

# A supervision notice is answered within this many working days unless 消保股 sets a date.
SUPERVISION_DEFAULT_WORKDAYS = 3


def _text(v) -> str:
    return str(v).strip() if v is not None else ""


def _date(body: dict, field: str) -> date | None:
    raw = _text(body.get(field))
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid([{"field": field, "message": "日期格式应为 YYYY-MM-DD。"}]) from None


def _named_person(case: Case) -> bool:
    p = case.complainant
    return bool(p and not p.anonymous and (p.phone or p.address))


@transaction.atomic
def sign(*, actor: Staff, case_id: int, body: dict) -> Case:
    """签收 (rules 一.3(1)): the unit's staff on duty take the routed item; first contact is due next."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "sign")
    if case.handler_id and case.clocks.filter(name="sign_off", met_on__isnull=False).exists():
        raise WrongState(f"该件已由{case.handler}签收。", state=case.state)
    clocks.meet(case, "sign_off")
    case.handler = actor
    case.save(update_fields=["handler", "updated_at"])
    if case.kind in (Kind.COMPLAINT, Kind.REPORT) and _named_person(case):
        clocks.start(case, "first_contact", restart=True)
    cs._event(case, actor, "sign", from_state=case.state, to_state=case.state, note=_text(body.get("note")),
              data={"handler": actor.username})
    return case


@transaction.atomic
def record_contact(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "record_contact")
    cs._require(body, "content")
    with_whom = _text(body.get("with_whom")) or "complainant"
    channel = _text(body.get("channel")) or "phone"
    errors = []
    if with_whom not in ("complainant", "respondent"):
        errors.append({"field": "with_whom", "message": "联系对象应为 complainant 或 respondent。"})
    if channel not in Contact.Channel.values:
        errors.append({"field": "channel", "message": "联系方式应为 phone、sms、visit、online 或 letter。"})
    if errors:
        raise Invalid(errors)
    when = cs.occurred_at(case, body, "record_contact")
    contact = Contact.objects.create(case=case, at=when or timeutil.now(), with_whom=with_whom, channel=channel,
                                     content=_text(body["content"]), by=actor)
    if with_whom == "complainant":
        # First contact is met on the day it happened, not the day it was entered (rules 一.3(1)).
        clocks.meet(case, "first_contact", on=timezone.localdate(contact.at))
    cs._event(case, actor, "record_contact", from_state=case.state, to_state=case.state, note=contact.content,
              data={"with_whom": with_whom, "channel": channel, "contact": contact.pk}, occurred_at=when)
    return case


@transaction.atomic
def supervise(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "supervise")
    cs._require(body, "note")
    due = _date(body, "due") or get_calendar().add_workdays(timeutil.today(), SUPERVISION_DEFAULT_WORKDAYS)
    if due < timeutil.today():
        raise Invalid([{"field": "due", "message": "答复期限不能早于今天。"}])
    s = Supervision.objects.create(case=case, unit=case.unit, issued_at=timeutil.now(), issued_by=actor, due=due,
                                   note=_text(body["note"]))
    cs._event(case, actor, "supervise", from_state=case.state, to_state=case.state, note=s.note,
              data={"unit": case.unit.code, "due": due.isoformat(), "supervision": s.pk})
    return case


@transaction.atomic
def answer_supervision(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "answer_supervision")
    cs._require(body, "answer")
    s = case.supervisions.filter(answered_at__isnull=True).order_by("issued_at").first()
    if s is None:
        raise WrongState("该件没有待答复的督办。", state=case.state)
    s.answered_at, s.answered_by, s.answer = timeutil.now(), actor, _text(body["answer"])
    s.save(update_fields=["answered_at", "answered_by", "answer"])
    cs._event(case, actor, "answer_supervision", from_state=case.state, to_state=case.state, note=s.answer,
              data={"supervision": s.pk, "late": timeutil.today() > s.due})
    return case


@transaction.atomic
def open_consultation(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "open_consultation")
    cs._require(body, "topic")
    codes = body.get("units") or []
    if isinstance(codes, str):
        codes = [c for c in codes.replace("，", ",").split(",") if c.strip()]
    units = list(Unit.objects.filter(code__in=[c.strip() for c in codes], active=True))
    if not units or len(units) != len(set(codes)):
        raise Invalid([{"field": "units", "message": "请选择参加会商的单位（单位代码）。"}])
    if case.consultations.filter(concluded_at__isnull=True).exists():
        raise WrongState("该件已有进行中的会商。", state=case.state)
    c = Consultation.objects.create(case=case, lead=case.unit, topic=_text(body["topic"]), opened_at=timeutil.now(),
                                    opened_by=actor)
    c.invited.set(units)
    cs._event(case, actor, "open_consultation", from_state=case.state, to_state=case.state, note=c.topic,
              data={"lead": case.unit.code, "units": [u.code for u in units], "consultation": c.pk})
    return case


def open_consultation_for(actor: Staff, case: Case) -> Consultation | None:
    return case.consultations.filter(concluded_at__isnull=True, invited=actor.unit_id).first()


@transaction.atomic
def give_opinion(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "give_opinion")
    cs._require(body, "opinion")
    c = open_consultation_for(actor, case)
    if c is None:
        raise NotPermitted("您的单位没有被邀请参加该件的会商。")
    o = Opinion.objects.create(consultation=c, unit=actor.unit, by=actor, at=timeutil.now(), text=_text(body["opinion"]))
    cs._event(case, actor, "give_opinion", from_state=case.state, to_state=case.state, note=o.text,
              data={"unit": actor.unit.code, "consultation": c.pk})
    return case


@transaction.atomic
def conclude_consultation(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "conclude_consultation")
    cs._require(body, "conclusion")
    c = case.consultations.filter(concluded_at__isnull=True).first()
    if c is None:
        raise WrongState("该件没有进行中的会商。", state=case.state)
    c.conclusion, c.concluded_at = _text(body["conclusion"]), timeutil.now()
    c.save(update_fields=["conclusion", "concluded_at"])
    cs._event(case, actor, "conclude_consultation", from_state=case.state, to_state=case.state, note=c.conclusion,
              data={"consultation": c.pk, "opinions": c.opinions.count()})
    return case


@transaction.atomic
def request_visit(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "request_visit")
    cs._require(body, "reason")
    v = SiteVisit.objects.create(case=case, requested_at=timeutil.now(), requested_by=actor,
                                 reason=_text(body["reason"]), scheduled_for=_date(body, "scheduled_for"))
    cs._event(case, actor, "request_visit", from_state=case.state, to_state=case.state, note=v.reason,
              data={"visit": v.pk, "scheduled_for": v.scheduled_for.isoformat() if v.scheduled_for else None})
    return case


@transaction.atomic
def record_visit(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "record_visit")
    cs._require(body, "officers", "findings")
    when = cs.occurred_at(case, body, "record_visit")
    v = case.site_visits.filter(visited_at__isnull=True).first() or SiteVisit(
        case=case, requested_at=timeutil.now(), requested_by=actor, reason="承办单位自行安排")
    v.visited_at, v.officers, v.findings = when or timeutil.now(), _text(body["officers"]), _text(body["findings"])
    v.save()
    cs._event(case, actor, "record_visit", from_state=case.state, to_state=case.state, note=v.findings,
              data={"visit": v.pk, "officers": v.officers}, occurred_at=when)
    return case


@transaction.atomic
def follow_up(*, actor: Staff, case_id: int, body: dict) -> Case:
    """回访问效 (SAMR-2026; issue 20.4): whether the matter was resolved, satisfaction and the person's comment.
    The unit that handled the item follows up; 消保股 calling back a unit's item records its check
    (`office_check`). No answer is assumed: both `resolved` and `satisfaction` are required."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "follow_up")
    # No default: the person's answer is recorded as they gave it, or not at all (issue 18, point 6).
    errors = []
    resolved = body.get("resolved")
    if not isinstance(resolved, bool):
        errors.append({"field": "resolved", "message": "请填写是否解决（true 已解决 或 false 未解决）。"})
    satisfaction = _text(body.get("satisfaction"))
    if not satisfaction:
        errors.append({"field": "satisfaction", "message": "请填写回访满意度：满意、基本满意或不满意。"})
    elif satisfaction not in FollowUp.Satisfaction.values:
        errors.append({"field": "satisfaction",
                       "message": "满意度应为 satisfied（满意）、basic（基本满意）或 dissatisfied（不满意）。"})
    if errors:
        raise Invalid(errors)
    when = cs.occurred_at(case, body, "follow_up")
    office = reference.office_unit()
    office_check = actor.unit_id == office.pk and case.unit_id not in (None, office.pk)
    note = _text(body.get("comment")) or _text(body.get("note"))
    f = FollowUp.objects.create(case=case, at=when or timeutil.now(), by=actor, satisfaction=satisfaction,
                                resolved=resolved, office_check=office_check,
                                channel=_text(body.get("channel")) or "phone", note=note)
    cs._event(case, actor, "follow_up", from_state=case.state, to_state=case.state, note=f.note,
              data={"satisfaction": satisfaction, "resolved": resolved, "office_check": office_check,
                    "follow_up": f.pk}, occurred_at=when)
    return case


@transaction.atomic
def reopen(*, actor: Staff, case_id: int, body: dict) -> Case:
    """A dissatisfied follow-up can send the item back to handling, with a note."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "reopen")
    cs._require(body, "note")
    last = case.follow_ups.order_by("-at", "-id").first()
    if last is None or last.satisfaction != FollowUp.Satisfaction.DISSATISFIED:
        raise WrongState("只有回访不满意的件才能重新办理。", state=case.state)
    old = case.outcome
    # Back to the decision the item's situation needs: one concluded by 消保股 before any unit received it to
    # routing (rules 二.1); one never accepted (or never verified) to the acceptance (verification) decision
    # with its own period (rules 二.2); an accepted complaint to mediation, within the cap that still runs
    # from its first acceptance.
    held = case.unit is not None and case.unit.handles_items
    decided = case.events.filter(action="accept" if case.kind == Kind.COMPLAINT else "begin_verification").exists()
    to = State.TRIAGE if not held else State.IN_PROGRESS if decided else State.ASSIGNED
    cs._move(case, actor, "reopen", to, note=_text(body["note"]), data={"old_outcome": old},
             outcome=None, ground="", concluded_at=None)
    if not held:
        return case
    if case.kind == Kind.COMPLAINT and not decided:
        clocks.start(case, "acceptance", restart=True)
    elif case.kind == Kind.COMPLAINT:
        clocks.reopen(case, "mediation_cap")
        clocks.start(case, "handling", restart=True)
    else:
        clocks.start(case, "verification", restart=True)
    return case


def _linked_report(actor: Staff, case: Case, facts: str, kind: str) -> Case:
    complainant = case.complainant
    data = {
        "kind": Kind.REPORT, "channel": case.channel, "received_at": timeutil.now().isoformat(),
        "complainant": {"name": complainant.name, "phone": complainant.phone, "address": complainant.address,
                        "id_type": complainant.id_type, "id_number": complainant.id_number,
                        "anonymous": complainant.anonymous, "wants_reply": complainant.wants_reply}
        if complainant else None,
        "respondent": {"name": case.respondent.name, "address": case.respondent.address,
                       "phone": case.respondent.phone, "credit_code": case.respondent.credit_code}
        if case.respondent else None,
        "facts": facts, "category": case.category,
    }
    report, _ = cs.register_case(actor=actor, data=data)
    CaseLink.objects.create(source=case, target=report, kind=kind)
    return report


@transaction.atomic
def split(*, actor: Staff, case_id: int, body: dict) -> Case:
    """One submission that is both a complaint and a report becomes two linked items (DOMAIN.md "Kinds")."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "split")
    cs._require(body, "facts")
    report = _linked_report(actor, case, _text(body["facts"]), "split")
    cs._event(case, actor, "split", from_state=case.state, to_state=case.state,
              note=f"拆分出举报件 {report.number}", data={"report": report.pk, "number": report.number})
    return case


@transaction.atomic
def open_report(*, actor: Staff, case_id: int, body: dict) -> Case:
    """诉转案: a violation found while handling a complaint becomes a linked report, which goes through
    approval and verification on its own; the complaint goes on."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "open_report")
    cs._require(body, "facts")
    report = _linked_report(actor, case, _text(body["facts"]), "complaint_to_report")
    # The report goes to 消保股 for routing and the deputy director's approval (rules 二.1(2)).
    cs.submit_for_triage(actor=actor, case_id=report.pk, body={"note": f"由投诉 {case.number} 转为举报"})
    cs._event(case, actor, "open_report", from_state=case.state, to_state=case.state,
              note=f"诉转案：举报件 {report.number}", data={"report": report.pk, "number": report.number})
    return case


@transaction.atomic
def request_id(*, actor: Staff, case_id: int, body: dict) -> Case:
    """SAMR-2026 Art. 10: ask the complainant for identity documents by a date (no clock stops)."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "request_id")
    due = _date(body, "due")
    if due is None:
        raise Invalid([{"field": "due", "message": "请填写提供身份证明的期限（YYYY-MM-DD）。"}])
    if due < timeutil.today():
        raise Invalid([{"field": "due", "message": "期限不能早于今天。"}])
    if case.id_requests.filter(received_at__isnull=True).exists():
        raise WrongState("已要求提供身份证明，尚未收到。", state=case.state)
    r = IdRequest.objects.create(case=case, requested_at=timeutil.now(), requested_by=actor, due=due,
                                 note=_text(body.get("note")))
    cs._event(case, actor, "request_id", from_state=case.state, to_state=case.state,
              note=f"要求投诉人于 {due:%Y-%m-%d} 前提供身份证明" + (f"：{r.note}" if r.note else ""),
              data={"id_request": r.pk, "due": due.isoformat()})
    return case


@transaction.atomic
def receive_id(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "receive_id")
    r = case.id_requests.filter(received_at__isnull=True).first()
    if r is None:
        raise WrongState("没有待收取的身份证明要求。", state=case.state)
    r.received_at = timeutil.now()
    r.save(update_fields=["received_at"])
    late = timeutil.today() > r.due
    cs._event(case, actor, "receive_id", from_state=case.state, to_state=case.state,
              note="已收到投诉人身份证明" + ("（逾期提供）" if late else "") + (f"：{_text(body.get('note'))}"
                                                                         if body.get("note") else ""),
              data={"id_request": r.pk, "late": late})
    return case


# The clocks of notices to named people, met by send_notice (rules 二.2, 二.4).
NOTICE_CLOCKS = ("not_filed_notice", "filed_notice", "not_accepted_notice", "tier_notice")


@transaction.atomic
def send_notice(*, actor: Staff, case_id: int, body: dict) -> Case:
    """告知: the named person is told of a decision, or why mediation did not succeed within the tier period
    (rules 二.2, 二.4), by whoever may see them — 消保股, or the unit holding a complaint — so that the unit
    of a report never needs the reporter's identity. Meets the notices' clocks it names (all open ones by
    default) and, once the item is concluded, the reply of rules 二.4."""
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "send_notice")
    if not sees_identity(actor, case):
        raise NotPermitted("告知具名举报人由消保股办理：承办单位不掌握举报人身份。")
    cs._require(body, "channel", "content")
    channel = _text(body["channel"])
    if channel not in cs.REPLY_CHANNELS:
        raise Invalid([{"field": "channel", "message": "告知方式应为 phone、sms、email、letter 或 internet。"}])
    waiting = list(case.clocks.filter(name__in=NOTICE_CLOCKS, met_on__isnull=True).values_list("name", flat=True))
    notice = _text(body.get("notice"))
    if notice and notice not in waiting:
        raise Invalid([{"field": "notice", "message": f"该件没有待办的“{notice}”告知。"}])
    names = [notice] if notice else waiting
    if not names:
        raise WrongState("该件没有待告知当事人的事项。", state=case.state)
    replied = case.state == State.CONCLUDED and case.clocks.filter(name="reply", met_on__isnull=True).exists()
    clocks.meet(case, *names, *(["reply"] if replied else []))
    cs._event(case, actor, "send_notice", from_state=case.state, to_state=case.state, note=_text(body["content"]),
              data={"notices": names, "channel": channel, "channel_label": cs.REPLY_CHANNELS[channel],
                    **({"reply_met": True} if replied else {})})
    return case


ACTIONS = {
    "send_notice": send_notice,
    "request_id": request_id, "receive_id": receive_id,
    "sign": sign, "record_contact": record_contact, "supervise": supervise,
    "answer_supervision": answer_supervision, "open_consultation": open_consultation, "give_opinion": give_opinion,
    "conclude_consultation": conclude_consultation, "request_visit": request_visit, "record_visit": record_visit,
    "follow_up": follow_up, "reopen": reopen, "split": split, "open_report": open_report,
}

PRECONDITIONS = {
    # The notice goes out from whoever may see the person (rules 二.2), never the unit of a report.
    "send_notice": lambda case, actor: (sees_identity(actor, case)
                                        and case.clocks.filter(name__in=NOTICE_CLOCKS, met_on__isnull=True).exists()),
    "receive_id": lambda case: case.id_requests.filter(received_at__isnull=True).exists(),
    "request_id": lambda case: not case.id_requests.filter(received_at__isnull=True).exists(),
    "answer_supervision": lambda case: case.supervisions.filter(answered_at__isnull=True).exists(),
    "conclude_consultation": lambda case: case.consultations.filter(concluded_at__isnull=True).exists(),
    "sign": lambda case: not case.clocks.filter(name="sign_off", met_on__isnull=False).exists(),
    "reopen": lambda case: (last := case.follow_ups.order_by("-at", "-id").first()) is not None
    and last.satisfaction == FollowUp.Satisfaction.DISSATISFIED,
}
