"""Delivering documents to the parties (送达), and the person's consent to electronic delivery (送达地址确认).

A delivery is one attempt by one channel — internet, phone, SMS, e-mail or letter — with its address, the
times it was sent and reached the party, its proof (the message id of an SMS or e-mail the system sent, a
tracking number, a receipt, a returned letter) and its outcome. SMS and e-mail are sent through the
outbound backends (xiaobao.lib.outbound, shared with xiaobao.notify) and succeed or fail at once; a letter is
recorded by hand when posted and its outcome later (delivered, or returned); a failed delivery is followed by
another (retry_of), by another channel or to another address. Only a successful one meets the clock that waits
for it, on the day it reached the party.

Each change writes one timeline line and one audit row (cases.services._event) in its transaction. The address
is the party's personal data: it is kept on the delivery and in the audit row, never on the timeline, and is
shown only to who may see the person (cases.selectors.sees_identity) when the party is the complainant.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.cases.models import Case, Channel, Party, State
from xiaobao.cases.selectors import MASK, get_visible_case, sees_identity
from xiaobao.cases.services import _event, e_delivery_errors, e_delivery_of
from xiaobao.clocks import services as clocks
from xiaobao.lib import outbound, timeutil

from . import content, rendering
from .catalog import SPECS
from .models import ELECTRONIC, Delivery, DeliveryChannel, DeliveryStatus, Document, Recipient
from .services import _check_may_issue, _lock_visible, may_issue

# DOMAIN.md, "The 2026 national rules": notices may be delivered by internet, phone, SMS, e-mail or letter, the
# delivery and its proof recorded; by an electronic channel only to a party who agreed and confirmed the address.
E_DELIVERY_BASIS = "SAMR-2026（总局令第121号）送达：文书可以通过互联网、电话、短信、电子邮件、信函等方式送达，并记录送达情况和凭证"
E_DELIVERY_LAW = "《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）"

# Documents that tell the person how the item ended: delivering one to them is the reply of rules 二.4.
RESULT_NOTICES = frozenset({"non_acceptance_notice", "mediation_agreement", "termination_decision",
                            "report_result_notice", "referral_notice"})
# The clocks that wait for a document to reach the parties named, met on the day the last of them was reached
# by a successful delivery (a failed one keeps them open; API-v1.md "delivery").
WAITING_CLOCKS: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    # SAMR-2019 第二十一条 / SAMR-2026 第二十三条: the 终止调解决定书 is told to the complainant and the respondent.
    "termination_decision": (("termination_notice", frozenset({"complainant", "respondent"})),),
    # SAMR-2019 第十四条 / SAMR-2026 第十五条: 不予受理 is told to the complainant.
    "non_acceptance_notice": (("not_accepted_notice", frozenset({"complainant"})),),
    # SAMR-2019 第三十一条; rules 二.2, 二.4: whether the report was filed is told to the named reporter.
    "report_result_notice": (("filed_notice", frozenset({"complainant"})),
                             ("not_filed_notice", frozenset({"complainant"}))),
}
SENT_BY_SYSTEM = frozenset({DeliveryChannel.SMS, DeliveryChannel.EMAIL})
CHANNEL_WORDS = {"sms": "接收短信的手机号码", "email": "电子邮箱"}


# ---------------------------------------------------------------- reading


def _party(case: Case, recipient: str) -> Party | None:
    return case.complainant if recipient == Recipient.COMPLAINANT else case.respondent


def address_visible(user, case: Case, recipient: str) -> bool:
    """The respondent's addresses are on the item for all who see it; the complainant's only for who sees them."""
    return recipient != Recipient.COMPLAINANT or sees_identity(user, case)


def delivery_view(d: Delivery, *, address_shown: bool = True) -> dict:
    """A delivery as API v1 answers it (the fields of before kept: id, channel, recipient, delivered_at, by, note)."""
    return {"id": d.pk, "document": d.document_id, "channel": d.channel, "channel_label": d.get_channel_display(),
            "recipient": d.recipient, "recipient_label": d.get_recipient_display(),
            "address": (d.address or None) if address_shown else (MASK if d.address else None),
            "proof": d.proof, "message_id": d.message_id or None,
            "succeeded": {"succeeded": True, "failed": False}.get(d.status), "outcome": d.status,
            "outcome_label": d.get_status_display(), "outcome_note": d.outcome_note,
            "sent_at": timezone.localtime(d.sent_at).isoformat() if d.sent_at else None,
            "delivered_at": timezone.localtime(d.delivered_at).isoformat() if d.delivered_at else None,
            "outcome_at": timezone.localtime(d.outcome_at).isoformat() if d.outcome_at else None,
            "retry_of": d.retry_of_id, "by": d.by.username if d.by else None, "note": d.note}


def deliveries_for(user, document: Document) -> list[dict]:
    return [delivery_view(d, address_shown=address_visible(user, document.case, d.recipient))
            for d in document.deliveries.all()]


def consent_view(party: Party | None, *, shown: bool) -> dict | None:
    if party is None:
        return None
    return {"consent": party.e_delivery_consent,
            "phone": (party.e_delivery_phone or None) if shown else (MASK if party.e_delivery_phone else None),
            "email": (party.e_delivery_email or None) if shown else (MASK if party.e_delivery_email else None)}


# ---------------------------------------------------------------- delivering


def _moment(value, field: str, document: Document) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = timeutil.parse_moment(value)
    label = {"delivered_at": "送达时间", "sent_at": "发出时间"}[field]
    if parsed is None:
        raise Invalid([{"field": field, "message": f"{label}格式不正确，应为 ISO 8601。"}])
    if parsed > timeutil.now() + timedelta(minutes=5):
        raise Invalid([{"field": field, "message": f"{label}不能晚于现在。"}])
    if parsed < document.created_at - timedelta(minutes=5):
        raise Invalid([{"field": field, "message": f"{label}不能早于文书制作时间。"}])
    return parsed


def _flag(value, field: str) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes", "on", "succeeded"):
        return True
    if str(value).lower() in ("false", "0", "no", "off", "failed"):
        return False
    raise Invalid([{"field": field, "message": "应为 true 或 false。"}])


def _internet_address(case: Case) -> str:
    if case.channel == Channel.PLATFORM_12315:
        return "全国12315平台"
    return f"{settings.XIAOBAO_BUREAU_NAME}网上投诉举报平台（凭编号和查询码查阅）"


def _address(case: Case, party: Party, channel: str, given: str) -> str:
    """Where the document goes: an electronic one only to the address the party confirmed (送达地址确认)."""
    if channel in SENT_BY_SYSTEM:
        confirmed = party.e_delivery_phone if channel == DeliveryChannel.SMS else party.e_delivery_email
        if not confirmed:
            raise Invalid([{"field": "address", "message": f"受送达人没有确认{CHANNEL_WORDS[channel]}，请改用其他方式送达，"
                                                           "或先记录送达地址确认。"}])
        if given and given != confirmed:
            raise Invalid([{"field": "address", "message": f"电子送达只能发往受送达人确认的{CHANNEL_WORDS[channel]}。"}])
        return confirmed
    if given:
        return given
    if channel == DeliveryChannel.INTERNET:
        return _internet_address(case)
    found = party.phone if channel == DeliveryChannel.PHONE else party.address
    if not found:
        raise Invalid([{"field": "address", "message": "受送达人没有登记" + ("联系电话" if channel == "phone" else "地址")
                                                       + "，请填写送达地址。"}])
    return found


def _message(case: Case, document: Document, party: Party, recipient: str) -> tuple[str, str]:
    """(subject, text) of an SMS or e-mail carrying the document."""
    bureau = settings.XIAOBAO_BUREAU_NAME
    whose = {"complaint": "投诉", "report": "举报", "inquiry": "咨询"}.get(case.kind, "")
    about = f"您的{whose}（编号 {case.number}）" if recipient == Recipient.COMPLAINANT else f"{case.number} 号{whose}件"
    name = party.name if recipient == Recipient.RESPONDENT or not party.anonymous else ""
    subject = f"{document.title}（{document.number}）"
    text = (f"【{bureau}】{name + '：' if name else ''}关于{about}，本局作出的{document.title}（{document.number}）"
            f"现以电子方式向您送达，请查收。如有疑问请联系承办单位。")
    return subject, text


def _send(case: Case, document: Document, party: Party, recipient: str, channel: str, address: str) -> tuple[bool, str, str]:
    """Hand the document to the SMS gateway or the mail server: (sent, message id, why not)."""
    subject, text = _message(case, document, party, recipient)
    try:
        if channel == DeliveryChannel.SMS:
            return True, outbound.send_sms(address, text), ""
        spec = SPECS[document.type]
        context, _ = content.for_reader(spec, document.data, identity_visible=True)
        pdf = rendering.render(context, "pdf")
        body = text + "\n\n文书全文见附件（PDF）。"
        return True, outbound.send_email(address, subject, body,
                                         [(f"{document.title}-{document.number}.pdf", pdf, "application/pdf")]), ""
    except Exception as exc:
        return False, "", f"发送失败：{type(exc).__name__}: {exc}"[:250]


def _retry_of(document: Document, recipient: str, value) -> Delivery | None:
    """The failed delivery this one follows: the one named, or the latest failed one not yet followed."""
    failed = document.deliveries.filter(recipient=recipient, status=DeliveryStatus.FAILED)
    if value in (None, ""):
        return failed.filter(retries__isnull=True).order_by("-id").first()
    try:
        found = failed.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Invalid([{"field": "retry_of", "message": "只能对本文书向同一受送达人未送达的记录重新送达。"}])
    return found


@transaction.atomic
def deliver_document(*, actor, document_id: int, body: dict) -> Delivery:
    """Record (and for SMS and e-mail, make) one delivery of a document to a party.

    Body (API-v1.md): recipient, channel, address, proof, succeeded; note, delivered_at (as before); sent_at,
    send (SMS and e-mail: whether the system sends it; by default when neither proof nor succeeded is given),
    pending (a letter posted, its receipt or return recorded later: record_outcome), retry_of. Without succeeded
    a delivery recorded by hand succeeded, as the endpoint always recorded it."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound("未找到该文书，或您无权查看。")
    case = _lock_visible(actor, document.case_id)
    _check_may_issue(actor, case)
    spec = SPECS[document.type]
    if not spec.recipients:
        raise WrongState(f"{document.title}是内部留存文书，不需送达。", state=case.state)
    if case.state == State.ARCHIVED:
        raise WrongState("该件已归档，不能再记录送达。", state=case.state)
    channel, recipient = str(body.get("channel") or ""), str(body.get("recipient") or "")
    errors = []
    if channel not in DeliveryChannel.values:
        errors.append({"field": "channel", "message": "送达方式应为 internet、phone、sms、email 或 letter。"})
    if recipient not in spec.recipients:
        names = "、".join(Recipient(r).label + f"（{r}）" for r in sorted(spec.recipients))
        errors.append({"field": "recipient", "message": f"{document.title}的受送达人应为{names}。"})
    elif recipient == Recipient.COMPLAINANT and (case.complainant is None or case.complainant.anonymous):
        errors.append({"field": "recipient", "message": "匿名举报人没有留下联系方式，无法送达。"})
    elif _party(case, recipient) is None:
        errors.append({"field": "recipient", "message": "该件没有登记被投诉举报人，无法送达。"})
    if errors:
        raise Invalid(errors)
    party = _party(case, recipient)
    if channel in ELECTRONIC and party.e_delivery_consent is not True:
        # SAMR-2026 (总局令第121号) delivery: electronic delivery only with the party's consent.
        raise WrongState(f"{Recipient(recipient).label}未同意电子送达，不能以{DeliveryChannel(channel).label}送达"
                         f"（依据{E_DELIVERY_LAW}关于送达的规定：以电子方式送达须经受送达人同意并确认送达地址）。"
                         "请改用电话或信函送达，或先记录其送达地址确认。", state=case.state)
    given = str(body.get("address") or "").strip()
    proof = str(body.get("proof") or "").strip()
    note = str(body.get("note") or "").strip()
    too_long = [{"field": f, "message": f"内容过长（最多 {n} 个字）。"}
                for f, v, n in (("address", given, 254), ("proof", proof, 250)) if len(v) > n]
    if too_long:
        raise Invalid(too_long)
    pending = _flag(body.get("pending"), "pending") or body.get("succeeded") == "pending"
    succeeded = None if pending else _flag(body.get("succeeded"), "succeeded")
    if pending and channel != DeliveryChannel.LETTER:
        raise Invalid([{"field": "pending", "message": "只有信函可以先记录寄出、以后再记录签收或退回。"}])
    send = _flag(body.get("send"), "send")
    if send is None:
        send = channel in SENT_BY_SYSTEM and not proof and succeeded is None
    if send and channel not in SENT_BY_SYSTEM:
        raise Invalid([{"field": "send", "message": "只有短信和电子邮件由系统发送。"}])
    address = _address(case, party, channel, given)
    retry_of = _retry_of(document, recipient, body.get("retry_of"))
    delivered_at = _moment(body.get("delivered_at"), "delivered_at", document)
    sent_at = _moment(body.get("sent_at"), "sent_at", document)
    now = timeutil.now()
    message_id, outcome_note = "", ""
    if send:
        sent_at = now
        ok, message_id, outcome_note = _send(case, document, party, recipient, channel, address)
        status = DeliveryStatus.SUCCEEDED if ok else DeliveryStatus.FAILED
        delivered_at = now if ok else None
        proof = proof or (f"消息编号 {message_id}" if ok else "")
    else:
        if pending:
            status = DeliveryStatus.PENDING
        else:  # without succeeded a delivery is recorded as made, as the endpoint always did
            status = DeliveryStatus.FAILED if succeeded is False else DeliveryStatus.SUCCEEDED
        sent_at = sent_at or (min(delivered_at, now) if delivered_at else now)
        delivered_at = (delivered_at or sent_at) if status == DeliveryStatus.SUCCEEDED else None
        if delivered_at and delivered_at < sent_at:
            raise Invalid([{"field": "delivered_at", "message": "送达时间不能早于发出时间。"}])
    delivery = Delivery.objects.create(
        document=document, channel=channel, recipient=recipient, status=status, sent_at=sent_at,
        delivered_at=delivered_at, address=address, proof=proof, message_id=message_id, outcome_note=outcome_note,
        outcome_at=now if status != DeliveryStatus.PENDING else None, retry_of=retry_of, by=actor, note=note)
    met = _meet_waiting(case, document, delivery) if status == DeliveryStatus.SUCCEEDED else {}
    head = f"{document.title} {document.number} 以{delivery.get_channel_display()}送达{delivery.get_recipient_display()}"
    if retry_of is not None:
        head = f"（原{retry_of.get_channel_display()}送达未成功，改用{delivery.get_channel_display()}）" + head
    tail = {DeliveryStatus.SUCCEEDED: f"，已送达（{timezone.localtime(delivered_at):%Y-%m-%d %H:%M}）" if delivered_at else "，已送达",
            DeliveryStatus.FAILED: "，未送达" + (f"（{outcome_note}）" if outcome_note else ""),
            DeliveryStatus.PENDING: "，已寄出，待确认签收"}[status]
    _event(case, actor, "deliver_document", from_state=case.state, to_state=case.state,
           note=head + tail + (f"；凭证：{proof}" if proof and channel != DeliveryChannel.PHONE else "")
           + (f"：{note}" if note else ""),
           data={"document": document.pk, "type": document.type, "number": document.number, "channel": channel,
                 "recipient": recipient, "delivery": delivery.pk, "outcome": status,
                 "sent_at": timezone.localtime(sent_at).isoformat(),
                 "delivered_at": timezone.localtime(delivered_at).isoformat() if delivered_at else None,
                 # when it happened, beside the line's own time (the time it was recorded)
                 "occurred_at": timezone.localtime(delivered_at or sent_at).isoformat(),
                 **({"message_id": message_id} if message_id else {}),
                 **({"retry_of": retry_of.pk} if retry_of else {}), **met},
           audit_extra={"address": address},
           # a delivery entered after the fact shows when it happened beside when it was entered (issue 18.6)
           occurred_at=(delivered_at or sent_at) if body.get("delivered_at") or body.get("sent_at") else None)
    return delivery


@transaction.atomic
def record_outcome(*, actor, delivery_id: int, body: dict) -> Delivery:
    """The outcome of a pending delivery (a letter): delivered (签收, with the day) or returned (退回, why)."""
    delivery = Delivery.objects.select_related("document").filter(pk=delivery_id).first()
    if delivery is None or get_visible_case(actor, delivery.document.case_id) is None:
        raise NotFound("未找到该送达记录，或您无权查看。")
    case = _lock_visible(actor, delivery.document.case_id)
    _check_may_issue(actor, case)
    delivery = Delivery.objects.select_for_update().select_related("document").get(pk=delivery.pk)
    document = delivery.document
    if case.state == State.ARCHIVED:
        raise WrongState("该件已归档，不能再记录送达。", state=case.state)
    if delivery.status != DeliveryStatus.PENDING:
        raise WrongState(f"该送达已有结果（{delivery.get_status_display()}），不能再次记录。", state=case.state)
    succeeded = _flag(body.get("succeeded"), "succeeded")
    if succeeded is None:
        raise Invalid([{"field": "succeeded", "message": "请选择送达结果：已送达（签收）或未送达（退回）。"}])
    note = str(body.get("proof") or body.get("note") or "").strip()
    if len(note) > 250:
        raise Invalid([{"field": "proof", "message": "内容过长（最多 250 个字）。"}])
    if not succeeded and not note:
        raise Invalid([{"field": "proof", "message": "请填写退回原因（如查无此人、拒收）。"}])
    now = timeutil.now()
    at = _moment(body.get("delivered_at"), "delivered_at", document) if succeeded else None
    if succeeded:
        at = at or now
        if delivery.sent_at and at < delivery.sent_at:
            raise Invalid([{"field": "delivered_at", "message": "送达时间不能早于发出时间。"}])
    delivery.status = DeliveryStatus.SUCCEEDED if succeeded else DeliveryStatus.FAILED
    delivery.delivered_at, delivery.outcome_note, delivery.outcome_at = at, note, now
    delivery.save(update_fields=["status", "delivered_at", "outcome_note", "outcome_at"])
    met = _meet_waiting(case, document, delivery) if succeeded else {}
    what = (f"已送达（{timezone.localtime(at):%Y-%m-%d %H:%M}）" if succeeded else "被退回，未送达")
    _event(case, actor, "delivery_outcome", from_state=case.state, to_state=case.state,
           note=f"{document.title} {document.number} 以{delivery.get_channel_display()}送达"
                f"{delivery.get_recipient_display()}：{what}" + (f"（{note}）" if note else ""),
           data={"document": document.pk, "type": document.type, "number": document.number,
                 "channel": delivery.channel, "recipient": delivery.recipient, "delivery": delivery.pk,
                 "outcome": delivery.status,
                 "delivered_at": timezone.localtime(at).isoformat() if at else None,
                 "occurred_at": timezone.localtime(at or now).isoformat(), **met},
           audit_extra={"address": delivery.address}, occurred_at=at if body.get("delivered_at") else None)
    return delivery


def _meet_waiting(case: Case, document: Document, delivery: Delivery) -> dict:
    """Meet the clocks that waited for this document to reach its parties, on the day the last of them was
    reached; a result notice reaching the complainant is also the reply of rules 二.4."""
    out: dict = {}
    reached = Delivery.objects.filter(document__case=case, document__type=document.type,
                                      status=DeliveryStatus.SUCCEEDED)
    first: dict[str, datetime] = {}
    for recipient, at in reached.values_list("recipient", "delivered_at"):
        if at is not None and (recipient not in first or at < first[recipient]):
            first[recipient] = at
    for name, parties in WAITING_CLOCKS.get(document.type, ()):
        if not parties <= set(first) or not case.clocks.filter(name=name, met_on__isnull=True).exists():
            continue
        clocks.meet(case, name, on=timezone.localdate(max(first[p] for p in parties)))
        out["clock_met"] = name
    if delivery.recipient == Recipient.COMPLAINANT and document.type in RESULT_NOTICES \
            and case.clocks.filter(name="reply", met_on__isnull=True).exists():
        clocks.meet(case, "reply", on=timezone.localdate(delivery.delivered_at))
        out["reply_met"] = True
    return out


# ---------------------------------------------------------------- consent recorded after registration


@transaction.atomic
def confirm_address(*, actor, case_id: int, body: dict) -> Party:
    """送达地址确认 after registration: a party agrees (or no longer agrees) to electronic delivery and confirms
    the addresses. The complainant's only by who may see them; the respondent's by who issues documents."""
    case = _lock_visible(actor, case_id)
    _check_may_issue(actor, case)
    if case.state == State.ARCHIVED:
        raise WrongState("该件已归档，不能再修改送达地址确认。", state=case.state)
    recipient = str(body.get("recipient") or "")
    if recipient not in Recipient.values:
        raise Invalid([{"field": "recipient", "message": "受送达人应为 complainant 或 respondent。"}])
    party = _party(case, recipient)
    if party is None or (recipient == Recipient.COMPLAINANT and party.anonymous):
        raise Invalid([{"field": "recipient", "message": "该件没有可以送达的" + Recipient(recipient).label + "。"}])
    if recipient == Recipient.COMPLAINANT and not sees_identity(actor, case):
        raise NotPermitted("投诉举报人的送达地址由能查看其身份的工作人员确认。")
    consent = _flag(body.get("e_delivery_consent"), "e_delivery_consent")
    if consent is None:
        raise Invalid([{"field": "e_delivery_consent", "message": "请选择是否同意电子送达。"}])
    d = {"e_delivery_consent": consent, "e_delivery_phone": body.get("e_delivery_phone"),
         "e_delivery_email": body.get("e_delivery_email"), "phone": party.phone}
    if errors := e_delivery_errors("", d):
        raise Invalid([{**e, "field": e["field"].lstrip(".")} for e in errors])
    party.e_delivery_consent, party.e_delivery_phone, party.e_delivery_email = e_delivery_of(d)
    party.save(update_fields=["e_delivery_consent", "e_delivery_phone", "e_delivery_email"])
    _event(case, actor, "confirm_delivery_address", from_state=case.state, to_state=case.state,
           note=f"{Recipient(recipient).label}" + ("同意电子送达并确认送达地址" if consent else "不同意电子送达"),
           data={"recipient": recipient, "e_delivery_consent": consent},
           audit_extra={"e_delivery_phone": party.e_delivery_phone, "e_delivery_email": party.e_delivery_email})
    return party


__all__ = ["E_DELIVERY_BASIS", "address_visible", "confirm_address", "consent_view", "deliver_document",
           "deliveries_for", "delivery_view", "may_issue", "record_outcome"]
