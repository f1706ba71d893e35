"""What a document says: the snapshot taken when it is issued, and the context it is rendered from.

The snapshot (Document.data) is the same for every reader. When a file is rendered for someone who may not
see the complainant's identity (selectors.sees_identity), their name, phone, address and ID are masked.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from xiaobao.cases.lifecycle import TRANSITIONS
from xiaobao.cases.models import Case, Event
from xiaobao.cases.selectors import MASK
from xiaobao.clocks.models import ClockName

from .catalog import Fit, Spec
from .citations import official, official_text

CLOCK_LABELS = dict(ClockName.choices)
PERSON_FIELDS = ("name", "phone", "address", "id_type", "id_number")
# Mobile and fixed-line numbers and 15/18-digit ID numbers, wherever someone typed them into free text.
CONTACT_PATTERN = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{17}[\dXx]|\d{15})(?!\d)")


def cn_date(d: date | datetime | None) -> str:
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = timezone.localdate(d)
    return f"{d.year}年{d.month}月{d.day}日"


def number_for(spec: Spec, year: int, n: int) -> str:
    prefix = getattr(settings, "XIAOBAO_DOCUMENT_PREFIX", "曾市监")
    return f"{prefix}{spec.code}〔{year}〕{n}号"


# ---------------------------------------------------------------- identity


def _complainant(spec: Spec, case: Case) -> dict:
    """What the document may print of the complainant or reporter (catalog module docstring)."""
    person = case.complainant
    blank = dict.fromkeys(PERSON_FIELDS, "")
    if person is None:
        return {**blank, "name": "—", "shown": False, "anonymous": False}
    if person.anonymous:
        return {**blank, "name": "匿名", "shown": False, "anonymous": True}
    if spec.identity == "full":
        return {**{f: getattr(person, f) for f in PERSON_FIELDS}, "shown": True, "anonymous": False}
    if spec.identity == "name" and case.kind != "report":
        return {**blank, "name": person.name, "shown": True, "anonymous": False}
    return {**blank, "shown": False, "anonymous": False}


def _scrub(text: str, case: Case, spec: Spec) -> str:
    """Free text on a document that is not the registration form loses contact details and ID numbers, and
    the person's name too where the document may not print it."""
    if spec.identity == "full" or not text:
        return text
    person = case.complainant
    # The agent (代理人) leads to the person: their phone goes as the person's does, their name with the name.
    hidden = [person.phone, person.id_number, case.agent_phone] if person else [case.agent_phone]
    if not person or spec.identity == "none" or case.kind == "report" or person.anonymous:
        hidden += [person.name, case.agent_name] if person else [case.agent_name]
    for s in filter(None, (x.strip() for x in hidden)):
        text = text.replace(s, MASK)
    return CONTACT_PATTERN.sub(MASK, text)


def addressee(spec: Spec, kind: str, complainant: dict, respondent_name: str) -> str:
    """Whom the document is addressed to, from what it may print."""
    if spec.type in ("registration_form", "non_filing_record", "mediation_agreement"):
        return ""
    if spec.type == "police_referral":
        return ""  # addressed to the police authority (snapshot: "authority")
    if spec.type == "termination_decision":
        # Addressed to both parties, the complainant by name as on the official form (issue 18, point 3).
        named = complainant["name"] if complainant.get("shown") else ""
        return f"投诉人{named}、被投诉人{respondent_name}"
    if kind == "report" or not complainant.get("shown"):
        return "举报人" if kind == "report" else "投诉人"
    return complainant["name"]


# ---------------------------------------------------------------- the snapshot


def _last_events(case: Case, actions: tuple[str, ...]) -> dict[str, Event]:
    return {e.action: e for e in case.events.filter(action__in=actions).order_by("at", "id")}


def _clocks(spec: Spec, case: Case) -> list[dict]:
    """The periods an internal record shows. A document served to a party shows none: the system's clocks,
    their states and the bureau's own time limits are its working, not what the party is told."""
    if spec.recipients:
        return []
    by_name = {c.name: c for c in case.clocks.filter(name__in=spec.clocks)}
    return [{"name": n, "label": CLOCK_LABELS.get(n, n), "start": cn_date(c.start), "due": cn_date(c.due),
             "met_on": cn_date(c.met_on), "basis": official_text(c.basis)}
            for n in spec.clocks if (c := by_name.get(n)) is not None]


def _decision(spec: Spec, case: Case, ev: dict[str, Event], unit: str, respondent: str) -> list[str]:
    received = cn_date(case.received_at)
    number = case.number

    def on(action: str) -> str:
        return cn_date(ev[action].at) if action in ev else ""

    def note(action: str) -> str:
        return ev[action].note if action in ev else ""

    t = spec.type
    if t == "registration_form":
        return []
    if t == "acceptance_notice":
        return [f"你于{received}提出的对{respondent}的投诉（投诉编号：{number}），经审查，符合受理条件。"
                f"本局于{on('accept')}决定予以受理，由{unit}组织调解。",
                "本局将在规定期限内组织调解并终结调解；检验、检测、鉴定、专家评审所需时间不计算在内。"]
    if t == "non_acceptance_notice":
        out = [f"你于{received}提出的对{respondent}的投诉（投诉编号：{number}），经审查，存在下列情形，"
               f"本局于{on('not_accept')}决定不予受理。"]
        if note("not_accept"):
            out.append(f"具体情况：{note('not_accept')}")
        return out
    if t == "mediation_agreement":
        out = [f"投诉人与被投诉人之间的消费纠纷（投诉编号：{number}），经{unit}于{on('mediate')}组织调解，"
               "双方自愿达成如下协议："]
        if note("mediate"):
            out.append(note("mediate"))
        if case.amount_recovered is not None:
            out.append(f"本次调解为消费者挽回经济损失人民币{case.amount_recovered}元。")
        out.append("本调解书经双方当事人签字或者盖章后生效，双方应当自觉履行。")
        return out
    if t == "termination_decision":
        # Mediation ends through `mediate`, or through `terminate_and_refer` for a claim for gain or extortion.
        ended = "terminate_and_refer" if "terminate_and_refer" in ev else "mediate"
        out = [f"本局于{on('accept')}受理的投诉（投诉编号：{number}，被投诉人：{respondent}），在调解过程中"
               f"出现下列情形，本局于{on(ended)}决定终止调解。"]
        if situation := _situation(ev):
            out.append(situation)
        if note(ended):
            out.append(f"具体情况：{note(ended)}")
        out.append("投诉人可以依法通过其他途径解决争议。")
        return out
    if t == "police_referral":
        return _police_referral(case, ev, unit, respondent, on)
    if t == "non_filing_record":
        out = [f"举报件（编号：{number}，被举报人：{respondent}）经{unit}核查，于{on('decline_filing')}"
               "提出不予立案意见。", f"理由：{note('decline_filing')}"]
        if record := (ev["decline_filing"].data.get("record", "") if "decline_filing" in ev else ""):
            out.append(f"核查情况：{record}")
        if case.state == "pending_approval":
            out.append("报请局负责人审批。")
        else:
            out.append(f"经局负责人于{on('approve')}批准，决定不予立案。" + (note("approve") or ""))
            out.append("不予立案的相关情况作此书面记录留存。")
        return out
    if t == "report_result_notice":
        out = [f"你于{received}反映的{respondent}涉嫌违法的举报（编号：{number}），处理结果如下："]
        if case.outcome == "filed":
            # Filed on the head's approval where the rule set asks for it (处罚程序规定第十八条).
            filed_on = on("approve") if "approve" in ev and "file" in ev and ev["approve"].at >= ev["file"].at \
                else on("file")
            out.append(f"经核查，本局已于{filed_on}依法立案调查。")
        elif case.outcome == "not_filed":
            out.append(f"经核查，本局决定不予立案（经局负责人于{on('approve')}批准）。理由：{note('decline_filing')}")
        elif case.outcome == "repeat_not_handled":
            earlier = ev["repeat_report"].data.get("of_number", "") if "repeat_report" in ev else ""
            out.append(f"经审查，你反映的事项与本局已处理完毕的举报（编号：{earlier}）为同一事项，"
                       f"属于重复举报，本局于{on('repeat_report')}决定不再重复处理。")
        else:
            authority = ev["refer_elsewhere"].data.get("authority", "") if "refer_elsewhere" in ev else ""
            out.append(f"该举报事项不属于本局职责范围，请向{authority}反映。")
        out.append("感谢你对市场监管工作的支持。")
        return out
    if t == "referral_notice":
        authority = ev["refer_elsewhere"].data.get("authority", "") if "refer_elsewhere" in ev else ""
        out = [f"你于{received}提出的{case.get_kind_display()}事项（编号：{number}），经审查，不属于本局职责范围。"
               f"请向{authority}反映。"]
        if note("refer_elsewhere"):
            out.append(f"具体情况：{note('refer_elsewhere')}")
        return out
    raise ValueError(t)


def _situation(ev: dict[str, Event]) -> str:
    """The 不予受理 情形 a termination for gain rests on, or what an extortion is, by official title."""
    if "terminate_and_refer" not in ev:
        return ""
    found = ev["terminate_and_refer"].data.get("situation") or {}
    if not found.get("text"):
        return ""
    cited = official_text(found.get("basis", ""))
    return f"经审查，{found['text']}" + (f"（{cited}）。" if cited else "。")


def _factors(case: Case) -> dict:
    """The factors of 生活消费需要 last recorded on the item (xiaobao.mediation.purpose): counts only."""
    line = case.events.filter(action="assess_consumer_purpose").order_by("-at", "-id").first()
    return line.data if line else {}


def _police_referral(case: Case, ev: dict[str, Event], unit: str, respondent: str, on) -> list[str]:
    """涉嫌违法犯罪案件移送书: what was found, the factors weighed, the decision, and the request to the police."""
    ended = ev.get("terminate_and_refer")
    data = ended.data if ended else {}
    what = ("以牟利为目的购买商品、接受服务并以投诉索取赔偿" if data.get("assessment") == "gain"
            else "以投诉相威胁敲诈勒索经营者或者骗取经营者赔偿")
    out = [f"本局{unit}在办理对{respondent}的投诉（投诉编号：{case.number}，{cn_date(case.received_at)}接收）过程中，"
           f"发现投诉人涉嫌{what}。本局已于{on('terminate_and_refer')}依法终止调解。"]
    if situation := _situation(ev):
        out.append(situation)
    factors = _factors(case)
    if factors:
        goods = f"购买{factors['goods']}，" if factors.get("goods") else ""
        line = (f"经查：投诉人{goods}购买数量{factors.get('quantity')}，{factors.get('period_days')}日内购买"
                f"{factors.get('purchases')}次")
        if factors.get("earlier_claims") is not None:
            line += (f"；此前在本局共提出投诉{factors['earlier_claims']}件，其中近一年"
                     f"{factors.get('earlier_claims_last_year')}件")
        out.append(line + "。")
    if ended and ended.note:
        out.append(f"具体情况：{ended.note}")
    out.append("根据《中华人民共和国行政处罚法》第二十七条和《行政执法机关移送涉嫌犯罪案件的规定》第三条的规定，"
               "现将该案移送你局，请依法处理，并将处理结果书面告知本局。")
    out.append("附件：投诉登记材料、调解记录及相关证据材料。")
    return out


def _basis(spec: Spec, case: Case, ev: dict[str, Event], ground: dict | None) -> list[str]:
    """The laws the decision rests on, by official title: the actions' and the ground's articles, then the
    national rules of the item's rule set (its basis names them after the bureau's own rules)."""
    lines = [c for a in spec.decided_by if a in ev and a in TRANSITIONS for c in official(TRANSITIONS[a].basis)]
    if ground:
        lines += official(ground["basis"])
    lines += official(case.rule_set.basis)
    return list(dict.fromkeys(x for x in lines if x))


def snapshot(*, spec: Spec, fit: Fit, case: Case, number: str, issued_at: datetime) -> dict:
    ev = _last_events(case, spec.decided_by)
    ground = None
    if spec.ground_outcome and case.ground:
        found = case.rule_set.ground(spec.ground_outcome, case.ground)
        if found:
            ground = {"code": found["code"], "text": found["text"], "basis": official_text(found["basis"])}
    respondent = case.respondent
    resp = {"name": respondent.name, "address": respondent.address, "credit_code": respondent.credit_code,
            "contact_person": respondent.contact_person} if respondent else {
        "name": "—", "address": "", "credit_code": "", "contact_person": ""}
    complainant = _complainant(spec, case)
    unit = case.unit.name if case.unit else ""
    title = fit.title or spec.title
    if spec.type == "registration_form":
        title = f"{case.get_kind_display()}登记表"
    decision = [_scrub(p, case, spec) for p in _decision(spec, case, ev, unit, resp["name"])]
    return {
        "type": spec.type, "title": title, "number": number, "date": cn_date(issued_at),
        "issued_at": issued_at.isoformat(), "bureau_name": settings.XIAOBAO_BUREAU_NAME, "unit": unit,
        "state": case.state, "outcome": case.outcome,
        "case": {
            "number": case.number, "kind": case.kind, "kind_label": case.get_kind_display(),
            "channel_label": case.get_channel_display(), "received": cn_date(case.received_at),
            "facts": _scrub(case.facts, case, spec), "demand": _scrub(case.demand, case, spec),
            "amount": f"{case.amount}元" if case.amount is not None else "",
            "state_label": case.get_state_display(), "outcome_label": case.get_outcome_display() or "",
        },
        "complainant": complainant, "respondent": resp,
        "addressee": addressee(spec, case.kind, complainant, resp["name"]),
        "decision": decision, "ground": ground, "basis": _basis(spec, case, ev, ground),
        "clocks": _clocks(spec, case),
        **({"authority": ev["terminate_and_refer"].data.get("authority", "")}
           if spec.type == "police_referral" and "terminate_and_refer" in ev else {}),
    }


def for_reader(spec: Spec, data: dict, *, identity_visible: bool) -> tuple[dict, bool]:
    """The render context for one reader, and whether it shows personal data."""
    context = {**data}
    person = data["complainant"]
    if not person.get("shown"):
        return context, False
    if identity_visible:
        return context, True
    masked = {**person, **{f: MASK for f in PERSON_FIELDS if person.get(f)}, "shown": False}
    context["complainant"] = masked
    context["addressee"] = addressee(spec, data["case"]["kind"], masked, data["respondent"]["name"])
    return context, False
