"""A report driven to where a reward is assessed: filed by 稽查分局, its 处罚决定书 uploaded."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import report_body
from tests.mediation.conftest import PDF, ok, upload

MONDAY = "2026-03-02 10:00 +0800"
ANONYMOUS = {"anonymous": True, "wants_reward": True, "reward_code": "青山绿水2026", "reward_password": "s3cret-pw"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def filed_report(api, *, complainant: dict | None = None, decision: bool = True) -> int:
    """A report filed by 稽查分局 (立案 approved by the head), with its 处罚决定书 uploaded when `decision`."""
    body = report_body()
    body["complainant"] = complainant or {**body["complainant"], "wants_reward": True}
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", body), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "jicha"}))
    ok(api("fenguan").act(case_id, "approve"))
    ok(api("jicha").act(case_id, "begin_verification"))
    ok(api("jicha").act(case_id, "file", {"note": "立案调查", "penalty_case_number": "曾市监立〔2026〕12号"}))
    ok(api("juzhang").act(case_id, "approve", {"note": "同意立案"}))
    if decision:
        pdf = ok(upload(api, "jicha", case_id, "处罚决定书.pdf", PDF), 201)
        ok(api("jicha").act(case_id, "upload_penalty_decision", {"attachment": pdf["id"], "number": "曾市监处罚〔2026〕5号"}))
    return case_id


CONDITIONS = {"in_scope": True, "key_evidence": True, "not_known": True, "penalised": True}


def assess_body(**overrides) -> dict:
    return {"level": 1, "fines": "120000.00", "conditions": dict(CONDITIONS), "evidence": "举报人提供了进货单据和照片", **overrides}


def reward_url(case_id: int, action: str | None = None) -> str:
    return f"/api/v1/cases/{case_id}/reward" + (f"/actions/{action}" if action else "")
