"""What the ODR tests share: businesses made directly with their accounts and complaints against them driven to
triage (the flow's tests); a registration body and a business registered through the API (the register's tests)."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, complaint_body
from xiaobao.odr.models import CONDITIONS, Business
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
