"""What the ODR tests share: businesses made directly with their accounts and complaints against them driven to
triage (the flow's tests); a registration body and a business registered through the API (the register's tests);
forwardings written directly as the flow leaves them (the scorecard's tests)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, complaint_body
from xiaobao.clocks.calendar import get_calendar
from xiaobao.odr.credit_code import check_character
from xiaobao.odr.models import CONDITIONS, Business, BusinessState, Forwarding, ForwardingState
from xiaobao.units.models import Staff

MONDAY = "2026-05-04 10:00 +0800"  # under the 2026 rules (in force 2026-04-15)
XINDA = {"name": "曾都区鑫达电器商行", "credit_code": "91420000177570439L"}
HUIMIN = {"name": "曾都区惠民副食批发部", "credit_code": "914403001922038216"}


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def make_business(username: str, *, name: str, credit_code: str, state: str = "active") -> Business:
    account = Staff.objects.create_user(username=username, password=PASSWORD, full_name=name, roles=["business"],
                                        unit=None, must_change_password=False)
    return Business.objects.create(name=name, credit_code=credit_code, address="曾都区南郊街道白云大道18号",
                                   contact="刘经理", phone="0722-3300001", conditions={}, commitments=[],
                                   state=state, account=account)


@pytest.fixture
def xinda(bureau):
    """The ODR business the usual complaint (tests.conftest.complaint_body) is against."""
    return make_business("odr-xinda", **XINDA)


@pytest.fixture
def huimin(bureau):
    return make_business("odr-huimin", **HUIMIN)


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.content.decode()[:800]
    return r.json()


def complaint(api, **overrides) -> int:
    """A complaint against 鑫达 registered by 消保股 and waiting in triage."""
    body = complaint_body(**{"received_at": "2026-05-04T09:00:00+08:00", **overrides})
    case_id = ok(api("xiaobao").post("/api/v1/cases", body), 201)["id"]
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    return case_id


def forwarded(api, business, **overrides) -> int:
    case_id = complaint(api, **overrides)
    ok(api("xiaobao").act(case_id, "forward_to_business",
                          {"business": business.pk, "consent": True, "consent_note": "电话确认同意先行和解"}))
    return case_id


def clock_of(case: dict, name: str) -> dict | None:
    return next((c for c in case["clocks"] if c["name"] == name), None)


# Codes printed on published business licences (tests/odr/test_credit_code.py).
CODE = "91420000177570439L"
OTHER_CODE = "91110000600037341L"
BUSINESS_PASSWORD = "Shangjia-hejie-2026"


def business_body(**overrides) -> dict:
    body = {"name": "曾都区鑫达电器商行", "credit_code": CODE, "address": "曾都区南郊街道白云大道18号",
            "contact": "王经理", "phone": "0722-3300001", "origin": "recommended",
            "conditions": dict.fromkeys(CONDITIONS, True),
            "commitments": ["advance_compensation", "no_reason_return"]}
    body.update(overrides)
    return body


def token_of(username: str, password: str):
    return Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                         content_type="application/json")


def change_password(username: str, password: str, new_password: str, **extra):
    return Client().post("/api/v1/auth/password",
                         json.dumps({"username": username, "password": password, "new_password": new_password,
                                     **extra}), content_type="application/json")


@pytest.fixture
def registered(api) -> dict:
    """A business registered by 消保股 through the API: {"id", "username", "password"}."""
    r = api("xiaobao").post("/api/v1/odr/businesses", business_body())
    assert r.status_code == 201, r.content
    return r.json()


@pytest.fixture
def business_token(registered) -> dict:
    """The registered business, its own password set; {"id", "username", "headers"}."""
    assert change_password(registered["username"], registered["password"], BUSINESS_PASSWORD).status_code == 200
    r = token_of(registered["username"], BUSINESS_PASSWORD)
    assert r.status_code == 200, r.content
    return {**registered, "headers": {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}}


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
