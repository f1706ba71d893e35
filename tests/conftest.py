"""The shared cast: the demo bureau's units and accounts, and helpers to drive the API as each of them."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from django.test import Client

from xiaobao.cases import reference
from xiaobao.clocks.calendar import reset_cache
from xiaobao.demo.bureau import create_bureau

PASSWORD = "Test-pass-2026!"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The cast logs in many times per test; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    # Background tasks (django-tasks) run in the request that queues them, so tests see their outcome at once;
    # outside tests they go to the database queue (settings.TASKS).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _audit_checkpoints_of_this_test(settings, tmp_path):
    # verify_audit compares the chain with the checkpoint file; never the installation's own (var/).
    settings.XIAOBAO_AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    reset_cache()
    yield
    reset_cache()


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    # Rule sets, categories and the office unit are cached per process; a rolled-back test leaves no trace.
    reference.reset_cache()
    yield
    reference.reset_cache()


@pytest.fixture
def bureau(db):
    """Units of 曾都区 and the accounts of API-v1.md: xiaobao (dispatcher), fenguan (deputy director),
    juzhang (bureau head), nanjiao / dongcheng / jicha / shipin (handlers), archivist, auditor, admin."""
    return create_bureau(PASSWORD)


class Api:
    """A JSON client logged in as one user through POST /api/v1/auth/token."""

    def __init__(self, username: str | None):
        self.client = Client()
        self.headers = {}
        if username:
            r = self.client.post("/api/v1/auth/token", json.dumps({"username": username, "password": PASSWORD}),
                                 content_type="application/json")
            assert r.status_code == 200, r.content
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}

    def get(self, path: str, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(path, json.dumps(body or {}), content_type="application/json", **self.headers)

    def put(self, path: str, body: dict):
        return self.client.put(path, json.dumps(body), content_type="application/json", **self.headers)

    def act(self, case_id: int, action: str, body: dict | None = None):
        return self.post(f"/api/v1/cases/{case_id}/actions/{action}", body)


@pytest.fixture
def api(bureau):
    cache: dict[str, Api] = {}

    def as_user(username: str) -> Api:
        if username not in cache:
            cache[username] = Api(username)
        return cache[username]

    return as_user


def complaint_body(**overrides) -> dict:
    body = {
        "kind": "complaint", "channel": "phone", "received_at": "2026-03-02T09:30:00+08:00",
        "complainant": {"name": "张伟", "phone": "13800000001", "address": "曾都区南郊街道清河路8号",
                        "id_type": "居民身份证", "id_number": "421302199001011234", "wants_reply": True},
        "respondent": {"name": "曾都区鑫达电器商行", "address": "曾都区南郊街道白云大道18号"},
        "facts": "2026年2月20日在该店购买空调一台，价款3299元，安装后不制冷，商家拒绝退换。",
        "demand": "退货并退还货款", "amount": "3299.00", "category": "appliances",
    }
    body.update(overrides)
    return body


def report_body(**overrides) -> dict:
    body = {
        "kind": "report", "channel": "web", "received_at": "2026-03-02T10:00:00+08:00",
        "complainant": {"name": "李娜", "phone": "13900000002", "address": "曾都区东城街道文化路1号"},
        "respondent": {"name": "曾都区惠民副食批发部", "address": "曾都区南郊街道两水路5号"},
        "facts": "该店销售过期食品，货架上有多件超过保质期的散装白酒。", "category": "food_safety",
    }
    body.update(overrides)
    return body


def local(s: str) -> datetime:
    return datetime.fromisoformat(s)
