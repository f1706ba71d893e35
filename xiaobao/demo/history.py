"""Replays realistic histories through the real services, at past moments, to fill the demo bureau."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from xiaobao.cases import services
from xiaobao.cases.errors import Refused
from xiaobao.clocks.calendar import get_calendar
from xiaobao.handling.services import NOTICE_CLOCKS
from xiaobao.lib import timeutil
from xiaobao.rules.models import Category
from xiaobao.units.models import Staff

from .data import BUSINESSES, COMPLAINT_FACTS, DEMANDS, GIVEN, QUESTIONS, REPORT_FACTS, SURNAMES, TERRITORIES

# DOMAIN.md "Scale" (台州 2024): 53 % through the 12315 platform, 36 % as 12345 hotline work orders, …
CHANNELS = [("platform_12315", 53), ("hotline", 36), ("letter", 6), ("phone", 5), ("visit", 1)]
HOTLINE_CATEGORY = {"complaint": "投诉", "report": "举报", "inquiry": "咨询"}
# The city's deadlines for a work order (configuration in a real city; DOMAIN.md: sign within 1 working day,
# inquiries 2 working days, complaints and reports by the legal clocks — 15 working days here).
HOTLINE_FINISH_WORKDAYS = {"complaint": 15, "report": 15, "inquiry": 2}


class Replay:
    def __init__(self, staff: dict[str, Staff], seed: int = 2026):
        self.rnd = random.Random(seed)
        self.staff = staff
        self.now = timezone.now()
        self.cal = get_calendar()
        self.handlers = {s.unit.code: s for s in staff.values() if s.unit and "handler" in s.roles}
        self.refused: list[str] = []

    # ------------------------------------------------------------ material
    def person(self) -> dict:
        r = self.rnd
        station = r.choice(list(TERRITORIES))
        return {"name": r.choice(SURNAMES) + r.choice(GIVEN), "phone": f"1{r.choice('3578')}{r.randrange(10**9):09d}",
                "address": f"{r.choice(TERRITORIES[station])}{r.randrange(1, 300)}号", "id_type": "居民身份证",
                "id_number": f"421302{r.randrange(1960, 2004)}{r.randrange(1, 13):02d}{r.randrange(1, 29):02d}"
                             f"{r.randrange(1000):03d}{r.choice('0123456789X')}",
                "wants_reply": r.random() < 0.85}

    def business(self) -> tuple[dict, str, str, str, int]:
        """A business of the demo district; each one always trades at the same address."""
        index = self.rnd.randrange(len(BUSINESSES))
        name, category, goods, amount = BUSINESSES[index]
        stations = list(TERRITORIES)
        station = stations[index % len(stations)]
        streets = TERRITORIES[station]
        address = f"{streets[index % len(streets)]}{(index * 37) % 400 + 1}号"
        code = f"91421303MA4{index * 7919 % 10**6:06d}{'ABCDEFGH'[index % 8]}{index % 10}"
        return ({"name": name, "address": address, "credit_code": code}, station, category, goods, amount)

    def moment(self, days_ago: float) -> datetime:
        base = self.now - timedelta(days=days_ago)
        local = timezone.localtime(base)
        d = self.cal.next_workday_on_or_after(local.date())
        t = time(self.rnd.randrange(8, 17), self.rnd.randrange(60))
        received = timezone.make_aware(datetime.combine(d, t))
        while received >= self.now:
            # Nothing is received later than the moment the demo is loaded: the working day before instead.
            d -= timedelta(days=1)
            while not self.cal.is_workday(d):
                d -= timedelta(days=1)
            received = timezone.make_aware(datetime.combine(d, t))
        return received

    def later(self, moment: datetime, workdays: int) -> datetime | None:
        d = self.cal.add_workdays(timezone.localdate(moment), workdays) if workdays else timezone.localdate(moment)
        t = time(self.rnd.randrange(8, 18), self.rnd.randrange(60))
        nxt = max(timezone.make_aware(datetime.combine(d, t)), moment + timedelta(minutes=5))
        return nxt if nxt < self.now else None

    # ------------------------------------------------------------ histories
    def run(self, count: int, progress=None) -> int:
        made = 0
        for i in range(count):
            kind = self.rnd.choices(["complaint", "report", "inquiry"], [55, 25, 20])[0]
            recent = self.rnd.random() < 0.35
            days_ago = self.rnd.uniform(0.2, 15) if recent else self.rnd.uniform(15, 182)
            try:
                self.one(kind, self.moment(days_ago))
            except Refused as exc:
                self.refused.append(str(exc))
                continue
            made += 1
            if progress and (i + 1) % 20 == 0:
                progress(i + 1, count)
        return made

    def act(self, moment: datetime | None, actor: Staff, case_id: int, action: str, body: dict | None = None):
        if moment is None:
            raise StopIteration
        with timeutil.at(moment):
            services.perform(actor=actor, case_id=case_id, action=action, body=body or {})
        return moment

    def one(self, kind: str, t: datetime) -> None:
        r = self.rnd
        respondent, station, category, goods, amount = self.business()
        channel = r.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        when = timezone.localtime(t - timedelta(days=r.randrange(1, 20))).strftime("%Y年%m月%d日")
        biz = respondent["name"]
        data: dict = {"kind": kind, "channel": channel, "received_at": t.isoformat(), "category": category,
                      "respondent": respondent}
        if channel == "platform_12315":
            data["external_id"] = f"1242130{r.randrange(10**11):011d}"
        if kind == "complaint":
            data.update(complainant=self.person(), amount=str(amount), demand=r.choice(DEMANDS),
                        facts=r.choice(COMPLAINT_FACTS).format(date=when, biz=biz, goods=goods, amount=amount),
                        tier=r.choices(["general", "urgent", "difficult"], [80, 10, 10])[0])
        elif kind == "report":
            person = self.person()
            person["anonymous"] = r.random() < 0.3
            data.update(complainant=person, facts=r.choice(REPORT_FACTS).format(biz=biz, goods=goods))
            data["category"] = r.choice(["food_safety", "advertising", "unlicensed", "counterfeit", "price"])
        else:
            data.update(complainant=self.person(), facts=r.choice(QUESTIONS))
            data.pop("respondent")
        clerk = self.staff["xiaobao"]
        with timeutil.at(t):
            if channel == "hotline":
                case = self.hotline_order(kind, data, t)
            else:
                case, _ = services.register_case(actor=clerk, data=data)
        try:
            self.flow(case, kind, station, data["category"], t)
        except StopIteration:
            pass

    def hotline_order(self, kind: str, data: dict, t: datetime):
        """A 12345 work order for the same matter, through the bridge (xiaobao.hotline)."""
        from xiaobao.hotline import services as hotline

        r, local = self.rnd, timezone.localtime(t)
        sign_due = timezone.make_aware(datetime.combine(self.cal.add_workdays(local.date(), 1), local.time()))
        finish_due = self.cal.add_workdays(local.date(), HOTLINE_FINISH_WORKDAYS[kind])
        order = {"order_no": f"SZ12345-{local:%Y%m%d}-{r.randrange(10**5):05d}", "received_at": data["received_at"],
                 "category": HOTLINE_CATEGORY[kind], "title": data["facts"][:24], "content": data["facts"],
                 "demand": data.get("demand", ""), "requester": data["complainant"],
                 "respondent": data.get("respondent"), "sign_due": sign_due.isoformat(),
                 "finish_due": finish_due.isoformat()}
        case, _ = hotline.receive_order(actor=self.staff["xiaobao"], data=order)
        return case

    def flow(self, case, kind: str, station: str, category: str, t: datetime) -> None:
        r, s = self.rnd, self.staff
        clerk = s["xiaobao"]
        if kind == "inquiry":
            t = self.act(self.later(t, 0), clerk, case.pk, "answer", {"answer": "已电话解答，告知相关法律规定及维权途径。"})
            if case.channel == "hotline":
                t = self.act(self.later(t, 0), clerk, case.pk, "reply", {
                    "channel": "phone", "content": "已电话解答。", "public_reply": "已向来电人解答相关法律规定及维权途径。"})
                self.visit(case, t)
            return
        t = self.act(self.later(t, 0), clerk, case.pk, "submit_for_triage")
        if (self.now - t).days < 3 and r.random() < 0.6:
            return  # still waiting in the triage queue
        target = station
        if kind == "report":
            # Reports go by the kind of violation to the section that owns it (业务管辖); now and then a
            # clerk sends one to the station or the inspection branch instead.
            target = Category.objects.get(code=category).section_code or station
            if r.random() < 0.08:
                target = r.choice([station, "jicha"])
        if r.random() < 0.06 and kind == "complaint":
            t = self.act(self.later(t, 1), clerk, case.pk, "assign", {"unit": "st-dongcheng", "note": "按属地分流"})
            if target != "st-dongcheng":
                t = self.act(self.later(t, 1), self.handlers["st-dongcheng"], case.pk, "return",
                             {"reason": "经核实，被投诉人经营地址不在本所辖区，请重新分流。"})
        t = self.act(self.later(t, r.choice([0, 1])), clerk, case.pk, "assign",
                     {"unit": target, "note": "按属地管辖、业务管辖原则分流"})
        case.refresh_from_db()
        if case.state == "pending_approval":
            t = self.act(self.later(t, 1), s["fenguan"], case.pk, "approve", {"note": "同意分流"})
        handler = self.handlers[target]
        if case.channel == "hotline":
            t = self.act(self.later(t, r.choice([0, 0, 1])), handler, case.pk, "sign")
        if kind == "complaint":
            self.complaint(case, handler, t)
        else:
            self.report(case, handler, t)

    def complaint(self, case, handler: Staff, t: datetime) -> None:
        r = self.rnd
        if r.random() < 0.1:
            t = self.act(self.later(t, r.randrange(1, 6)), handler, case.pk, "not_accept",
                         {"ground": r.choice(["handled_elsewhere", "not_consumption", "materials_missing"]),
                          "reason": "经审查不符合受理条件"})
        else:
            t = self.act(self.later(t, r.randrange(1, 6)), handler, case.pk, "accept")
            if r.random() < 0.12:
                t = self.act(self.later(t, 2), handler, case.pk, "pause",
                             {"reason": "testing", "note": "送检测机构检验"})
                t = self.act(self.later(t, r.randrange(3, 10)), handler, case.pk, "resume")
            fate = r.choices(["agreed", "terminated", "withdrawn"], [65, 22, 13])[0]
            body = {"result": fate}
            if fate == "agreed":
                body.update(amount_recovered=str(r.choice([100, 200, 300, 500, 800, 1200, 2000])),
                            agreement="经调解，双方自愿达成协议，商家退还部分货款。")
            elif fate == "terminated":
                body.update(ground=r.choice(["party_absent", "no_agreement"]), reason="双方分歧较大，无法达成协议")
            t = self.act(self.later(t, r.randrange(2, 16)), handler, case.pk, "mediate", body)
        self.close(case, handler, t)

    def report(self, case, handler: Staff, t: datetime) -> None:
        r = self.rnd
        t = self.act(self.later(t, 1), handler, case.pk, "begin_verification")
        # The bureau head decides both ways (规则 二.2; 《市场监督管理行政处罚程序规定》第十八条).
        if r.random() < 0.45:
            t = self.act(self.later(t, r.randrange(1, 7)), handler, case.pk, "file",
                         {"note": "经核查，违法事实基本清楚，拟予立案。"})
            t = self.act(self.later(t, 1), self.staff["juzhang"], case.pk, "approve", {"note": "同意立案"})
        else:
            t = self.act(self.later(t, r.randrange(1, 7)), handler, case.pk, "decline_filing",
                         {"reason": "经现场核查，未发现举报所称违法行为。",
                          "record": "执法人员到被举报人经营场所现场检查，查看在售商品及进货台账，未发现举报所称违法行为。"})
            t = self.act(self.later(t, 1), self.staff["juzhang"], case.pk, "approve", {"note": "同意不予立案"})
        self.close(case, handler, t)

    def close(self, case, handler: Staff, t: datetime) -> None:
        case.refresh_from_db()
        if case.clocks.filter(name__in=NOTICE_CLOCKS, met_on__isnull=True).exists():
            # 消保股 tells the named person, whether or not a reply was asked for (规则 二.2、二.4).
            t = self.act(self.later(t, self.rnd.randrange(0, 3)), self.staff["xiaobao"], case.pk, "send_notice",
                         {"channel": "phone", "content": "已电话告知办理结果。"})
        if case.clocks.filter(name="reply", met_on__isnull=True).exists() or case.channel == "hotline":
            body = {"channel": "phone", "content": "已电话告知办理结果。"}
            if case.channel == "hotline":
                body["public_reply"] = "已依法办理并告知来电人办理结果。"
            t = self.act(self.later(t, self.rnd.randrange(0, 4)), handler, case.pk, "reply", body)
            if case.channel == "hotline":
                t = self.visit(case, t) or t
        if self.rnd.random() < 0.5:
            self.act(self.later(t, 10), self.staff["archivist"], case.pk, "archive")

    def visit(self, case, t: datetime) -> datetime | None:
        """The hotline's 回访 a few days after the reply (the demo keeps its items concluded: no 不满意)."""
        moment = self.later(t, self.rnd.randrange(1, 4))
        if moment is None:
            return None
        satisfaction = self.rnd.choices(["satisfied", "basic"], [85, 15])[0]
        return self.act(moment, self.staff["xiaobao"], case.pk, "hotline_visit",
                        {"resolved": self.rnd.random() < 0.9, "satisfaction": satisfaction})
