"""Every change to an item goes through these functions (one per lifecycle transition).

Each checks role, unit and state, locks the row, changes it, writes one timeline event and one audit row in
the same transaction, and starts, meets or recomputes the item's clocks.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from xiaobao.clocks import services as clocks
from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.models import Clock, PausePayer, PauseReason
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.rules.models import Category
from xiaobao.units.models import Role, Staff, Unit

from . import actions, bodies, fastpath, numbering, reference
from .errors import Invalid, NotFound, NotPermitted, WrongState
from .lifecycle import TRANSITIONS, Transition
from .models import ROUTING_ACTIONS, Case, Channel, Event, Kind, Outcome, Party, State, Tier
from .selectors import get_visible_case, identity_fields, may_register, sees_identity

NUMBER_PREFIX = {"complaint": "TS", "report": "JB", "inquiry": "ZX"}
PAUSE_REASONS = set(bodies.PAUSE_REASONS)
REPLY_CHANNELS = dict(zip(bodies.REPLY_CHANNELS, ("电话", "短信", "电子邮件", "信函", "互联网"), strict=True))
CHECK_STATES = dict(State.choices)


# ---------------------------------------------------------------- helpers


def office_unit() -> Unit:
    return reference.office_unit()


def next_number(key: str, year: int) -> int:
    """The next number of a per-year sequence, safe under concurrent writers (cases/numbering.py: one
    UPDATE … RETURNING whose lock is held until the caller's transaction ends)."""
    return numbering.reserve(key, year, 1)[0]


def _event(case: Case, actor: Staff | None, action: str, *, from_state: str = "", to_state: str = "",
           note: str = "", data: dict | None = None, audit_extra: dict | None = None,
           notifies: bool = True, at: datetime | None = None, occurred_at: datetime | None = None) -> Event:
    """One timeline line, entered now (or at `at`); `occurred_at`: when the recorded fact happened, where the
    user said (record actions, deliveries), kept beside the time of entry."""
    event = Event.objects.create(case=case, at=at or timeutil.now(), occurred_at=occurred_at, actor=actor,
                                 action=action, from_state=from_state, to_state=to_state, note=note,
                                 data=data or {})
    _audit_event(case, event, audit_extra)
    if notifies:
        actions.event_written(event)
    return event


def _audit_event(case: Case, event: Event, audit_extra: dict | None = None) -> None:
    """The audit row of a timeline line: who, what, the states, the note and the line's data."""
    record(actor=event.actor, action=event.action, obj=f"case:{case.pk}", case_id=case.pk,
           detail={"from": event.from_state, "to": event.to_state, "note": event.note, **event.data,
                   **(audit_extra or {})})


def _lock(actor: Staff, case_id: int) -> Case:
    """The item, row-locked, if the actor may see it; 404 otherwise (existence is not disclosed)."""
    if get_visible_case(actor, case_id) is None:
        raise NotFound("未找到该件，或您无权查看。")
    return Case.objects.select_for_update(of=("self",)).select_related("rule_set", "complainant", "unit").get(pk=case_id)


def allowed(actor: Staff, case: Case, t: Transition) -> bool:
    """Role and unit check only (the state is checked separately, for a 409)."""
    if case.kind not in t.kinds or not actor.has_role(*t.roles):
        return False
    if t.scope == "bureau":
        return True
    if t.scope == "invited":
        return actor.unit_id is not None and case.consultations.filter(
            concluded_at__isnull=True, invited=actor.unit_id).exists()
    bureau_roles = {r for r in t.roles if r in (Role.DISPATCHER,)}
    if bureau_roles and actor.has_role(*bureau_roles):
        return True
    return actor.unit_id is not None and actor.unit_id == case.unit_id


def available_actions(actor: Staff, case: Case) -> list[Transition]:
    """Actions the user may take on the item now (the buttons on the item's page)."""
    hold = actions.held(case)
    out = []
    for t in TRANSITIONS.values():
        if case.state not in t.sources or not allowed(actor, case, t):
            continue
        if hold is not None and t.action not in hold.allows:
            continue
        if t.action in ("approve", "reject_approval") and not _may_decide_approval(actor, case):
            continue
        if not actions.offered(t.action, case, actor):
            continue
        out.append(t)
    return out


# What must already be true of an item for an action to make sense, beyond its state (the service
# function refuses the rest with 409; these keep useless buttons off the page).
PRECONDITIONS = {
    "pause": lambda case: clocks.current_pause(case) is None,
    "resume": lambda case: clocks.current_pause(case) is not None,
    "reply": lambda case: case.clocks.filter(name="reply").exists(),
}


def _may_decide_approval(actor: Staff, case: Case) -> bool:
    """Whether the actor holds the role the item's rule set names for the approval asked (never from code)."""
    role = case.rule_set.approver_role(case.approval_kind)
    return bool(role) and actor.has_role(role)


def _approver_label(case: Case) -> str:
    role = case.rule_set.approver_role(case.approval_kind)
    return Role(role).label if role in Role.values else "规则集指定的审批人"


def _check(actor: Staff, case: Case, action: str) -> Transition:
    t = TRANSITIONS[action]
    if not actor.has_role(*t.roles):
        raise NotPermitted(f"您的角色不能执行“{t.label}”。")
    if case.kind not in t.kinds:
        raise WrongState(f"{case.get_kind_display()}件不能执行“{t.label}”。", state=case.state)
    if not allowed(actor, case, t):
        raise NotPermitted(f"您的角色或单位不能对该件执行“{t.label}”。")
    if (hold := actions.held(case)) is not None and action not in hold.allows:
        raise WrongState(hold.message, state=case.state)
    if case.state not in t.sources:
        raise WrongState(f"该件当前状态为“{CHECK_STATES[case.state]}”，不能执行“{t.label}”。", state=case.state)
    return t


# Records of facts: they say when the fact happened (`occurred_at`), which may be before it is entered; every
# other action is a decision, timed by the server (API-v1.md "Law enforced on actions").
RECORD_ACTIONS = frozenset({"record_contact", "record_session", "pause", "resume", "record_visit", "follow_up"})
# Moments a little ahead of the server's clock are the user's clock, not the future (as for received_at).
CLOCK_SKEW = timedelta(minutes=5)


def occurred_at(case: Case, body: dict, action: str, *, field: str = "occurred_at",
                label: str = "发生时间") -> datetime | None:
    """When the fact the action records happened, if the body says (ISO 8601; naive means Beijing time), else
    None (it happens now). Not in the future, not before the item was received, and for a pause or a resume not
    before the latest line of the item's timeline (what it happened after): each → 422 naming the field."""
    raw = body.get(field)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    moment = timeutil.parse_moment(raw)
    if moment is None:
        raise Invalid([{"field": field, "message": f"{label}格式不正确，应为 ISO 8601 时间，如 2026-03-02T14:00:00+08:00。"}])
    if moment > timeutil.now() + CLOCK_SKEW:
        raise Invalid([{"field": field, "message": f"{label}不能晚于现在（先发生，后记录）。"}])
    if moment < case.received_at:
        received = timezone.localtime(case.received_at)
        raise Invalid([{"field": field, "message": f"{label}不能早于该件的接收时间 {received:%Y-%m-%d %H:%M}。"}])
    if action in ("pause", "resume"):
        latest = case.events.aggregate(latest=Max(Coalesce("occurred_at", "at")))["latest"]
        if latest is not None and moment < latest:
            raise Invalid([{"field": field, "message": f"{label}不能早于办理记录的上一条（{timezone.localtime(latest):%Y-%m-%d %H:%M}）："
                                                       "中止和恢复计时只能按顺序补记。"}])
    return moment


def refuse_occurred_at(action: str, body: dict) -> None:
    """A decision takes no `occurred_at`: it is timed by the server (API-v1.md "Law enforced on actions")."""
    if action not in RECORD_ACTIONS and str(body.get("occurred_at") or "").strip():
        label = TRANSITIONS[action].label if action in TRANSITIONS else action
        raise Invalid([{"field": "occurred_at",
                        "message": f"“{label}”以系统记录的时间为准，不能填写发生时间；只有记录事实的操作"
                                   "（联系、调解、中止或恢复计时、现场处置、回访）可以补记发生时间。"}])


def _require(body: dict, *fields: str) -> None:
    errors = [{"field": f, "message": bodies.required_message(f)} for f in fields
              if not str(body.get(f) or "").strip()]
    if errors:
        raise Invalid(errors)


def _move(case: Case, actor: Staff, action: str, to: str, *, note: str = "", data: dict | None = None,
          **changes: Any) -> None:
    before = case.state
    at = timeutil.now()
    case.state = to
    for k, v in changes.items():
        setattr(case, k, v)
    if to == State.CONCLUDED and case.concluded_at is None:
        case.concluded_at = at
    if action in ROUTING_ACTIONS and to == State.ASSIGNED and case.routed_at is None:
        case.routed_at = at  # the first routing, at the time its timeline line bears (Case.routed_at)
    case.save()
    _waiting_clocks(case, before, to)
    _event(case, actor, action, from_state=before, to_state=to, note=note, data=data, at=at)


def received_on(case: Case):
    """The day the item reached the bureau (its time of receipt, in the bureau's zone)."""
    return timezone.localdate(case.received_at)


def _waiting_clocks(case: Case, before: str, to: str) -> None:
    """The clocks that run while the item waits for the bureau itself (issue 17, point 6), kept by the one
    function every transition goes through:
    - routing (rules 二.1): from the day the item enters triage until it leaves it;
    - approval (rules 二.1(2), 二.2): each request for an approval, from the day it is asked until decided.
    (The national acceptance period starts with the registration: clocks.services.AT_RECEIPT.)"""
    if before == to:
        return
    if before == State.TRIAGE:
        clocks.meet(case, "routing")
    if before == State.PENDING_APPROVAL:
        clocks.meet(case, "approval")
    if to == State.CONCLUDED:
        return
    if to == State.TRIAGE:
        clocks.start(case, "routing", restart=True)
    elif to == State.PENDING_APPROVAL:
        clocks.start(case, "approval", restart=True)


def _conclude(case: Case, actor: Staff, action: str, outcome: str, *, note: str = "", data: dict | None = None,
              **changes: Any) -> None:
    clocks.settle(case)
    _move(case, actor, action, State.CONCLUDED, note=note, data={"outcome": outcome, **(data or {})},
          outcome=outcome, **changes)
    person = case.complainant
    # rules 二.4: a person who left contact details and asked for a reply gets one within 3 working days.
    if person and person.wants_reply and not person.anonymous and (person.phone or person.address):
        clocks.start(case, "reply")


def named_person(case: Case) -> bool:
    """Whether the item has a complainant or reporter who gave their name and a way to reach them."""
    person = case.complainant
    return bool(person and not person.anonymous and person.name and (person.phone or person.address))


def start_notice(case: Case, name: str) -> None:
    """Start the clock of a notice to the named person (rules 二.2, 二.4), whether or not a reply was asked
    for, as the item's rule set gives it: from today, or from the start of the clock its rule names."""
    rule = case.rule_set.clock(name)
    if rule is None or not named_person(case):
        return
    base = case.clocks.filter(name=rule["from"]).first() if rule.get("from") else None
    clocks.start(case, name, on=base.start if base else None, restart=True)


def _receive(case: Case, *, received=None) -> None:
    """The handling unit receives the item: clocks start now (or on `received`, the day the unit received an
    item it registered itself), or go on after a return (jurisdiction time is not counted, rules 二.2(1))."""
    pause = clocks.current_pause(case)
    if pause is not None and pause.reason == PauseReason.JURISDICTION:
        clocks.close_pause(pause)
    clocks.start(case, "sign_off", restart=True)
    if case.kind == Kind.COMPLAINT:
        clocks.start(case, "acceptance", on=received)
    elif case.kind == Kind.REPORT:
        clocks.start(case, "verification", on=received)
    clocks.recompute(case)


def needs_routing_approval(case: Case) -> bool:
    rule = case.rule_set.data.get("approval", {}).get("routing", {})
    if case.kind in rule.get("kinds", []):
        return True
    if case.kind == Kind.COMPLAINT and rule.get("complaint_food_drug_safety") and case.category:
        return Category.objects.filter(code=case.category, food_drug_safety=True).exists()
    return False


# ---------------------------------------------------------------- registration


def _consent(v: Any) -> bool | None:
    return None if v is None or v == "" else bool(v)


def _text(v: Any) -> str:
    return str(v).strip() if v is not None else ""


# The 12345 hotline's items enter only as work orders (xiaobao.hotline: POST /api/v1/hotline/orders, the file
# import), which register them with channel `hotline` themselves; a caller naming the channel is refused.
HOTLINE_SPELLINGS = frozenset({Channel.HOTLINE, "12345"})
HOTLINE_CHANNEL_MESSAGE = ("12345热线工单不能直接登记：请通过工单接口 POST /api/v1/hotline/orders（或“12345工单导入”）接收，"
                           "工单编号、签收和办结时限随工单一并登记。")


def register_case(*, actor: Staff | None, data: dict, channel: str | None = None,
                  shows_registrant: bool = False) -> tuple[Case, bool]:
    """Register an item. Returns (item, created); the same external id on the same channel returns the
    existing item. Raises Invalid naming every missing or bad field at once; nothing is stored then.

    A new item carries its timeline line as `registration_event`. With shows_registrant (the API answers
    with the item), the audit row of the registration also records the read of the complainant's data.
    Without an actor the system registers (the portal, the 12315 command); a person must be a registrant."""
    check_may_register(actor)
    data = dict(data)
    if channel is None and _text(data.get("channel")) in HOTLINE_SPELLINGS:
        # A 12345 work order comes with its order number and the hotline's deadlines; registered as a plain
        # item it would have no order behind it (no 签收/办结 clocks, nothing in the outbox).
        raise Invalid([{"field": "channel", "message": HOTLINE_CHANNEL_MESSAGE}])
    channel = channel or data.get("channel")
    errors: list[dict] = []
    kind = _text(data.get("kind"))
    if kind not in Kind.values:
        errors.append({"field": "kind", "message": "请选择类型：投诉、举报或咨询。"})
    if channel not in Channel.values:
        errors.append({"field": "channel", "message": "请选择来源渠道。"})
    external_id = _text(data.get("external_id")) or None
    received_at = data.get("received_at") or timeutil.now()
    # From the API a string, from the page's form a datetime: both within the years the system serves.
    received_at = timeutil.parse_moment(received_at)
    if received_at is None:
        errors.append({"field": "received_at", "message": "接收时间格式不正确，应为 2000–2999 年间的 ISO 8601 时间。"})
    if isinstance(received_at, datetime) and received_at > timeutil.now() + timedelta(minutes=5):
        errors.append({"field": "received_at", "message": "接收时间不能晚于现在。"})
    tier = _text(data.get("tier")) or Tier.GENERAL
    if tier not in Tier.values:
        errors.append({"field": "tier", "message": "等级应为 urgent、general 或 difficult。"})
    amount = None
    if _text(data.get("amount")):
        try:
            amount = Decimal(_text(data.get("amount")))
            if amount < 0 or not amount.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append({"field": "amount", "message": "涉案金额应为非负数字，如 1299.00。"})
    category = _text(data.get("category"))
    if category and not reference.category_exists(category):
        errors.append({"field": "category", "message": f"类别“{category}”不存在。"})
    complainant = data.get("complainant") or {}
    respondent = data.get("respondent") or {}
    if not isinstance(complainant, dict) or not isinstance(respondent, dict):
        errors.append({"field": "complainant", "message": "当事人信息格式不正确。"})
        complainant, respondent = {}, {}
    if kind == Kind.INQUIRY and not _text(data.get("facts")) and _text(data.get("question")):
        data["facts"] = data["question"]
    day = timezone.localdate(received_at) if isinstance(received_at, datetime) else timeutil.today()
    rule_set = reference.rule_set_in_force(day)
    if kind in Kind.values:
        values = {"facts": data.get("facts"), "demand": data.get("demand"),
                  **{f"complainant.{k}": v for k, v in complainant.items()},
                  **{f"respondent.{k}": v for k, v in respondent.items()}}
        anonymous = bool(complainant.get("anonymous"))
        for field in rule_set.required_fields(kind):
            if field.startswith("complainant.") and anonymous and kind == Kind.REPORT:
                continue
            if not _text(values.get(field)):
                errors.append({"field": field if field != "facts" or kind != Kind.INQUIRY else "facts",
                               "message": REQUIRED_MESSAGES.get(field, f"请填写{field}。")})
        if kind == Kind.COMPLAINT and anonymous:
            errors.append({"field": "complainant.anonymous", "message": "投诉不能匿名：调解需要投诉人的联系方式。"})
        errors += _reward_wish_errors(kind, complainant)
    errors += _too_long(complainant, respondent, data)
    errors += e_delivery_errors("complainant", complainant)
    if amount is not None and amount >= AMOUNT_LIMIT:
        errors.append({"field": "amount", "message": "涉案金额过大，请核对。"})
    if errors:
        # A body sent again answers with the item it registered, even if it no longer passes the checks.
        if (existing := _already_registered(actor, channel, external_id)) is not None:
            return existing, False
        raise Invalid(errors)

    if amount is not None:
        amount = stored_amount(amount)
    agent = data.get("agent") if isinstance(data.get("agent"), dict) else {}
    parties = {"complainant": _party("complainant", complainant) if complainant or kind != Kind.REPORT else None,
               "respondent": _party("respondent", respondent) if respondent else None}
    unit = actor.unit if actor and actor.unit and actor.unit.handles_items else office_unit()
    year = timezone.localdate(received_at).year
    # The lean write path (issue 9): one INSERT for the parties, then the number, the item and its timeline
    # line (one statement on PostgreSQL: cases/fastpath.py), then one audit row. From the number's UPDATE to
    # the commit registrations run one at a time (the number's row lock keeps numbers gap-free, then the audit
    # chain's lock), so everything else is prepared before that stretch. No read first: see the except below.
    try:
        case = _insert_registration(actor, kind, channel, external_id, received_at, year, parties, data, amount,
                                    category, tier, unit, rule_set, agent, shows_registrant)
    except IntegrityError:
        # The same external id on the same channel was registered before (or just now, concurrently): the
        # unique constraint is the check, so the usual registration reads nothing first (issue 9).
        if (existing := _already_registered(actor, channel, external_id)) is None:
            raise
        return existing, False
    return case, True


def check_may_register(actor: Staff | None) -> None:
    """Raises NotPermitted unless the actor may register items (selectors.may_register; rules 一.1, 一.3(2))."""
    if actor is not None and not may_register(actor):
        raise NotPermitted("只有消保股分流员和承办单位的工作人员可以登记投诉、举报或咨询。")


def _already_registered(actor: Staff | None, channel: str | None, external_id: str | None) -> Case | None:
    """The item already registered under this external id on this channel, if any. Raises Invalid when it is
    another unit's item the actor may not see (the id is taken; the item is not shown)."""
    if not external_id or channel not in Channel.values:
        return None
    existing = Case.objects.filter(channel=channel, external_id=external_id).first()
    if existing is not None and actor is not None and get_visible_case(actor, existing.pk) is None:
        raise Invalid([{"field": "external_id", "message": "该来源渠道的此外部编号已经登记，不能重复登记。"}])
    return existing


def _insert_registration(actor, kind, channel, external_id, received_at, year, parties, data, amount, category,
                         tier, unit, rule_set, agent, shows_registrant) -> Case:
    case = Case(
        number="", kind=kind, channel=channel, received_at=received_at, external_id=external_id,
        complainant=parties["complainant"], respondent=parties["respondent"], facts=_text(data.get("facts")),
        demand=_text(data.get("demand")), amount=amount, category=category, tier=tier, unit=unit,
        registered_by=actor, consent_disclosure=_consent(data.get("consent_disclosure")),
        consent_entrusted_mediation=_consent(data.get("consent_entrusted_mediation")),
        agent_name=_text(agent.get("name")), agent_phone=_text(agent.get("phone")),
        registering_unit=actor.unit if actor else None, rule_set=rule_set,
    )
    event = Event(at=timeutil.now(), actor=actor, action="register", from_state="", to_state=State.REGISTERED,
                  data={"channel": channel, "rule_set": rule_set.code})
    key, prefix, note_head = "case-" + kind, f"{NUMBER_PREFIX[kind]}-{year}-", registration_note(case.get_channel_display(), "")
    with transaction.atomic():
        Party.objects.bulk_create([p for p in parties.values() if p is not None])
        case.complainant, case.respondent = parties["complainant"], parties["respondent"]  # now with their ids
        # PostgreSQL: number, item and timeline line in one statement (cases/fastpath.py); elsewhere, or for a
        # year's first number, the ORM.
        if not (connection.vendor == "postgresql" and fastpath.insert_numbered(
                case, event, key=key, year=year, number_prefix=prefix, note_head=note_head)):
            case.number = f"{prefix}{next_number(key, year):06d}"
            case.save(force_insert=True)
            event.case, event.note = case, note_head + case.number
            event.save(force_insert=True)
        # The clocks that run from the receipt (the national acceptance period of a complaint, issue 17 point 6).
        cal = get_calendar() if clocks.AT_RECEIPT.get(kind) else None
        started = clocks.receipt_clocks(kind, rule_set, timezone.localdate(received_at), cal=cal)
        for clock in started:
            clock.case = case
        if started:
            Clock.objects.bulk_create(started)
        # One audit row for the registration; when the caller shows the registrant the item it just
        # registered (API: the response), the same row records that the complainant's data was shown.
        shown = (identity_fields(case) if shows_registrant and actor is not None and sees_identity(actor, case)
                 else [])
        # A registration notifies nobody (notify.services.on_event has no rule for it; the dispatcher's inbox
        # shows it), so the event is not read back after the commit — as in intake/bulk.py.
        _audit_event(case, event, {"read_personal": shown} if shown else None)
    case.registration_event = event
    case.registration_clocks, case.registration_calendar = started, cal
    return case


AMOUNT_LIMIT = Decimal(10) ** 12  # max_digits=14, decimal_places=2


def stored_amount(amount: Decimal) -> Decimal:
    """An amount as the column keeps it (decimal_places=2), rounded half up (the 12315 bulk import too)."""
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def registration_note(channel_label: str, number: str) -> str:
    """The note of a registration's timeline line (the 12315 bulk import writes the same)."""
    return f"{channel_label}登记，编号 {number}"


@cache
def _party_limits() -> dict[str, int]:
    """The party's text columns and their lengths, read once (the bulk imports check every row)."""
    return {f.name: f.max_length for f in Party._meta.fields if getattr(f, "max_length", None)}


def _too_long(complainant: dict, respondent: dict, data: dict) -> list[dict]:
    """Every text longer than its column, named, so that nothing fails at the database."""
    errors = []
    party_fields = _party_limits()
    for prefix, values in (("complainant", complainant), ("respondent", respondent),
                           ("agent", data.get("agent") if isinstance(data.get("agent"), dict) else {})):
        for key, value in values.items():
            limit = party_fields.get(key) if prefix != "agent" else {"name": 60, "phone": 40}.get(key)
            if limit and len(_text(value)) > limit:
                errors.append({"field": f"{prefix}.{key}", "message": f"内容过长（最多 {limit} 个字）。"})
    if len(_text(data.get("external_id"))) > Case._meta.get_field("external_id").max_length:
        errors.append({"field": "external_id", "message": "外部编号过长。"})
    return errors


REQUIRED_MESSAGES = {
    "complainant.name": "请填写投诉人姓名。",
    "complainant.phone": "请填写投诉人联系电话。",
    "complainant.address": "请填写投诉人地址。",
    "respondent.name": "请填写被投诉（举报）人名称。",
    "respondent.address": "请填写被投诉（举报）人地址。",
    "facts": "请填写事实与理由（咨询请填写问题）。",
    "demand": "请填写投诉诉求。",
}


def _reward_wish_errors(kind: str, person: dict) -> list[dict]:
    """举报奖励 at intake (《市场监管领域重大违法行为举报奖励暂行办法》): only a report's reporter asks for a reward;
    an anonymous one who wants it sets an identity code and a password to prove it is them later."""
    code, password = _text(person.get("reward_code")), _text(person.get("reward_password"))
    wants = bool(person.get("wants_reward"))
    if kind != Kind.REPORT:
        if wants or code or password:
            return [{"field": "complainant.wants_reward", "message": "只有举报可以申请举报奖励。"}]
        return []
    errors = []
    if (code or password) and not wants:
        errors.append({"field": "complainant.wants_reward", "message": "设置奖励身份代码和密码时应同时选择要求举报奖励。"})
    if wants and person.get("anonymous"):
        if not code:
            errors.append({"field": "complainant.reward_code",
                           "message": "匿名举报要求奖励的，请设置身份代码（用于日后证明是您本人）。"})
        if not password:
            errors.append({"field": "complainant.reward_password", "message": "匿名举报要求奖励的，请设置密码。"})
    if code and not (4 <= len(code) <= 40):
        errors.append({"field": "complainant.reward_code", "message": "身份代码应为 4 至 40 个字符。"})
    if password and len(password) < 6:
        errors.append({"field": "complainant.reward_password", "message": "密码至少 6 个字符。"})
    return errors


def _party(role: str, d: dict) -> Party:
    consent, sms_phone, email = e_delivery_of(d)
    password = _text(d.get("reward_password"))
    return Party(
        role=role, name=_text(d.get("name")), phone=_text(d.get("phone")), address=_text(d.get("address")),
        id_type=_text(d.get("id_type")), id_number=_text(d.get("id_number")),
        anonymous=bool(d.get("anonymous", False)), wants_reply=bool(d.get("wants_reply", True)),
        credit_code=_text(d.get("credit_code")), contact_person=_text(d.get("contact_person")),
        e_delivery_consent=consent, e_delivery_phone=sms_phone, e_delivery_email=email,
        wants_reward=bool(d.get("wants_reward", False)), reward_code=_text(d.get("reward_code")),
        # Never stored clear: Django's password hasher (the accounts' own).
        reward_password=make_password(password) if password else "",
    )


# ---------------------------------------------------------------- consent to electronic delivery (送达地址确认)

# SAMR-2026 (总局令第121号, DOMAIN.md "The 2026 national rules"): notices may be delivered by internet, phone, SMS,
# e-mail or letter; by the electronic ones only to a person who agreed and confirmed the electronic address.
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def e_delivery_of(d: dict) -> tuple[bool | None, str, str]:
    """(consent, SMS number, e-mail) as stored: without a number of its own, a consent's SMS number is the
    person's phone when that is a mobile number; without consent no electronic address is kept."""
    consent = _consent(d.get("e_delivery_consent"))
    if not consent:
        return consent, "", ""
    phone = _text(d.get("e_delivery_phone"))
    if not phone and MOBILE.match(_text(d.get("phone"))):
        phone = _text(d.get("phone"))
    return consent, phone, _text(d.get("e_delivery_email"))


def e_delivery_errors(prefix: str, d: dict) -> list[dict]:
    """A consent needs an electronic address to deliver to; the addresses given must be usable."""
    if not isinstance(d, dict) or not _consent(d.get("e_delivery_consent")):
        return []
    errors = []
    phone, email = _text(d.get("e_delivery_phone")), _text(d.get("e_delivery_email"))
    if phone and not MOBILE.match(phone):
        errors.append({"field": f"{prefix}.e_delivery_phone", "message": "接收短信的手机号码应为 11 位手机号码。"})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append({"field": f"{prefix}.e_delivery_email", "message": "电子邮箱格式不正确。"})
    if not errors and e_delivery_of(d)[1:] == ("", ""):
        errors.append({"field": f"{prefix}.e_delivery_phone",
                       "message": "同意电子送达的，请填写接收短信的手机号码或电子邮箱（送达地址确认）。"})
    return errors


# ---------------------------------------------------------------- transitions


@transaction.atomic
def submit_for_triage(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "submit_for_triage")
    _move(case, actor, "submit_for_triage", State.TRIAGE, note=_text((body or {}).get("note")), unit=office_unit())
    return case


@transaction.atomic
def keep(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "keep")
    _move(case, actor, "keep", State.ASSIGNED, note="本单位直接受理办理", handler=actor)
    # A complaint the unit received itself is decided within 7 working days of its own receipt, not of the day
    # it keeps it (rules 二.2 "或者自己接到的消费者投诉"); a report verified within 7 working days of receiving
    # the material (rules 二.2).
    _receive(case, received=received_on(case))
    return case


@transaction.atomic
def assign(*, actor: Staff, case_id: int, body: dict) -> Case:
    """Route the item to a handling unit, with its category confirmed by the clerk: a complaint's category
    decides whether the deputy director approves the routing first (rules 二.1(2): food and drug safety)."""
    case = _lock(actor, case_id)
    _check(actor, case, "assign")
    errors = []
    code = _text(body.get("unit"))
    unit = Unit.objects.filter(code=code, active=True).first() if code else None
    if not code:
        errors.append({"field": "unit", "message": "请填写承办单位。"})
    elif unit is None or not unit.handles_items:
        errors.append({"field": "unit", "message": f"承办单位“{code}”不存在或不能承办。"})
    category = _text(body.get("category"))
    if category and not reference.category_exists(category):
        errors.append({"field": "category", "message": f"类别“{category}”不存在。"})
    elif case.kind == Kind.COMPLAINT and not (category or case.category):
        errors.append({"field": "category", "message": bodies.CONFIRM_CATEGORY})
    if errors:
        raise Invalid(errors)
    data = {"unit": unit.code}
    if category and category != case.category:
        data.update(category=category, old_category=case.category or None)
        case.category = category
    note = _text(body.get("note"))
    if needs_routing_approval(case):
        _move(case, actor, "assign", State.PENDING_APPROVAL, note=note, data={**data, "approval": "routing"},
              approval_kind="routing", approval_unit=unit, approval_return_state=State.TRIAGE)
    else:
        _move(case, actor, "assign", State.ASSIGNED, note=note, data=data, unit=unit, handler=None)
        _receive(case)
    return case


@transaction.atomic
def approve(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "approve")
    if not _may_decide_approval(actor, case):
        raise NotPermitted(f"该审批事项需由{_approver_label(case)}批准。")
    note = _text((body or {}).get("note"))
    kind = case.approval_kind
    done = {"approval_kind": "", "approval_unit": None, "approval_return_state": ""}
    if kind == "not_filed":
        _conclude(case, actor, "approve", Outcome.NOT_FILED, note=note, data={"approval": kind}, **done)
        start_notice(case, "not_filed_notice")
    elif kind == "referral":
        asked = _asked(case, "refer_elsewhere")
        _conclude(case, actor, "approve", Outcome.REFERRED_ELSEWHERE, note=note,
                  data={"approval": kind, "authority": asked.get("authority", "")}, **done)
        start_notice(case, "not_filed_notice")  # a report not filed here (rules 二.2)
    elif kind == "filing":
        number = _asked(case, "file").get("penalty_case_number", "")
        _conclude(case, actor, "approve", Outcome.FILED, note=note,
                  data={"approval": kind, "penalty_case_number": number}, **done)
        # The penalty case is recorded by the mediation app, which hears this line (cases.actions.on_event).
        start_notice(case, "filed_notice")
    else:
        unit = case.approval_unit
        _move(case, actor, "approve", State.ASSIGNED, note=note, data={"unit": unit.code},
              unit=unit, handler=None, approval_kind="", approval_unit=None, approval_return_state="")
        _receive(case)
    return case


def _asked(case: Case, action: str) -> dict:
    """The data of the request now waiting for approval (the item's latest line of that action)."""
    return case.events.filter(action=action).order_by("-at", "-id").values_list("data", flat=True).first() or {}


def _ask_approval(case: Case, actor: Staff, action: str, kind: str, *, note: str, data: dict) -> None:
    """Send the unit's decision to the approver the rule set names; sent back, it returns to the unit."""
    _move(case, actor, action, State.PENDING_APPROVAL, note=note,
          data={**data, "approval": kind, "approver": case.rule_set.approver_role(kind)},
          approval_kind=kind, approval_unit=None, approval_return_state=case.state)


@transaction.atomic
def reject_approval(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "reject_approval")
    if not _may_decide_approval(actor, case):
        raise NotPermitted("您不是该审批事项的审批人。")
    _require(body, "note")
    back = case.approval_return_state or State.TRIAGE
    _move(case, actor, "reject_approval", back, note=_text(body["note"]),
          data={"approval": case.approval_kind}, approval_kind="", approval_unit=None, approval_return_state="")
    return case


@transaction.atomic
def return_to_triage(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "return")
    _require(body, "reason")
    clocks.meet(case, "sign_off")
    # The unit's own pause ends with its hold on the item; the jurisdiction pause takes over from today
    # and ends when the next unit receives it (_receive), so at most one pause is ever open.
    own_pause = clocks.current_pause(case)
    if own_pause is not None:
        clocks.close_pause(own_pause)
    if case.clocks.filter(met_on__isnull=True).exists():
        clocks.open_pause(case, reason=PauseReason.JURISDICTION, note="退回重新确定管辖", actor=actor)
    from_unit = case.unit.code
    _move(case, actor, "return", State.TRIAGE, note=_text(body["reason"]), data={"unit": from_unit},
          unit=office_unit(), handler=None, returns_count=case.returns_count + 1)
    clocks.recompute(case)
    return case


@transaction.atomic
def accept(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "accept")
    clocks.meet(case, "acceptance", "national_acceptance", "sign_off")
    _move(case, actor, "accept", State.IN_PROGRESS, note=_text((body or {}).get("note")),
          handler=case.handler or actor)
    clocks.start(case, "mediation_cap")
    clocks.start(case, "handling")
    return case


def _ground(case: Case, outcome: str, code: str) -> dict:
    ground = case.rule_set.ground(outcome, code)
    if ground is None:
        codes = "、".join(g["code"] for g in case.rule_set.grounds(outcome))
        raise Invalid([{"field": "ground", "message": f"理由代码“{code}”不在本件适用的规则中（可选：{codes}）。"}])
    return ground


@transaction.atomic
def not_accept(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "not_accept")
    _require(body, "ground")
    ground = _ground(case, Outcome.NOT_ACCEPTED, body["ground"])
    _conclude(case, actor, "not_accept", Outcome.NOT_ACCEPTED, note=_text(body.get("reason")),
              data={"ground": ground["code"], "basis": ground["basis"]}, ground=ground["code"])
    start_notice(case, "not_accepted_notice")
    return case


@transaction.atomic
def refer_elsewhere(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "refer_elsewhere")
    _require(body, "authority")
    data = {"authority": _text(body["authority"])}
    if case.kind == Kind.REPORT and case.state == State.ASSIGNED:
        # A report leaves its unit without 立案 only through the approval 不予立案 needs (rules 二.2).
        clocks.meet(case, "sign_off")
        _ask_approval(case, actor, "refer_elsewhere", "referral", note=_text(body.get("reason")), data=data)
        return case
    _conclude(case, actor, "refer_elsewhere", Outcome.REFERRED_ELSEWHERE, note=_text(body.get("reason")), data=data)
    return case


@transaction.atomic
def pause(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "pause")
    reason = _text(body.get("reason"))
    if reason not in PAUSE_REASONS:
        raise Invalid([{"field": "reason", "message": "中止事由应为检验检测、鉴定、专家评审或其他部门协助之一。"}])
    payer = _text(body.get("payer"))
    if payer and payer not in PausePayer.values:
        raise Invalid([{"field": "payer", "message": "检测鉴定费用承担方应为 complainant、respondent、shared 或 bureau。"}])
    if clocks.current_pause(case):
        raise WrongState("计时已中止，请先恢复计时。", state=case.state)
    # Entered after the fact, the pause stops the clocks from the day it happened (days P … R−1, rules 二.2).
    when = occurred_at(case, body, "pause")
    approver = Staff.objects.filter(username=body.get("approver")).first() if body.get("approver") else None
    p = clocks.open_pause(case, reason=reason, note=_text(body.get("note")), actor=actor, approver=approver,
                          on=timezone.localdate(when) if when else None)
    if payer:
        p.payer = payer
        p.save(update_fields=["payer"])
    _event(case, actor, "pause", from_state=case.state, to_state=case.state, note=_text(body.get("note")),
           data={"reason": reason, "reason_label": p.get_reason_display(), "start": p.start.isoformat(),
                 "approver": approver.username if approver else None,
                 **({"payer": payer, "payer_label": p.get_payer_display()} if payer else {})},
           occurred_at=when)
    clocks.recompute(case)
    return case


@transaction.atomic
def resume(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "resume")
    p = clocks.current_pause(case)
    if p is None:
        raise WrongState("当前没有中止的计时。", state=case.state)
    when = occurred_at(case, body or {}, "resume")
    clocks.close_pause(p, on=timezone.localdate(when) if when else None)
    changed = clocks.recompute(case)
    _event(case, actor, "resume", from_state=case.state, to_state=case.state,
           data={"reason": p.reason, "start": p.start.isoformat(), "end": p.end.isoformat(),
                 "new_due": {c.name: c.due.isoformat() for c in changed}}, occurred_at=when)
    return case


@transaction.atomic
def change_tier(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "change_tier")
    tier = _text(body.get("tier"))
    if tier not in Tier.values:
        raise Invalid([{"field": "tier", "message": "等级应为 urgent、general 或 difficult。"}])
    old = case.tier
    case.tier = tier
    case.save(update_fields=["tier", "updated_at"])
    changed = clocks.recompute(case)
    _event(case, actor, "change_tier", from_state=case.state, to_state=case.state, note=_text(body.get("note")),
           data={"old": old, "new": tier, "new_due": {c.name: c.due.isoformat() for c in changed}})
    return case


@transaction.atomic
def begin_verification(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "begin_verification")
    clocks.meet(case, "sign_off")
    _move(case, actor, "begin_verification", State.IN_PROGRESS, note=_text((body or {}).get("note")),
          handler=case.handler or actor)
    return case


@transaction.atomic
def decline_filing(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "decline_filing")
    # The written record of the verification is kept (rules 二.2 "作书面记录留存").
    _require(body, "reason", "record")
    # The decision is taken within the verification period; the bureau head's approval follows (rules 二.2).
    clocks.meet(case, "verification")
    _ask_approval(case, actor, "decline_filing", "not_filed", note=_text(body["reason"]),
                  data={"record": _text(body["record"])})
    return case


@transaction.atomic
def answer(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "answer")
    _require(body, "answer")
    clocks.settle(case)
    _move(case, actor, "answer", State.CONCLUDED, note=_text(body["answer"]), data={"outcome": Outcome.ANSWERED},
          outcome=Outcome.ANSWERED)
    return case


@transaction.atomic
def reply(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "reply")
    _require(body, "channel", "content")
    if body["channel"] not in REPLY_CHANNELS:
        raise Invalid([{"field": "channel", "message": "回复方式应为 phone、sms、email、letter 或 internet。"}])
    clocks.meet(case, "reply")
    # public_reply (公开答复内容) is kept on the line for the listeners: the 12345 bridge requires it of its
    # items and sends it back to the hotline (xiaobao.hotline.services.on_event).
    extra = {"public_reply": _text(body["public_reply"])} if _text(body.get("public_reply")) else {}
    _event(case, actor, "reply", from_state=case.state, to_state=case.state, note=_text(body["content"]),
           data={"channel": body["channel"], "channel_label": REPLY_CHANNELS[body["channel"]], **extra})
    return case


@transaction.atomic
def archive(*, actor: Staff, case_id: int, body: dict | None = None) -> Case:
    case = _lock(actor, case_id)
    _check(actor, case, "archive")
    # An archived item takes no further step (no reply, no notice): what it still owed is settled, and
    # recorded as missed where its date has passed (issue 18, point 2).
    clocks.settle(case)
    _move(case, actor, "archive", State.ARCHIVED, note=_text((body or {}).get("note")))
    return case


# The spine's own actions, registered by CasesConfig.ready(); the other families register theirs
# (cases.actions). `archive` is the archive app's: cases.services.archive is the state change it calls.
ACTIONS = {
    "submit_for_triage": submit_for_triage, "keep": keep, "assign": assign, "approve": approve,
    "reject_approval": reject_approval, "return": return_to_triage, "accept": accept, "not_accept": not_accept,
    "refer_elsewhere": refer_elsewhere, "pause": pause, "resume": resume, "change_tier": change_tier,
    "begin_verification": begin_verification, "decline_filing": decline_filing, "answer": answer, "reply": reply,
}


def all_actions() -> dict:
    """Every action of the lifecycle table with its one service function (as registered, cases.actions)."""
    return actions.functions()


def perform(*, actor: Staff, case_id: int, action: str, body: dict | None = None) -> Case:
    function = actions.function(action)
    if function is None:
        if get_visible_case(actor, case_id) is None:
            raise NotFound("未找到该件，或您无权查看。")
        raise NotFound(f"没有“{action}”这个操作。")
    if not isinstance(body, dict):
        body = {}
    if "occurred_at" in body and action not in RECORD_ACTIONS:
        if get_visible_case(actor, case_id) is None:
            raise NotFound("未找到该件，或您无权查看。")
        refuse_occurred_at(action, body)
    model = actions.body(action)
    if model is not None and (errors := bodies.errors_of(model, body)):
        # A bad body is answered after what the action's function checks first: the item (404), then who may
        # act and in which state (403, 409); every missing field is named at once, those the model cannot know
        # without the item too (`item_errors`, e.g. assign's category of a complaint).
        with transaction.atomic():
            case = _lock(actor, case_id)
            _check(actor, case, action)
            named = {e["field"] for e in errors}
            errors += [e for e in model.item_errors(case, body) if e["field"] not in named]
        raise Invalid(errors)
    return function(actor=actor, case_id=case_id, body=body)
