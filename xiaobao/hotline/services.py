"""The 12345 hotline bridge (DOMAIN.md "The 12345 hotline and answering back to 12315"; API-v1.md "12345
hotline work orders").

An order comes in as an item (channel `hotline`, external_id = order number, kind from its category) with
the hotline's sign and finish deadlines as two clocks beside the legal ones; routing and everything after it
are the item's ordinary lifecycle. This module adds the hotline's own steps as actions registered with the
spine (退单, 延期申请, the hotline's answer to it, its 回访 result) and hears every timeline line
(`on_event`): a hotline item's sign, return, extension request and reply become outbox rows in the same
transaction, for a connector to read with a cursor.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from xiaobao.cases import services as cs
from xiaobao.cases.bodies import errors_of
from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.cases.lifecycle import ALL_KINDS, UNIT_STAFF, Transition
from xiaobao.cases.models import Case, Channel, Event, Kind, Outcome, State
from xiaobao.clocks import services as clocks
from xiaobao.clocks.models import Clock
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff

from .bodies import VisitBody
from .models import Extension, Holding, Order, OutboxEntry, OutboxLock, Visit

HOTLINE = Channel.HOTLINE
# 投诉 → complaint, 举报 → report, the others (咨询, 求助, 建议) → inquiry (API-v1.md).
KIND_OF_CATEGORY = {"投诉": Kind.COMPLAINT, "举报": Kind.REPORT, "咨询": Kind.INQUIRY, "求助": Kind.INQUIRY,
                    "建议": Kind.INQUIRY}
BASIS = "12345 工单时限（国办发〔2020〕53号；派单要求）"
ORDER_FIELDS = {
    "order_no": "工单编号", "received_at": "派单时间", "category": "工单类别", "title": "标题", "content": "工单内容",
    "requester": "来电人", "respondent": "被反映对象", "sign_due": "签收时限", "finish_due": "办结时限",
}


def _text(v) -> str:
    return str(v).strip() if v is not None else ""


def is_hotline(case: Case) -> bool:
    """An item that came in as a work order (an item merely registered with the channel has no order)."""
    return case.channel == HOTLINE and Order.objects.filter(case_id=case.pk).exists()


def order_of(case: Case) -> Order | None:
    return Order.objects.filter(case_id=case.pk).first()


# ---------------------------------------------------------------- orders in


def _date(value) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None


def _order_errors(data: dict, zone=None) -> tuple[list[dict], dict]:
    """Every missing or bad field of the order itself, named in the order's terms, and the parsed values (`zone`:
    the current time zone, looked up once by a caller that checks many orders)."""
    zone = zone or timezone.get_current_timezone()
    errors: list[dict] = []
    parsed: dict = {}
    for field, label in ORDER_FIELDS.items():
        if field in ("requester", "respondent"):
            continue  # what of the people the kind needs is named by the item's rule set (register_case)
        value = data.get(field)
        if value is None or (isinstance(value, str) and not value.strip()) or value == {}:
            errors.append({"field": field, "message": f"请填写{label}。"})
    for field in ("order_no", "category", "title", "content", "demand"):
        if data.get(field) is not None and not isinstance(data.get(field), (str, int)):
            errors.append({"field": field, "message": f"{ORDER_FIELDS.get(field, '诉求')}应为文字。"})
    if _text(data.get("category")) and _text(data.get("category")) not in KIND_OF_CATEGORY:
        errors.append({"field": "category", "message": "工单类别应为 投诉、举报、咨询、求助 或 建议。"})
    for field in ("requester", "respondent"):
        if data.get(field) is not None and not isinstance(data.get(field), dict):
            errors.append({"field": field, "message": f"{ORDER_FIELDS[field]}应为对象（name、phone、address）。"})
    if len(_text(data.get("order_no"))) > Order._meta.get_field("order_no").max_length:
        errors.append({"field": "order_no", "message": "工单编号过长。"})
    if len(_text(data.get("title"))) > Order._meta.get_field("title").max_length:
        errors.append({"field": "title", "message": "标题过长（最多 200 个字）。"})
    received = timeutil.parse_moment(data["received_at"], zone) if _text(data.get("received_at")) else None
    if _text(data.get("received_at")) and received is None:
        errors.append({"field": "received_at", "message": "派单时间格式不正确，应为 ISO 8601 时间。"})
    sign_due = timeutil.parse_moment(data["sign_due"], zone) if _text(data.get("sign_due")) else None
    if _text(data.get("sign_due")) and sign_due is None:
        errors.append({"field": "sign_due", "message": "签收时限格式不正确，应为 ISO 8601 时间。"})
    finish_due = _date(data.get("finish_due")) if _text(data.get("finish_due")) else None
    if _text(data.get("finish_due")) and (finish_due is None or not 2000 <= finish_due.year <= 2999):
        errors.append({"field": "finish_due", "message": "办结时限格式不正确，应为 YYYY-MM-DD。"})
        finish_due = None
    if received and sign_due and sign_due < received:
        errors.append({"field": "sign_due", "message": "签收时限不能早于派单时间。"})
    if received and finish_due and finish_due < timezone.localdate(received, zone):
        errors.append({"field": "finish_due", "message": "办结时限不能早于派单日期。"})
    parsed.update(received_at=received, sign_due=sign_due, finish_due=finish_due)
    return errors, parsed


# register_case names fields in the item's terms; the order's sender knows its own.
_ITEM_TO_ORDER = {"facts": "content", "complainant": "requester", "external_id": "order_no"}


def _order_field(field: str) -> str:
    head, _, rest = field.partition(".")
    head = _ITEM_TO_ORDER.get(head, head)
    return f"{head}.{rest}" if rest else head


def receive_order(*, actor: Staff, data: dict) -> tuple[Case, bool]:
    """Register a work order as an item. Returns (item, created); the same order number again returns the same
    item. Raises Invalid naming every missing or bad field at once (nothing is stored), NotPermitted for anyone
    but 消保股's dispatchers."""
    if not actor.has_role(Role.DISPATCHER):
        raise NotPermitted("只有消保股分流员可以接收12345工单。")
    order_no = _text(data.get("order_no"))
    if order_no and (existing := Order.objects.filter(order_no=order_no).select_related("case").first()):
        return existing.case, False
    errors, parsed = _order_errors(data)
    category = _text(data.get("category"))
    kind = KIND_OF_CATEGORY.get(category, Kind.INQUIRY)
    requester = data.get("requester") if isinstance(data.get("requester"), dict) else {}
    respondent = data.get("respondent") if isinstance(data.get("respondent"), dict) else {}
    item = {
        "kind": kind, "external_id": order_no, "received_at": parsed["received_at"] or data.get("received_at"),
        "complainant": {k: requester.get(k) for k in ("name", "phone", "address", "anonymous", "wants_reply")
                        if k in requester},
        "respondent": {k: respondent.get(k) for k in ("name", "address", "phone") if k in respondent},
        "facts": _text(data.get("content")),
        # Without a demand the title stands for it (API-v1.md).
        "demand": _text(data.get("demand")) or _text(data.get("title")),
    }
    if not item["respondent"]:
        item["respondent"] = None
    try:
        with transaction.atomic():
            try:
                case, created = cs.register_case(actor=actor, data=item, channel=HOTLINE, shows_registrant=True)
            except Invalid as refused:
                known = {e["field"] for e in errors}
                errors += [{**e, "field": _order_field(e["field"])} for e in refused.errors
                           if _order_field(e["field"]) not in known and e["field"] != "demand"]
                raise Invalid(errors) from None
            if errors:
                raise Invalid(errors)  # rolls the registration back: nothing is stored
            if not created:
                return case, False
            order = Order.objects.create(
                case=case, order_no=order_no, category=category, title=_text(data.get("title")),
                received_at=parsed["received_at"], sign_due=parsed["sign_due"], finish_due=parsed["finish_due"],
                original_finish_due=parsed["finish_due"])
            _start_clocks(case, order)
    except IntegrityError:
        # The same order sent twice at once: the other request registered it.
        existing = Order.objects.filter(order_no=order_no).select_related("case").first()
        if existing is None:
            raise
        return existing.case, False
    return case, True


def order_clock_values(received_at: datetime, sign_due: datetime, finish_due: date, zone=None) -> list[dict]:
    """The hotline's two deadlines as the fields of their clocks (the bulk import writes them as rows; `zone`:
    the bureau's, looked up once by a caller that computes many)."""
    zone = zone or timezone.get_current_timezone()
    start = received_at.astimezone(zone).date()
    local_sign = sign_due.astimezone(zone)
    sign_day = local_sign.date()
    return [
        {"name": "hotline_sign", "start": start, "length": (sign_day - start).days, "unit": "days", "basis": BASIS,
         "due": sign_day, "explanation": f"12345 工单要求 {local_sign:%Y-%m-%d %H:%M} 前签收"},
        {"name": "hotline_finish", "start": start, "length": (finish_due - start).days, "unit": "days",
         "basis": BASIS, "due": finish_due, "explanation": f"12345 工单要求 {finish_due:%Y-%m-%d} 前办结"},
    ]


def order_clocks(received_at: datetime, sign_due: datetime, finish_due: date) -> list[Clock]:
    """The hotline's two deadlines as clocks (unsaved, without their item), due as the order says."""
    return [Clock(**values) for values in order_clock_values(received_at, sign_due, finish_due)]


def _start_clocks(case: Case, order: Order) -> None:
    """The hotline's two deadlines as clocks beside the legal ones."""
    clocks_ = order_clocks(order.received_at, order.sign_due, order.finish_due)
    for clock in clocks_:
        clock.case = case
    Clock.objects.bulk_create(clocks_)


# ---------------------------------------------------------------- the hotline's own steps (actions)


def _hotline_item(actor: Staff, case_id: int, action: str) -> tuple[Case, Order]:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, action)
    order = order_of(case)
    if order is None:
        raise WrongState("该件不是12345工单。", state=case.state)
    return case, order


@transaction.atomic
def hotline_return(*, actor: Staff, case_id: int, body: dict) -> Case:
    """退单: not our duty, back to the hotline with the reason, before acceptance or verification."""
    case, order = _hotline_item(actor, case_id, "hotline_return")
    cs._require(body, "reason")
    pause = clocks.current_pause(case)
    if pause is not None:
        clocks.close_pause(pause)
    clocks.settle(case)
    cs._move(case, actor, "hotline_return", State.CONCLUDED, note=_text(body["reason"]),
             data={"outcome": Outcome.RETURNED_TO_HOTLINE, "order_no": order.order_no},
             outcome=Outcome.RETURNED_TO_HOTLINE)
    return case


@transaction.atomic
def request_extension(*, actor: Staff, case_id: int, body: dict) -> Case:
    """延期申请: asked before the finish date, for a later date; the hotline answers (extension_result)."""
    case, order = _hotline_item(actor, case_id, "request_extension")
    cs._require(body, "until", "reason")
    until = _date(body.get("until"))
    if until is None:
        raise Invalid([{"field": "until", "message": "延期日期格式应为 YYYY-MM-DD。"}])
    if until <= order.finish_due:
        raise Invalid([{"field": "until", "message": f"延期日期应晚于现在的办结时限 {order.finish_due:%Y-%m-%d}。"}])
    if timeutil.today() > order.finish_due:
        raise WrongState(f"办结时限 {order.finish_due:%Y-%m-%d} 已过，不能再申请延期。", state=case.state)
    if order.extensions.filter(answered_at__isnull=True).exists():
        raise WrongState("已有一项延期申请等待12345答复。", state=case.state)
    ext = Extension.objects.create(order=order, requested_at=timeutil.now(), requested_by=actor, until=until,
                                   reason=_text(body["reason"]))
    cs._event(case, actor, "request_extension", from_state=case.state, to_state=case.state, note=ext.reason,
              data={"until": until.isoformat(), "extension": ext.pk, "order_no": order.order_no})
    return case


@transaction.atomic
def extension_result(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The hotline's answer to the pending extension; only an approved one moves the finish clock."""
    case, order = _hotline_item(actor, case_id, "extension_result")
    approved = body.get("approved")
    if not isinstance(approved, bool):
        raise Invalid([{"field": "approved", "message": "请填写12345是否同意延期（true 或 false）。"}])
    ext = order.extensions.filter(answered_at__isnull=True).first()
    if ext is None:
        raise WrongState("没有等待答复的延期申请。", state=case.state)
    ext.answered_at, ext.approved = timeutil.now(), approved
    ext.save(update_fields=["answered_at", "approved"])
    old = order.finish_due
    if approved:
        order.finish_due = ext.until
        order.save(update_fields=["finish_due"])
        clock = case.clocks.filter(name="hotline_finish").first()
        if clock is not None:
            clock.length, clock.due = (ext.until - clock.start).days, ext.until
            clock.explanation = (f"12345 工单要求 {order.original_finish_due:%Y-%m-%d} 前办结；"
                                 f"经12345同意延期至 {ext.until:%Y-%m-%d}")
            clock.overdue_notified = clock.due_soon_notified = False
            clock.save()
    cs._event(case, actor, "extension_result", from_state=case.state, to_state=case.state,
              note=("12345同意延期至 " if approved else "12345不同意延期至 ") + f"{ext.until:%Y-%m-%d}",
              data={"approved": approved, "until": ext.until.isoformat(), "old_due": old.isoformat(),
                    "extension": ext.pk})
    return case


@transaction.atomic
def hotline_visit(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The hotline's 回访 result: resolved or not, and satisfaction. For complaints and reports it is also the
    item's 回访 (handling's follow_up), and 不满意 reopens it through handling's reopen (重办); an inquiry
    goes back to its unit to be answered again."""
    case, order = _hotline_item(actor, case_id, "hotline_visit")
    # The model the API's document shows (POST /api/v1/hotline/orders/{order_no}/visit and the action).
    if errors := errors_of(VisitBody, body):
        raise Invalid(errors)
    resolved, satisfaction = body["resolved"], _text(body["satisfaction"])
    comment = _text(body.get("comment"))
    visit = Visit.objects.create(order=order, unit=case.unit, at=timeutil.now(), resolved=resolved,
                                 satisfaction=satisfaction, comment=comment)
    label = f"12345回访：{'已解决' if resolved else '未解决'}，{visit.get_satisfaction_display()}"
    dissatisfied = satisfaction == Visit.Satisfaction.DISSATISFIED
    if case.kind == Kind.INQUIRY and dissatisfied:
        cs._move(case, actor, "hotline_visit", State.ASSIGNED, note=label + (f"：{comment}" if comment else ""),
                 data={"resolved": resolved, "satisfaction": satisfaction, "visit": visit.pk, "redo": True,
                       "old_outcome": case.outcome}, outcome=None, concluded_at=None)
        return case
    cs._event(case, actor, "hotline_visit", from_state=case.state, to_state=case.state,
              note=label + (f"：{comment}" if comment else ""),
              data={"resolved": resolved, "satisfaction": satisfaction, "visit": visit.pk})
    if case.kind in (Kind.COMPLAINT, Kind.REPORT):
        from xiaobao.handling import services as handling

        handling.follow_up(actor=actor, case_id=case.pk,
                           body={"resolved": resolved, "satisfaction": satisfaction, "channel": "hotline",
                                 "note": label})
        if dissatisfied:
            handling.reopen(actor=actor, case_id=case.pk,
                            body={"note": "12345回访不满意，重办" + (f"：{comment}" if comment else "")})
    return case


def visit_by_order(*, actor: Staff, order_no: str, body: dict) -> Case:
    """POST /api/v1/hotline/orders/{order_no}/visit: the hotline's 回访 result for an order."""
    if not actor.has_role(Role.DISPATCHER):
        raise NotPermitted("只有消保股分流员可以录入12345回访结果。")
    order = Order.objects.filter(order_no=order_no).first()
    if order is None:
        raise NotFound("未找到该工单。")
    return hotline_visit(actor=actor, case_id=order.case_id, body=body)


def _t(action, label, sources, roles, scope, basis) -> Transition:
    return Transition(action, label, ALL_KINDS, frozenset(sources), frozenset(roles), scope, basis)


# This family's rows of the lifecycle table (cases.lifecycle.Transition), registered by HotlineConfig.ready().
TRANSITIONS = {t.action: t for t in [
    _t("hotline_return", "退单", {"registered", "triage", "assigned"}, {Role.DISPATCHER, *UNIT_STAFF}, "unit",
       "DOMAIN：12345 工单非本单位职责的退单，须在受理或核查前"),
    _t("request_extension", "申请延期", {"assigned", "in_progress"}, UNIT_STAFF, "unit",
       "DOMAIN：12345 工单延期申请，须在办结时限前"),
    _t("extension_result", "延期答复", {"assigned", "in_progress", "concluded"}, {Role.DISPATCHER}, "bureau",
       "DOMAIN：12345 对延期申请的答复"),
    _t("hotline_visit", "12345回访结果", {"concluded"}, {Role.DISPATCHER}, "bureau",
       "DOMAIN：12345 回访（是否解决、满意度），不满意重办"),
]}
ACTIONS = {"hotline_return": hotline_return, "request_extension": request_extension,
           "extension_result": extension_result, "hotline_visit": hotline_visit}
PRECONDITIONS = {
    "hotline_return": is_hotline,
    "request_extension": lambda case: is_hotline(case) and not Extension.objects.filter(
        order__case=case, answered_at__isnull=True).exists(),
    "extension_result": lambda case: is_hotline(case) and Extension.objects.filter(
        order__case=case, answered_at__isnull=True).exists(),
    "hotline_visit": is_hotline,
}


# ---------------------------------------------------------------- what the hotline is told (outbox)


def _append(order: Order, type_: str, event: Event, data: dict) -> OutboxEntry:
    # One appending transaction at a time until it commits, so cursors become visible in order.
    if not list(OutboxLock.objects.select_for_update().filter(pk=1)):
        OutboxLock.objects.get_or_create(pk=1)
        list(OutboxLock.objects.select_for_update().filter(pk=1))
    return OutboxEntry.objects.create(order=order, order_no=order.order_no, type=type_, at=event.at, data=data)


def on_event(event: Event) -> None:
    """Every timeline line, in its transaction: a hotline item's routing (the unit now holding the order),
    sign, return, extension request and reply. Raising here refuses the line's action (rolled back)."""
    case = event.case
    if case.channel != HOTLINE:
        return
    action = event.action
    if action not in ("assign", "approve", "keep", "sign", "hotline_return", "request_extension", "reply"):
        return
    order = order_of(case)
    if order is None:
        return
    if action in ("assign", "approve", "keep"):
        if event.to_state == State.ASSIGNED and case.unit_id:
            Holding.objects.create(order=order, unit_id=case.unit_id, since=event.at)
    elif action == "sign":
        on_time = event.at <= order.sign_due
        holding = order.holdings.filter(unit_id=case.unit_id, signed_at__isnull=True).order_by("-since").first()
        if holding is not None:
            holding.signed_at, holding.signed_on_time = event.at, on_time
            holding.save(update_fields=["signed_at", "signed_on_time"])
        clocks.meet(case, "hotline_sign", on=timezone.localdate(event.at))
        _append(order, "signed", event, {"unit": case.unit.name, "on_time": on_time})
    elif action == "hotline_return":
        _append(order, "returned", event, {"unit": case.unit.name, "reason": event.note})
    elif action == "request_extension":
        _append(order, "extension_requested", event, {"until": event.data.get("until"), "reason": event.note})
    elif action == "reply":
        if case.outcome == Outcome.RETURNED_TO_HOTLINE:
            raise WrongState("该工单已退回12345，不再回复。", state=case.state)
        if case.concluded_at and order.outbox.filter(type="finished", at__gte=case.concluded_at).exists():
            return  # a further reply of the same conclusion (by letter after a call): the hotline has it already
        public_reply = _text(event.data.get("public_reply"))
        if not public_reply:
            raise Invalid([{"field": "public_reply", "message": "请填写公开答复内容（12345工单必填）。"}])
        _append(order, "finished", event, {"result": event.note, "public_reply": public_reply,
                                           "outcome": case.outcome, "unit": case.unit.name if case.unit else ""})


OUTBOX_PAGE = 1000


def outbox_entries(*, actor: Staff, after: int = 0, limit: int = OUTBOX_PAGE) -> list[OutboxEntry]:
    """The outbox after a cursor, in order (dispatchers only)."""
    if not actor.has_role(Role.DISPATCHER):
        raise NotPermitted("只有消保股分流员可以读取12345回传事项。")
    if not 0 <= after < 2**63:
        raise Invalid([{"field": "after", "message": "游标应为非负整数。"}])
    limit = max(1, min(limit, OUTBOX_PAGE))
    rows = list(OutboxEntry.objects.filter(pk__gt=after).order_by("pk")[:limit])
    record(actor=actor, action="read_hotline_outbox", obj="hotline:outbox",
           detail={"after": after, "rows": len(rows), "last": rows[-1].pk if rows else after})
    return rows


def entry_view(e: OutboxEntry) -> dict:
    return {"cursor": e.pk, "order_no": e.order_no, "type": e.type, "at": timezone.localtime(e.at).isoformat(),
            "data": e.data}
