"""ODR businesses and complaints against them, driven to triage (the businesses and their accounts are made
directly: the register and its account creation are another part of issue 22)."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import PASSWORD, complaint_body
from xiaobao.odr.models import Business
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
