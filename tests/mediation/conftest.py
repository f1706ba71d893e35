"""Items driven to where the handler's workspace is used; uploads kept in a temporary MEDIA_ROOT."""

from __future__ import annotations

import io

import pytest
import time_machine

from tests.conftest import complaint_body, report_body

MONDAY = "2026-03-02 10:00 +0800"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\x00" * 56


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.content.decode()[:800]
    return r.json()


def accepted_complaint(api, **overrides) -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", complaint_body(**overrides)), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "st-nanjiao"}))
    ok(api("nanjiao").act(case_id, "accept"))
    return case_id


def verifying_report(api, **overrides) -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", report_body(**overrides)), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    assert ok(clerk.act(case_id, "assign", {"unit": "jicha"}))["state"] == "pending_approval"
    ok(api("fenguan").act(case_id, "approve"))
    ok(api("jicha").act(case_id, "begin_verification"))
    return case_id


def upload(api, username: str, case_id: int, name: str, data: bytes):
    a = api(username)
    f = io.BytesIO(data)
    f.name = name
    return a.client.post(f"/api/v1/cases/{case_id}/attachments", {"file": f}, **a.headers)


def last_event(case: dict) -> dict:
    return case["events"][-1]
