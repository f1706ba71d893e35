"""同一线索多人举报的，奖励第一举报人 (《市场监管领域重大违法行为举报奖励暂行办法》; DOMAIN.md, "Report rewards"): reports
merged into one matter (xiaobao.merging) get one reward, assessed on the report received first."""

import pytest

from tests.conftest import report_body
from tests.mediation.conftest import PDF, ok, upload
from tests.rewards.conftest import assess_body, reward_url

pytestmark = pytest.mark.usefixtures("clock")


def test_reward_several_reporters_of_one_clue_the_first_is_rewarded(api):
    clerk = api("xiaobao")
    first = report_body(received_at="2026-03-02T08:00:00+08:00")
    first["complainant"] = {**first["complainant"], "wants_reward": True}
    later = report_body(received_at="2026-03-02T09:00:00+08:00")
    later["complainant"] = {"name": "周七", "phone": "13700000003", "address": "曾都区西城街道", "wants_reward": True}
    a = ok(clerk.post("/api/v1/cases", first), 201)
    b = ok(clerk.post("/api/v1/cases", later), 201)
    for case in (a, b):
        ok(clerk.act(case["id"], "submit_for_triage"))
    # The earlier report joins the later one, which is handled for the matter.
    ok(clerk.act(a["id"], "merge", {"into": b["id"], "reason": "同一经营者销售过期白酒", "consent": True}))
    ok(clerk.act(b["id"], "assign", {"unit": "jicha"}))
    ok(api("fenguan").act(b["id"], "approve"))
    handler = api("jicha")
    ok(handler.act(b["id"], "begin_verification"))
    ok(handler.act(b["id"], "file", {"note": "立案调查", "penalty_case_number": "曾市监立〔2026〕13号"}))
    ok(api("juzhang").act(b["id"], "approve"))
    pdf = ok(upload(api, "jicha", b["id"], "处罚决定书.pdf", PDF), 201)
    ok(handler.act(b["id"], "upload_penalty_decision", {"attachment": pdf["id"]}))

    r = handler.post(reward_url(b["id"]), assess_body())
    assert r.status_code == 409 and r.json()["error"] == f"同一线索多人举报的，奖励第一举报人：应在 {a['number']} 认定。"
    reward = ok(handler.post(reward_url(a["id"]), assess_body()), 201)
    assert reward["number"] == a["number"] and reward["closed_on"] == "2026-03-02"
    r = handler.post(reward_url(b["id"]), assess_body())
    assert r.status_code == 409 and "同一线索只奖励一次" in r.json()["error"]
