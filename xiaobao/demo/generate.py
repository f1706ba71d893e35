"""Many realistic items quickly, for benchmarks and load tests (issue 9).

The demo history (history.py) replays every step through the services, which is right for 200 items and far
too slow for a million. This writes the same rows the services would write — items, parties, timeline
events, clocks and pauses — with bulk_create, following the same flows and the same event data (the
statistics read the timeline), with due dates from the same clock computation. Audit rows and
notifications are not written: nobody acted.
"""

from __future__ import annotations

import os
import queue
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from functools import lru_cache

from django.db import DatabaseError, transaction
from django.utils import timezone

from xiaobao.cases import persons, search
from xiaobao.cases.models import Case, Event, NumberSequence, Party
from xiaobao.cases.services import NUMBER_PREFIX
from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.engine import PauseSpan
from xiaobao.clocks.models import Clock, ClockRun, Pause, PauseReason
from xiaobao.clocks.services import RESTART_REASONS, clock_length, compute
from xiaobao.handling.services import NOTICE_CLOCKS
from xiaobao.lib import partitions, timeutil
from xiaobao.rules.models import Category, RuleSet
from xiaobao.units.models import Role, Staff, Unit

from .bureau import UNITS, create_bureau
from .data import COMPLAINT_FACTS, DEMANDS, GIVEN, QUESTIONS, REPORT_FACTS, SURNAMES, TERRITORIES

# DOMAIN.md "Scale": how items reach a city bureau, and the national mix of kinds.
CHANNELS = {"platform_12315": 53, "referral": 36, "letter": 6, "phone": 5, "visit": 0.2}
KINDS = {"complaint": 47, "report": 14, "inquiry": 39}
CHANNEL_LABELS = {"platform_12315": "全国12315平台", "referral": "转办交办", "letter": "信函", "phone": "电话",
                  "visit": "来访"}

# Trade names and trades of the district's businesses: (suffix, category, goods or service, typical amount).
TRADE_NAMES = ["鑫达", "美佳", "恒通", "华联", "好又多", "百姓", "康宁", "丽人", "星光", "鸿运", "安达", "迅捷",
               "温馨", "学而优", "优品", "便民", "惠民", "金鼎", "福满楼", "万家", "永兴", "聚鑫", "顺发", "佳佳",
               "宏达", "新世纪", "乐购", "天润", "编钟", "炎帝", "曾侯", "白云", "神农", "银杏", "季梁", "汉东"]
TRADES = [
    ("电器商行", "appliances", "空调", 3299), ("家电城", "appliances", "冰箱", 2599),
    ("手机连锁店", "telecom_devices", "手机", 1999), ("超市", "food", "进口奶粉", 368),
    ("生鲜超市", "food", "冷冻肉制品", 126), ("大药房", "drugs", "感冒药", 58),
    ("医疗器械店", "medical_devices", "血压计", 299), ("美容美发店", "beauty", "美容储值卡", 3000),
    ("健身会所", "prepaid", "健身年卡", 2680), ("火锅店", "catering", "火锅套餐", 288),
    ("大酒店", "lodging", "住宿服务", 420), ("汽车销售服务有限公司", "vehicles", "二手车", 86000),
    ("汽车维修厂", "repair", "汽车维修", 1800), ("鞋服专卖店", "clothing", "皮鞋", 459),
    ("家具城", "household", "沙发", 5600), ("教育培训中心", "education", "培训课程", 6800),
    ("化妆品店", "cosmetics", "面霜", 268), ("家电维修部", "repair", "洗衣机维修", 260),
    ("副食批发部", "food", "散装白酒", 180), ("儿童游乐园", "prepaid", "游乐次卡", 500),
    ("保健品店", "health_food", "保健食品", 980), ("网络科技有限公司", "online_shopping", "网购商品", 650),
]
# How often the rarer paths of the services happen (DOMAIN.md "Lifecycle"); the statistics read all of them.
STATION_REGISTERED = 0.2  # a station registers an item that came to it (a visit, a call, a letter) itself …
STATION_SUBMITS = 0.25  # … and sends a quarter of those to 消保股 for routing instead of keeping them
REFERRED_FROM_TRIAGE = 0.03  # 消保股 tells the person which other authority handles it (refer_elsewhere)
RETURNED = 0.03  # a station returns a routed complaint as not its own; 消保股 routes it again
CONSENTS_TO_DISCLOSURE = 0.6  # complaints whose complainant agreed to public disclosure (SAMR-2026 form)
PLATFORM_ID = object()
REPORT_CATEGORIES = ["food_safety", "advertising", "unlicensed", "counterfeit", "price"]
ANSWERS = ["已电话解答，告知相关法律规定及维权途径。", "已答复，告知向有管辖权的部门反映。", "已解答，告知办理流程和所需材料。"]
AGREEMENTS = ["经调解，双方自愿达成协议，商家退还部分货款。", "经调解，商家同意退货并全额退款。", "经调解，商家同意免费维修并赔偿误工损失。"]


@dataclass(frozen=True)
class Business:
    name: str
    address: str
    credit_code: str
    station: str
    category: str
    goods: str
    amount: int


def businesses() -> list[Business]:
    """Every trade name in every trade: each business always at the same address in one station's area."""
    out = []
    stations = list(TERRITORIES)
    for i, trade_name in enumerate(TRADE_NAMES):
        for j, (suffix, category, goods, amount) in enumerate(TRADES):
            index = i * len(TRADES) + j
            station = stations[index % len(stations)]
            streets = TERRITORIES[station]
            prefix = "随州市曾都区" if index % 3 == 0 else "曾都区"
            out.append(Business(
                name=f"{prefix}{trade_name}{suffix}",
                address=f"{streets[index % len(streets)]}{(index * 37) % 400 + 1}号",
                credit_code=f"91421303MA4{index * 7919 % 10**6:06d}{'ABCDEFGH'[index % 8]}{index % 10}",
                station=station, category=category, goods=goods, amount=amount))
    return out


def ensure_bureau() -> dict[str, Staff]:
    """The demo bureau's accounts (created when there are no units) and one handler in every handling unit."""
    with transaction.atomic():
        if not Unit.objects.exists():
            create_bureau(os.environ.get("XIAOBAO_DEMO_PASSWORD") or secrets.token_urlsafe(12))
        for code, _, short, _ in UNITS:
            unit = Unit.objects.filter(code=code).first()
            if unit and unit.handles_items and not any(Role.HANDLER in s.roles for s in unit.staff.all()):
                Staff.objects.create(username=f"h-{code}", full_name=f"{short}承办人", unit=unit,
                                     roles=[Role.HANDLER], password="!")  # noqa: S106 (an unusable password)
    return {s.username: s for s in Staff.objects.select_related("unit")}


class Row(dict):
    """A row to insert, by attribute name; attribute access keeps the flow code readable."""

    __getattr__ = dict.get

    def __setattr__(self, name, value):
        self[name] = value


@dataclass
class Plan:
    """One item as it stands now: the case row's fields and what hangs off it."""

    case: Row
    rule_set: RuleSet
    complainant: Row | None
    respondent: Row | None
    events: list[Row] = field(default_factory=list)
    clocks: list[Row] = field(default_factory=list)
    pauses: list[Row] = field(default_factory=list)
    runs: list[Row] = field(default_factory=list)  # superseded clock runs (ClockRun)


class _Stop(Exception):
    """The next step would happen after now: the item stays where it is."""


class Generator:
    def __init__(self, *, seed: int, years: int, now: datetime | None = None):
        self.rnd = random.Random(seed)
        self.tz = timezone.get_current_timezone()
        self.now = timezone.localtime(now or timeutil.now(), self.tz)
        self.today = self.now.date()
        self.years = years
        self.cal = get_calendar()
        staff = ensure_bureau()
        self.clerk = staff["xiaobao"]
        self.deputy, self.head, self.archivist = staff["fenguan"], staff["juzhang"], staff["archivist"]
        self.units = {u.code: u for u in Unit.objects.all()}
        self.office = self.clerk.unit
        self.handlers: dict[str, Staff] = {}
        for s in sorted(staff.values(), key=lambda s: s.username):
            if s.unit_id and Role.HANDLER in s.roles:
                self.handlers.setdefault(s.unit.code, s)
        self.businesses = businesses()
        self.sections = dict(Category.objects.values_list("code", "section_code"))
        self.food_drug = set(Category.objects.filter(food_drug_safety=True).values_list("code", flat=True))
        self.rule_sets = list(RuleSet.objects.filter(family=RuleSet.in_force(self.today).family)
                              .order_by("effective_from"))
        self.numbers: dict[tuple[str, int], int] = {}
        self._compute = lru_cache(maxsize=100_000)(self._compute_plain)

    # ------------------------------------------------------------ material
    def rule_set(self, day: date) -> RuleSet:
        found = self.rule_sets[0]
        for rs in self.rule_sets:
            if rs.effective_from <= day:
                found = rs
        return found

    def person(self) -> Party:
        r = self.rnd
        station = r.choice(list(TERRITORIES))
        return Row(role=Party.Role.COMPLAINANT, anonymous=False, name=r.choice(SURNAMES) + r.choice(GIVEN),
                     phone=f"1{r.choice('3578')}{r.randrange(10**9):09d}",
                     address=f"{r.choice(TERRITORIES[station])}{r.randrange(1, 300)}号", id_type="居民身份证",
                     id_number=f"421302{r.randrange(1960, 2004)}{r.randrange(1, 13):02d}{r.randrange(1, 29):02d}"
                               f"{r.randrange(1000):03d}{r.choice('0123456789X')}",
                     wants_reply=r.random() < 0.85)

    def received_times(self, n: int) -> list[datetime]:
        """n moments in working hours over the last `years` years, in order."""
        r = self.rnd
        span = self.years * 365
        out = []
        for _ in range(n):
            day = self.today - timedelta(days=r.randrange(span))
            minute = r.randrange(8 * 60, 18 * 60)
            out.append(datetime.combine(day, clock_time(minute // 60, minute % 60), tzinfo=self.tz))
        # Today's moments not yet reached move back a week, still in working hours.
        out = [t if t < self.now else t - timedelta(days=7) for t in out]
        out.sort()
        return out

    def later(self, moment: datetime, workdays: int) -> datetime:
        local = moment.date()  # every moment here is in the bureau's zone
        d = self.cal.add_workdays(local, workdays) if workdays else local
        minute = self.rnd.randrange(8 * 60, 18 * 60)
        nxt = max(datetime.combine(d, clock_time(minute // 60, minute % 60), tzinfo=self.tz),
                  moment + timedelta(minutes=5))
        if nxt >= self.now:
            raise _Stop
        return nxt

    def number(self, kind: str, year: int) -> str:
        key = ("case-" + kind, year)
        if key not in self.numbers:
            seq = NumberSequence.objects.filter(key=key[0], year=year).first()
            self.numbers[key] = seq.last if seq else 0
        self.numbers[key] += 1
        return f"{NUMBER_PREFIX[kind]}-{year}-{self.numbers[key]:06d}"

    def save_numbers(self, numbers: dict[tuple[str, int], int] | None = None) -> None:
        for (key, year), last in (self.numbers if numbers is None else numbers).items():
            seq, _ = NumberSequence.objects.select_for_update().get_or_create(key=key, year=year)
            if seq.last < last:
                NumberSequence.objects.filter(pk=seq.pk).update(last=last)

    # ------------------------------------------------------------ clocks
    def _compute_plain(self, name: str, start: date, length: int, unit: str, cap_due: date | None):
        c = Row(name=name, start=start, length=length, unit=unit)
        return compute(self.cal, c, spans=[], cap_due=cap_due, on=self.today)

    def start_clock(self, plan: Plan, name: str, on: date, *, restart: bool = False) -> None:
        rule = plan.rule_set.clock(name)
        if rule is None:
            return
        existing = next((c for c in plan.clocks if c.name == name), None)
        if existing is not None and not restart:
            return
        clock = existing or Row(name=name, overdue_notified=False)
        clock.start, clock.length, clock.unit, clock.basis = on, clock_length(rule, plan.case.tier), rule["unit"], rule["basis"]
        clock.met_on = clock.settled = None
        if existing is None:
            plan.clocks.append(clock)
        self.fill(plan, clock)

    def fill(self, plan: Plan, clock: Clock) -> None:
        cap = next((c.due for c in plan.clocks if c.name == "mediation_cap"), None) if clock.name == "handling" else None
        if plan.pauses:
            spans = [PauseSpan(p.start, p.end, PauseReason(p.reason).label, p.reason) for p in plan.pauses]
            result = compute(self.cal, clock, spans=spans, cap_due=cap, on=self.today,
                             stops=plan.rule_set.pause_stops())
        else:
            result = self._compute(clock.name, clock.start, clock.length, clock.unit, cap)
        clock.due, clock.provisional, clock.explanation = result.due, result.provisional, result.explanation

    def meet(self, plan: Plan, on: date, *names: str) -> None:
        for c in plan.clocks:
            if c.met_on is None and (not names or c.name in names):
                c.met_on = on

    def settle(self, plan: Plan, on: date) -> None:
        """Close the open clocks as a conclusion or archiving does (clocks.services.settle): met by the due
        date, else recorded as missed."""
        for c in plan.clocks:
            if c.met_on is None:
                c.met_on, c.settled = on, "met" if on <= c.due else "missed"

    def recompute(self, plan: Plan) -> None:
        for c in sorted(plan.clocks, key=lambda c: c.name != "mediation_cap"):
            if c.met_on is None:
                self.fill(plan, c)

    # ------------------------------------------------------------ the timeline
    def event(self, plan: Plan, at: datetime, actor: Staff | None, action: str, to: str | None = None, *,
              note: str = "", data: dict | None = None, **changes) -> None:
        case = plan.case
        before = case.state
        if to is not None:
            case.state = to
        for k, v in changes.items():
            setattr(case, k, v)
        if to == "concluded" and case.concluded_at is None:
            case.concluded_at = at
        moved = to is not None or action in ("reply", "send_notice")
        plan.events.append(Row(at=at, actor_id=actor.pk if actor else None, action=action,
                               from_state=before if moved else "", to_state=case.state if moved else "", note=note,
                               data=data or {}))

    def conclude(self, plan: Plan, at: datetime, actor: Staff, action: str, outcome: str, *, note: str = "",
                 data: dict | None = None, **changes) -> None:
        self.settle(plan, at.date())
        self.event(plan, at, actor, action, "concluded", note=note, data={"outcome": outcome, **(data or {})},
                   outcome=outcome, **changes)
        person = plan.complainant
        if person and person.wants_reply and not person.anonymous and (person.phone or person.address):
            self.start_clock(plan, "reply", at.date())

    def notice(self, plan: Plan, name: str, on: date) -> None:
        """A notice to the named person (services.start_notice), whether or not a reply was asked for."""
        person, rule = plan.complainant, plan.rule_set.clock(name)
        if rule is None or not (person and not person.anonymous and person.name and (person.phone or person.address)):
            return
        base = next((c for c in plan.clocks if c.name == rule.get("from")), None)
        self.start_clock(plan, name, base.start if base else on, restart=True)

    def receive(self, plan: Plan, at: datetime) -> None:
        day = at.date()
        self.start_clock(plan, "sign_off", day, restart=True)
        if plan.case.kind == "complaint":
            self.start_clock(plan, "acceptance", day)
        elif plan.case.kind == "report":
            self.start_clock(plan, "verification", day)

    def plan(self, received: datetime) -> Plan:
        r = self.rnd
        kind = r.choices(list(KINDS), list(KINDS.values()))[0]
        channel = r.choices(list(CHANNELS), list(CHANNELS.values()))[0]
        biz = r.choice(self.businesses)
        day = received.date()
        rule_set = self.rule_set(day)
        when = (received - timedelta(days=r.randrange(1, 20))).strftime("%Y年%m月%d日")
        complainant = self.person()
        respondent = Row(role=Party.Role.RESPONDENT, name=biz.name, address=biz.address,
                         credit_code=biz.credit_code, anonymous=False, wants_reply=True)
        case = Row(kind=kind, channel=channel, received_at=received, number=self.number(kind, day.year),
                   rule_set_id=rule_set.pk, unit_id=self.office.pk, registered_by_id=self.clerk.pk,
                   registering_unit_id=self.office.pk, category=biz.category, state="registered", tier="general")
        if channel == "platform_12315":
            case.external_id = PLATFORM_ID  # numbered by the writer, from the item's id: unique
        if channel in ("phone", "visit", "letter") and r.random() < STATION_REGISTERED:
            station = self.units[biz.station]
            case.unit_id = case.registering_unit_id = station.pk
            case.registered_by_id = self.handlers[biz.station].pk
        if kind == "complaint":
            case.consent_disclosure = r.random() < CONSENTS_TO_DISCLOSURE
            case.facts = r.choice(COMPLAINT_FACTS).format(date=when, biz=biz.name, goods=biz.goods, amount=biz.amount)
            case.demand = r.choice(DEMANDS)
            case.amount = Decimal(biz.amount)
            case.tier = r.choices(["general", "urgent", "difficult"], [80, 10, 10])[0]
        elif kind == "report":
            complainant.anonymous = r.random() < 0.3
            case.facts = r.choice(REPORT_FACTS).format(biz=biz.name, goods=biz.goods)
            case.category = r.choice(REPORT_CATEGORIES)
        else:
            case.facts = r.choice(QUESTIONS)
            respondent = None
        plan = Plan(case=case, rule_set=rule_set, complainant=complainant, respondent=respondent)
        self.event(plan, received, self.clerk, "register", "registered",
                   note=f"{CHANNEL_LABELS[channel]}登记，编号 {case.number}",
                   data={"channel": channel, "rule_set": rule_set.code})
        try:
            self.flow(plan, biz, received)
        except _Stop:
            pass
        return plan

    def flow(self, plan: Plan, biz: Business, t: datetime) -> None:
        r, case = self.rnd, plan.case
        if case.registering_unit_id != self.office.pk:
            self.station_flow(plan, biz, t)
            return
        if case.kind == "inquiry":
            t = self.later(t, 0)
            self.settle(plan, t.date())
            self.event(plan, t, self.clerk, "answer", "concluded", note=r.choice(ANSWERS),
                       data={"outcome": "answered"}, outcome="answered")
            return
        t = self.later(t, 0)
        self.event(plan, t, self.clerk, "submit_for_triage", "triage", unit_id=self.office.pk)
        self.triage(plan, biz, t)

    def station_flow(self, plan: Plan, biz: Business, t: datetime) -> None:
        """An item a station registered: it answers an inquiry or keeps the item (本单位直接办理), or sends it to
        消保股 for routing (services.keep / submit_for_triage)."""
        r, case = self.rnd, plan.case
        handler = self.handlers[biz.station]
        t = self.later(t, 0)
        if case.kind == "inquiry":
            self.settle(plan, t.date())
            self.event(plan, t, handler, "answer", "concluded", note=r.choice(ANSWERS),
                       data={"outcome": "answered"}, outcome="answered")
            return
        if r.random() < STATION_SUBMITS:
            self.event(plan, t, handler, "submit_for_triage", "triage", unit_id=self.office.pk)
            self.triage(plan, biz, t)
            return
        self.event(plan, t, handler, "keep", "assigned", note="本单位直接受理办理", handler_id=handler.pk)
        self.receive(plan, t)
        self.handle(plan, handler, t)

    def triage(self, plan: Plan, biz: Business, t: datetime) -> None:
        """消保股 routes the item (with the deputy director's approval where the rules ask for it), or tells the
        person which other authority handles it."""
        r, case = self.rnd, plan.case
        if r.random() < REFERRED_FROM_TRIAGE:
            t = self.later(t, r.choice([0, 1]))
            self.conclude(plan, t, self.clerk, "refer_elsewhere", "referred_elsewhere",
                          note="不属本局职责范围，已告知向有关部门反映。", data={"authority": "县级人民政府有关部门"})
            self.close(plan, self.clerk, t)
            return
        target = biz.station
        if case.kind == "report":
            target = r.choice([biz.station, biz.station, "jicha", self.sections.get(case.category, "jicha")])
        t = self.later(t, r.choice([0, 1]))
        unit = self.units[target]
        needs_approval = case.kind == "report" or case.category in self.food_drug
        if needs_approval:
            self.event(plan, t, self.clerk, "assign", "pending_approval", note="按属地管辖、业务管辖原则分流",
                       data={"unit": target, "approval": "routing"}, approval_kind="routing", approval_unit_id=unit.pk,
                       approval_return_state="triage")
            t = self.later(t, 1)
            self.event(plan, t, self.deputy, "approve", "assigned", note="同意分流", data={"unit": target},
                       unit_id=unit.pk, routed_at=t, handler_id=None, approval_kind="", approval_unit_id=None,
                       approval_return_state="")
        else:
            self.event(plan, t, self.clerk, "assign", "assigned", note="按属地管辖、业务管辖原则分流",
                       data={"unit": target}, unit_id=unit.pk, routed_at=t, handler_id=None)
        self.receive(plan, t)
        if case.kind == "complaint" and not needs_approval and r.random() < RETURNED:
            target, t = self.returned(plan, target, t)
        self.handle(plan, self.handlers[target], t)

    def returned(self, plan: Plan, station: str, t: datetime) -> tuple[str, datetime]:
        """The station returns the item as not its own (services.return_to_triage): its sign-off is met, the
        time until the next unit receives it does not count (a jurisdiction pause), and 消保股 routes it to
        another station, where sign-off starts again (the returned run is kept as a ClockRun)."""
        r, case = self.rnd, plan.case
        handler = self.handlers[station]
        t = self.later(t, 1)
        day = t.date()
        self.meet(plan, day, "sign_off")
        pause = None
        if any(c.met_on is None for c in plan.clocks):
            pause = Row(reason=PauseReason.JURISDICTION, note="退回重新确定管辖", start=day, end=None,
                        created_by_id=handler.pk)
            plan.pauses.append(pause)
        self.event(plan, t, handler, "return", "triage", note="被投诉人不在本所辖区", data={"unit": station},
                   unit_id=self.office.pk, handler_id=None, returns_count=(case.returns_count or 0) + 1)
        self.recompute(plan)
        target = r.choice([code for code in self.handlers if code.startswith("st-") and code != station])
        t = self.later(t, r.choice([0, 1]))
        self.event(plan, t, self.clerk, "assign", "assigned", note="按属地管辖原则重新分流",
                   data={"unit": target}, unit_id=self.units[target].pk, handler_id=None)
        if pause is not None:
            pause.end = max(t.date(), pause.start)
        old = next(c for c in plan.clocks if c.name == "sign_off")
        plan.runs.append(Row(name=old.name, start=old.start, length=old.length, unit=old.unit, basis=old.basis,
                             due=old.due, provisional=old.provisional, met_on=old.met_on,
                             explanation=old.explanation, for_unit_id=self.units[station].pk,
                             superseded_on=t.date(), reason=RESTART_REASONS["sign_off"]))
        self.receive(plan, t)
        self.recompute(plan)
        return target, t

    def handle(self, plan: Plan, handler: Staff, t: datetime) -> None:
        if plan.case.kind == "complaint":
            t = self.complaint(plan, handler, t)
        else:
            t = self.report(plan, handler, t)
        self.close(plan, handler, t)

    def complaint(self, plan: Plan, handler: Staff, t: datetime) -> datetime:
        r = self.rnd
        t = self.later(t, r.randrange(1, 6))
        if r.random() < 0.1:
            ground = r.choice(plan.rule_set.grounds("not_accepted"))
            self.conclude(plan, t, handler, "not_accept", "not_accepted", note="经审查不符合受理条件",
                          data={"ground": ground["code"], "basis": ground["basis"]}, ground=ground["code"])
            self.notice(plan, "not_accepted_notice", t.date())
            return t
        day = t.date()
        self.meet(plan, day, "acceptance", "sign_off")
        self.event(plan, t, handler, "accept", "in_progress", handler_id=handler.pk)
        self.start_clock(plan, "mediation_cap", day)
        self.start_clock(plan, "handling", day)
        if r.random() < 0.12:
            t = self.later(t, 2)
            pause = Row(reason="testing", note="送检测机构检验", start=t.date(), end=None,
                        created_by_id=handler.pk)
            plan.pauses.append(pause)
            self.recompute(plan)
            self.event(plan, t, handler, "pause", note="送检测机构检验",
                       data={"reason": "testing", "reason_label": "检验检测", "start": pause.start.isoformat()})
            t = self.later(t, r.randrange(3, 10))
            pause.end = t.date()
            self.recompute(plan)
            self.event(plan, t, handler, "resume", data={"reason": "testing", "start": pause.start.isoformat(),
                                                          "end": pause.end.isoformat()})
        t = self.later(t, r.randrange(2, 16))
        fate = r.choices(["agreed", "terminated", "withdrawn"], [65, 22, 13])[0]
        if fate == "agreed":
            recovered = Decimal(r.choice([100, 200, 300, 500, 800, 1200, 2000]))
            self.conclude(plan, t, handler, "mediate", "mediated", note=r.choice(AGREEMENTS),
                          data={"result": fate, "amount_recovered": str(recovered)}, amount_recovered=recovered)
        elif fate == "terminated":
            ground = r.choice(plan.rule_set.grounds("mediation_terminated"))
            self.conclude(plan, t, handler, "mediate", "mediation_terminated", note="双方分歧较大，无法达成协议",
                          data={"result": fate, "ground": ground["code"], "basis": ground["basis"]},
                          ground=ground["code"])
            self.start_clock(plan, "termination_notice", t.date())
            t = self.later(t, r.randrange(1, 6))
            self.meet(plan, t.date(), "termination_notice")
            self.event(plan, t, handler, "deliver_document", note="终止调解告知书以邮寄方式送达投诉人和被投诉人",
                       data={"clock_met": "termination_notice"})
        else:
            self.conclude(plan, t, handler, "mediate", "withdrawn", note="投诉人撤回投诉", data={"result": fate})
            if (plan.rule_set.clock("termination_notice") or {}).get("on_withdrawal"):
                self.start_clock(plan, "termination_notice", t.date())
                t = self.later(t, r.randrange(1, 6))
                self.meet(plan, t.date(), "termination_notice")
                self.event(plan, t, handler, "deliver_document", note="终止调解告知书以邮寄方式送达投诉人和被投诉人",
                           data={"clock_met": "termination_notice"})
        return t

    def report(self, plan: Plan, handler: Staff, t: datetime) -> datetime:
        r = self.rnd
        t = self.later(t, 1)
        self.meet(plan, t.date(), "sign_off")
        self.event(plan, t, handler, "begin_verification", "in_progress")
        t = self.later(t, r.randrange(1, 7))
        # The bureau head decides both ways (rules 二.2; 《市场监督管理行政处罚程序规定》第十八条), as services.file
        # and services.decline_filing send it.
        self.meet(plan, t.date(), "verification")
        if r.random() < 0.45:
            self.event(plan, t, handler, "file", "pending_approval", note="经核查，违法事实基本清楚，拟予立案。",
                       data={"penalty_case_number": "", "approval": "filing", "approver": "bureau_head"},
                       approval_kind="filing", approval_unit_id=None, approval_return_state="in_progress")
            t = self.later(t, 1)
            self.conclude(plan, t, self.head, "approve", "filed", note="同意立案",
                          data={"approval": "filing", "penalty_case_number": ""}, approval_kind="",
                          approval_unit_id=None, approval_return_state="")
            self.notice(plan, "filed_notice", t.date())
            return t
        self.event(plan, t, handler, "decline_filing", "pending_approval", note="经现场核查，未发现举报所称违法行为。",
                   data={"approval": "not_filed", "approver": "bureau_head",
                         "record": "执法人员到被举报人经营场所现场检查，查看在售商品及进货台账，未发现举报所称违法行为。"},
                   approval_kind="not_filed", approval_unit_id=None, approval_return_state="in_progress")
        t = self.later(t, 1)
        self.conclude(plan, t, self.head, "approve", "not_filed", note="同意不予立案", data={"approval": "not_filed"},
                      approval_kind="", approval_unit_id=None, approval_return_state="")
        self.notice(plan, "not_filed_notice", t.date())
        return t

    def close(self, plan: Plan, handler: Staff, t: datetime) -> None:
        notices = [c.name for c in plan.clocks if c.name in NOTICE_CLOCKS and c.met_on is None]
        if notices:
            # 消保股 tells the named person (handling.services.send_notice), which is also the reply (rules 二.4).
            t = self.later(t, self.rnd.randrange(0, 3))
            self.meet(plan, t.date(), *notices, "reply")
            self.event(plan, t, self.clerk, "send_notice", note="已电话告知办理结果。",
                       data={"notices": notices, "channel": "phone", "channel_label": "电话"})
        if any(c.name == "reply" and c.met_on is None for c in plan.clocks):
            t = self.later(t, self.rnd.randrange(0, 4))
            self.meet(plan, t.date(), "reply")
            self.event(plan, t, handler, "reply", note="已电话告知办理结果。",
                       data={"channel": "phone", "channel_label": "电话"})
        if self.rnd.random() < 0.5:
            t = self.later(t, 10)
            self.settle(plan, t.date())
            self.event(plan, t, self.archivist, "archive", "archived")


class Table:
    """Raw batched inserts with ids assigned here: bulk_create spends most of its time building SQL."""

    def __init__(self, model, connection):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        table = connection.ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608 (names from the models)
        # PostgreSQL takes the rows by COPY (issue 24, point 1: several times faster than INSERTs for 10M items).
        self.copy_sql = f"COPY {table} ({cols}) FROM STDIN" if connection.vendor == "postgresql" else None
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        # Bound once: every access through the `connection` proxy is a thread-local lookup (a tenth of the
        # generator's time at 10M rows when made per value).
        ops, vendor = connection.ops, connection.vendor
        self.columns = [(f.attname, f.get_default(), self._converter(f, ops, vendor)) for f in self.fields]
        self.rows: list[tuple] = []

    @staticmethod
    def _converter(f, ops, vendor):
        kind = f.get_internal_type()
        if kind == "DateTimeField" and vendor == "sqlite":
            return lambda v: None if v is None else str(v.astimezone(UTC).replace(tzinfo=None))
        if kind == "DateTimeField":
            return ops.adapt_datetimefield_value
        if kind == "DateField":
            return ops.adapt_datefield_value
        if kind == "DecimalField":
            return lambda v: None if v is None else ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places)
        if kind == "JSONField":
            return lambda v: ops.adapt_json_value(v, None)
        return None

    def add(self, row: Row) -> int:
        row["id"] = self.next_id
        self.next_id += 1
        get = row.get
        self.rows.append(tuple(conv(get(name, default)) if conv else get(name, default)
                               for name, default, conv in self.columns))
        return row["id"]

    def flush(self, cursor) -> None:
        if not self.rows:
            return
        if self.copy_sql:
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.sql, self.rows)
        self.rows = []


class Writer:
    def __init__(self):
        from django.db import connection

        self.connection = connection
        stamp = timeutil.now()
        self.stamp = {"created_at": stamp, "updated_at": stamp}
        self.tables = {m: Table(m, connection) for m in (Party, Case, Event, Clock, Pause, ClockRun)}
        self.triggers_off = False

    def skip_triggers(self) -> bool:
        """PostgreSQL, on the calling thread's connection, for a bulk load: no per-row triggers — neither the
        foreign keys' checks (the ids are assigned here, consistently) nor the search copy (cases 0009) and the
        person keys (cases 0015), which write() then fills itself. Half the server's time per item. Needs a
        superuser (session_replication_role); False, the triggers staying, when refused."""
        if self.connection.vendor != "postgresql" or self.connection.in_atomic_block:
            return False
        try:
            with self.connection.cursor() as cur:
                cur.execute("SET session_replication_role = replica")
        except DatabaseError:
            return False
        self.triggers_off = True
        return True

    def write(self, plans: list[Plan]) -> None:
        parties, cases = self.tables[Party], self.tables[Case]
        first_case = cases.next_id
        for plan in plans:
            case = plan.case
            if self.triggers_off and plan.complainant:  # what the trigger of cases 0015 would set
                person = plan.complainant
                person.phone_key, person.id_key = persons.phone_key(person.phone), persons.id_key(person.id_number)
                person.name_key = persons.name_key(person.name)
            case.complainant_id = parties.add(plan.complainant) if plan.complainant else None
            case.respondent_id = parties.add(plan.respondent) if plan.respondent else None
            case.update(self.stamp)
            if case.external_id is PLATFORM_ID:
                case.external_id = f"1242131{cases.next_id:011d}"
            case_id = cases.add(case)
            for table, rows in ((Event, plan.events), (Clock, plan.clocks), (Pause, plan.pauses),
                                (ClockRun, plan.runs)):
                for row in rows:
                    row.case_id = case_id
                    self.tables[table].add(row)
        with self.connection.cursor() as cursor:
            for table in self.tables.values():
                table.flush(cursor)
            if self.triggers_off and cases.next_id > first_case:
                search.copy_text(cursor, first_case, cases.next_id - 1)

    def reset_sequences(self) -> None:
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class _SearchIndex:
    """On SQLite the search table (cases migration 0004) is filled by a trigger, row by row; for many rows
    at once, one INSERT … SELECT at the end is several times faster."""

    TRIGGER = "cases_case_search_insert"

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.sql = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cur:
                cur.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [self.TRIGGER])
                row = cur.fetchone()
            self.sql = row[0] if row else None

    def pause(self) -> None:
        if self.sql:
            with self.connection.cursor() as cur:
                cur.execute(f"DROP TRIGGER {self.TRIGGER}")

    def resume(self, first_id: int) -> None:
        if not self.sql:
            return
        with transaction.atomic(), self.connection.cursor() as cur:
            cur.execute(self.sql)
            cur.execute("""INSERT INTO cases_case_search(rowid, number, facts, demand, respondent, external_id)
                SELECT c.id, c.number, c.facts, c.demand, p.name, c.external_id
                FROM cases_case c LEFT JOIN cases_party p ON p.id = c.respondent_id
                WHERE c.id >= %s AND c.id NOT IN (SELECT rowid FROM cases_case_search WHERE rowid >= %s)""",
                        [first_id, first_id])


class _WriteBehind:
    """Writes the batches on a second connection while the caller plans the next ones: storing a batch (COPY, the
    indexes, the search table's trigger) takes the database about as long as planning it takes Python, and the
    two run on different cores (issue 24, point 1)."""

    def __init__(self, write: Callable[[list[Plan], dict, int], None], prepare: Callable[[], object] | None = None):
        self.write, self.prepare = write, prepare
        self.jobs: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="generate-data-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from django.db import connection

        try:
            if self.prepare:
                self.prepare()
            while (job := self.jobs.get()) is not None:
                self.write(*job)
        except BaseException as exc:  # handed to the planning thread, which raises it
            self.error = exc
        finally:
            connection.close()

    def put(self, job) -> None:
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.jobs.put(job, timeout=0.5)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """Let the queued batches be written, end the thread, raise what it raised."""
        while self.thread.is_alive():
            try:
                self.jobs.put(None, timeout=0.5)
                break
            except queue.Full:
                continue
        self.thread.join()
        if self.error is not None:
            raise self.error


def generate(*, items: int, seed: int, years: int = 3, batch: int = 5000,
             progress: Callable[[int, int, float], None] | None = None) -> dict[str, int]:
    """Write `items` items received over the last `years` years; the same seed gives the same items.
    Nothing else may write items meanwhile: ids are assigned here. Outside a transaction the batches are written
    by a second thread while the next ones are planned; inside one (the tests) in line, on its connection."""
    from django.db import connection

    started = time.perf_counter()
    g = Generator(seed=seed, years=years)
    moments = g.received_times(items)
    if moments and connection.vendor == "postgresql":
        # Each year's timeline in its own partition (cases 0020), not ten years in DEFAULT.
        partitions.ensure_years(range(moments[0].year, moments[-1].year + 1))
    made = 0
    with transaction.atomic():
        writer = Writer()
    first_id = writer.tables[Case].next_id

    def write(plans: list[Plan], numbers: dict, done: int) -> None:
        with transaction.atomic():
            writer.write(plans)
            g.save_numbers(numbers)
        if progress:
            progress(done, items, time.perf_counter() - started)

    behind = None if connection.in_atomic_block else _WriteBehind(write, prepare=writer.skip_triggers)
    search = _SearchIndex()
    search.pause()
    try:
        for offset in range(0, items, batch):
            plans = [g.plan(t) for t in moments[offset:offset + batch]]
            made += len(plans)
            job = (plans, dict(g.numbers), made)
            behind.put(job) if behind else write(*job)
    finally:
        try:
            if behind:
                behind.close()
        finally:
            search.resume(first_id)
    writer.reset_sequences()
    return {"items": made, "events": Event.objects.count(), "clocks": Clock.objects.count(),
            "seconds": round(time.perf_counter() - started, 1)}
