"""What the ODR tests share: a business's registration body, and a registered business's logged-in account."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from xiaobao.odr.models import CONDITIONS

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
