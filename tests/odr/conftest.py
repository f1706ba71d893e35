"""ODR businesses and their forwardings written directly (the forwarding and answering flow is another part of
issue 22), on complaints registered through API v1. The scorecard reads only what the flow leaves behind."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import complaint_body
from xiaobao.clocks.calendar import get_calendar
from xiaobao.odr.credit_code import check_character
from xiaobao.odr.models import Business, BusinessState, Forwarding, ForwardingState
from xiaobao.units.models import Staff

S = ForwardingState


def credit_code(n: int) -> str:
    first17 = f"91421303MA{n:07d}"
    return first17 + check_character(first17)


def business(name: str, *, n: int, state: str = BusinessState.ACTIVE, commitments=(), contact: str = "王经理",
             phone: str = "0722-3300000") -> Business:
    return Business.objects.create(name=name, credit_code=credit_code(n), address="曾都区白云大道1号",
                                   contact=contact, phone=phone, state=state, commitments=list(commitments))


def at(s: str) -> datetime:
    return datetime.fromisoformat(s)


class Forwarder:
    """Writes forwardings as the flow would: due = the 10th working day after the forwarding's day."""

    def __init__(self, api):
        self.api = api
        self.dispatcher = Staff.objects.get(username="xiaobao")

    def __call__(self, biz: Business, forwarded: str, *, state: str = S.WITH_BUSINESS, answered: str | None = None,
                 closed: str | None = None, amount: str | None = None, **complainant) -> Forwarding:
        body = complaint_body()
        if complainant:
            body["complainant"] = {**body["complainant"], **complainant}
        r = self.api("xiaobao").post("/api/v1/cases", body)
        assert r.status_code == 201, r.content
        when = at(forwarded)
        return Forwarding.objects.create(
            case_id=r.json()["id"], business=biz, state=state, forwarded_at=when, forwarded_by=self.dispatcher,
            due=get_calendar().add_workdays(when.date(), 10), answered_at=at(answered) if answered else None,
            closed_at=at(closed) if closed else (at(answered) if answered else None),
            amount=Decimal(amount) if amount else None)


@pytest.fixture
def forward(api) -> Forwarder:
    return Forwarder(api)


def browser(username: str) -> Client:
    client = Client()
    client.force_login(Staff.objects.get(username=username))
    return client


@pytest.fixture
def odr_march(forward) -> dict[str, Business]:
    """Two active members busy around March 2026, a suspended one busy in January, a removed and a pending one.

    鑫达电器 (both commitments): settled 03-03 what came 02-26 (300.00; working days 02-27, the make-up
    Saturday 02-28, 03-02, 03-03: 4); three forwarded 03-02: settled 03-04 (500.50, 2 working days), not settled
    03-09 (5), timed out 03-17 (due 03-16); one forwarded 23:30 on 03-31 and one 00:30 on 04-01, both open.
    好邻居超市: forwarded 03-05 and escalated 03-06; forwarded 03-02 and settled 03-17, a day after its due
    date (100.00, 11 working days).
    """
    xinda = business("曾都区鑫达电器商行", n=1, commitments=("advance_compensation", "no_reason_return"))
    haolinju = business("随州市好邻居超市有限公司", n=2)
    laojie = business("曾都区老街餐馆", n=3, state=BusinessState.SUSPENDED, commitments=("advance_compensation",))
    business("曾都区已移出商贸有限公司", n=4, state=BusinessState.REMOVED)
    business("曾都区待审核电子商务有限公司", n=5, state=BusinessState.PENDING)

    forward(xinda, "2026-02-26T10:00:00+08:00", state=S.SETTLED, answered="2026-03-03T10:00:00+08:00", amount="300.00")
    forward(xinda, "2026-03-02T10:00:00+08:00", state=S.SETTLED, answered="2026-03-04T15:00:00+08:00", amount="500.50")
    forward(xinda, "2026-03-02T11:00:00+08:00", state=S.NOT_SETTLED, answered="2026-03-09T09:00:00+08:00")
    forward(xinda, "2026-03-02T12:00:00+08:00", state=S.TIMED_OUT, closed="2026-03-17T01:00:00+08:00")
    forward(xinda, "2026-03-31T23:30:00+08:00")
    forward(xinda, "2026-04-01T00:30:00+08:00")
    forward(haolinju, "2026-03-05T10:00:00+08:00", state=S.ESCALATED, closed="2026-03-06T10:00:00+08:00")
    forward(haolinju, "2026-03-02T10:00:00+08:00", state=S.SETTLED, answered="2026-03-17T10:00:00+08:00",
            amount="100.00")
    forward(laojie, "2026-01-12T10:00:00+08:00", state=S.SETTLED, answered="2026-01-13T10:00:00+08:00", amount="50.00")
    return {"xinda": xinda, "haolinju": haolinju, "laojie": laojie}
