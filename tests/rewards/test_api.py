"""举报奖励 through API v1 (API-v1.md, "Report rewards"; 《市场监管领域重大违法行为举报奖励暂行办法》, 国市监稽规〔2021〕4号):
assessed on a filed report whose 处罚决定书 is uploaded, then told, applied for, approved by the roles the rule set
names, paid non-cash to the reporter's own account — or lapsed 30 working days after the notice."""

import pytest

from tests.conftest import Api
from tests.mediation.conftest import ok
from tests.rewards.conftest import ANONYMOUS, assess_body, filed_report, reward_url
from xiaobao.records.models import AuditEntry
from xiaobao.rewards.models import Reward

pytestmark = pytest.mark.usefixtures("clock")


def test_reward_of_a_named_reporter_from_assessment_to_payment(api):
    case_id = filed_report(api)
    handler, clerk = api("jicha"), api("xiaobao")
    reward = ok(handler.post(reward_url(case_id), assess_body(level=1, fines="120000.00")), 201)
    assert (reward["level"], reward["fines"], reward["amount"], reward["state"]) == (1, "120000.00", "6000.00", "to_notify")
    # Tell the reporter within 15 working days of closing (the 处罚决定书 of 2026-03-02): 2026-03-23.
    notice = reward["clocks"][0]
    assert (notice["name"], notice["start"], notice["due"], notice["length"], notice["state"]) == (
        "reward_notice", "2026-03-02", "2026-03-23", 15, "running")
    assert "国市监稽规〔2021〕4号" in notice["basis"] and reward["actions"] == ["notify"]

    reward = ok(handler.post(reward_url(case_id, "notify"), {"channel": "phone", "note": "电话告知举报人"}))
    assert reward["state"] == "notified"
    collect = reward["clocks"][1]
    # 30 working days from the notice on 2026-03-02 (清明 2026-04-06 is not one): 2026-04-14.
    assert (collect["name"], collect["due"], collect["state"]) == ("reward_collect", "2026-04-14", "running")

    r = clerk.post(reward_url(case_id, "apply"), {"payee_name": "王五", "payee_id_number": "421302199001011234"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "payee_name"  # the reporter's own name only
    reward = ok(clerk.post(reward_url(case_id, "apply"), {"payee_name": "李娜", "payee_id_number": "421302199001011234"}))
    assert reward["state"] == "applied" and reward["approval_number"] == "奖审〔2026〕001号"

    # Approval by the roles the rule set names, in order: 分管局长, then 局负责人.
    assert handler.post(reward_url(case_id, "approve")).status_code == 403
    r = api("juzhang").post(reward_url(case_id, "approve"))
    assert r.status_code == 403 and "分管局长" in r.json()["error"]
    assert ok(api("fenguan").post(reward_url(case_id, "approve"), {"note": "拟同意"}))["state"] == "applied"
    reward = ok(api("juzhang").post(reward_url(case_id, "approve"), {"note": "同意"}))
    assert reward["state"] == "approved" and [a["role"] for a in reward["approvals"]] == ["deputy_director", "bureau_head"]

    # Payment: 消保股, non-cash, to an account in the reporter's own name.
    account = {"account_bank": "中国农业银行随州分行", "account_number": "6228480000000000000", "account_name": "李娜"}
    assert handler.post(reward_url(case_id, "pay"), {"method": "bank_transfer", **account}).status_code == 403
    r = clerk.post(reward_url(case_id, "pay"), {"method": "cash", **account})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "method"
    r = clerk.post(reward_url(case_id, "pay"), {"method": "bank_transfer", **account, "account_name": "李娜的丈夫"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "account_name"
    reward = ok(clerk.post(reward_url(case_id, "pay"), {"method": "bank_transfer", **account, "reference": "T20260302"}))
    assert reward["state"] == "paid" and reward["payment"]["payment_number"] == "奖发〔2026〕001号"
    assert reward["payment"]["account_name"] == "李娜" and reward["actions"] == []


def test_reward_an_anonymous_reporter_proves_itself_with_code_and_password(api):
    case_id = filed_report(api, complainant=dict(ANONYMOUS))
    clerk = api("xiaobao")
    reward = ok(clerk.post(reward_url(case_id), assess_body(level=3, fines="0.00")), 201)
    assert reward["amount"] == "1000.00" and reward["reporter"] == {"anonymous": True, "wants_reward": True}
    ok(clerk.post(reward_url(case_id, "notify"), {"channel": "internet"}))
    payee = {"payee_name": "赵六", "payee_id_number": "421302198801011111"}
    for proof in ({"reward_code": "青山绿水2026", "reward_password": "wrong-pw"},
                  {"reward_code": "别的代码", "reward_password": "s3cret-pw"}, {}):
        r = clerk.post(reward_url(case_id, "apply"), {**payee, **proof})
        assert r.status_code == 422, proof
    assert Reward.objects.get(case_id=case_id).state == "notified"
    assert AuditEntry.objects.filter(action="reward_apply_refused", case_id=case_id).count() == 3
    reward = ok(clerk.post(reward_url(case_id, "apply"),
                           {**payee, "reward_code": "青山绿水2026", "reward_password": "s3cret-pw"}))
    assert reward["state"] == "applied" and reward["payee_name"] == "赵六"


def test_reward_needs_all_four_conditions_named(api):
    case_id = filed_report(api)
    r = api("jicha").post(reward_url(case_id), assess_body(conditions={"in_scope": True, "key_evidence": False}))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["conditions.key_evidence", "conditions.not_known",
                                                        "conditions.penalised"]
    assert "事先未被市场监督管理部门掌握" in r.json()["errors"][1]["message"]
    r = api("jicha").post(reward_url(case_id), assess_body(level=4, fines="-1"))
    assert {e["field"] for e in r.json()["errors"]} == {"level", "fines"}


def test_reward_reporter_eligibility_as_checked_is_recorded_and_a_failed_check_refused(api):
    case_id = filed_report(api)
    checks = {"natural_person": True, "not_staff": False, "not_infringed_party": True, "not_violator": True}
    r = api("jicha").post(reward_url(case_id), assess_body(reporter=checks))
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "reporter.not_staff",
         "message": "举报人不符合奖励条件：举报人不是市场监督管理部门或者其他有查处职责的国家机关工作人员。"}]
    reward = ok(api("jicha").post(reward_url(case_id), assess_body(reporter={**checks, "not_staff": True})), 201)
    assert reward["conditions"]["reporter"] == {**checks, "not_staff": True}


def test_reward_anonymous_reporter_without_identity_code_is_refused(api):
    case_id = filed_report(api, complainant={"anonymous": True})
    r = api("xiaobao").post(reward_url(case_id), assess_body())
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "reward_code", "message": "匿名举报人举报时未设置奖励身份代码，无法确认举报人身份。"}]


def test_reward_needs_the_penalty_decision_uploaded(api):
    case_id = filed_report(api, decision=False)
    r = api("jicha").post(reward_url(case_id), assess_body())
    assert r.status_code == 409 and "处罚决定书" in r.json()["error"]


def test_reward_is_assessed_once(api):
    case_id = filed_report(api)
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    assert api("xiaobao").post(reward_url(case_id), assess_body()).status_code == 409


def test_reward_from_500000_needs_the_finance_departments_word(api):
    case_id = filed_report(api)
    reward = ok(api("jicha").post(reward_url(case_id), assess_body(level=1, fines="10000000.00")), 201)
    assert reward["amount"] == "500000.00" and reward["finance_required"] and reward["large_amount"]
    clerk = api("xiaobao")
    ok(clerk.post(reward_url(case_id, "notify")))
    ok(clerk.post(reward_url(case_id, "apply"), {"payee_name": "李娜", "payee_id_number": "421302199001011234"}))
    ok(api("fenguan").post(reward_url(case_id, "approve")))
    r = api("juzhang").post(reward_url(case_id, "approve"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "finance"
    assert ok(api("juzhang").post(reward_url(case_id, "approve"),
                                  {"finance": "经与区财政局会商，同意50万元"}))["state"] == "approved"


def test_reward_lapses_30_working_days_after_the_notice(api, clock):
    case_id = filed_report(api)
    clerk = api("xiaobao")
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    ok(clerk.post(reward_url(case_id, "notify")))
    r = clerk.post(reward_url(case_id, "lapse"))
    assert r.status_code == 409 and "2026-04-14" in r.json()["error"]
    clock.move_to("2026-04-14 17:00 +0800")  # the last day: still in time (tokens last 12 hours: log in again)
    clerk = Api("xiaobao")
    assert clerk.post(reward_url(case_id, "lapse")).status_code == 409
    clock.move_to("2026-04-15 09:00 +0800")
    clerk = Api("xiaobao")
    r = clerk.post(reward_url(case_id, "apply"), {"payee_name": "李娜", "payee_id_number": "421302199001011234"})
    assert r.status_code == 409 and "视为放弃" in r.json()["error"]
    reward = ok(clerk.get(reward_url(case_id)))
    assert reward["clocks"][1]["state"] == "overdue" and reward["actions"] == ["lapse"]
    assert Api("jicha").post(reward_url(case_id, "lapse")).status_code == 403  # 消保股 records it
    reward = ok(clerk.post(reward_url(case_id, "lapse")))
    assert reward["state"] == "lapsed" and reward["lapsed_on"] == "2026-04-15"


def test_reward_notice_clock_goes_overdue_after_15_working_days(api, clock):
    case_id = filed_report(api)
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    clock.move_to("2026-03-24 09:00 +0800")
    notice = ok(Api("jicha").get(reward_url(case_id)))["clocks"][0]
    assert (notice["state"], notice["days_left"]) == ("overdue", -1)


def test_reward_every_read_and_write_is_audited(api):
    case_id = filed_report(api)
    before = AuditEntry.objects.count()
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    ok(api("auditor").get(reward_url(case_id)))
    ok(api("xiaobao").post(reward_url(case_id, "notify")))
    rows = list(AuditEntry.objects.order_by("id")[before:].values_list("action", "case_id", "actor_name"))
    assert [r for r in rows if r[0].startswith("reward")] == [
        ("reward_assess", case_id, "jicha"), ("reward_read", case_id, "auditor"), ("reward_notify", case_id, "xiaobao")]


def test_reward_lapse_rewards_command_lapses_uncollected_rewards_once(api, clock):
    from django.core.management import call_command

    case_id = filed_report(api)
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    ok(api("xiaobao").post(reward_url(case_id, "notify")))
    clock.move_to("2026-04-14 23:00 +0800")
    call_command("lapse_rewards")
    assert Reward.objects.get(case_id=case_id).state == "notified"  # the last day is still in time
    clock.move_to("2026-04-15 00:10 +0800")
    call_command("lapse_rewards")
    call_command("lapse_rewards")
    reward = Reward.objects.get(case_id=case_id)
    assert (reward.state, str(reward.lapsed_on)) == ("lapsed", "2026-04-15")
    rows = AuditEntry.objects.filter(action="reward_lapse", case_id=case_id)
    assert rows.count() == 1 and rows.get().actor_name == ""


def test_reward_anonymous_proof_is_locked_after_five_failures(api):
    case_id = filed_report(api, complainant=dict(ANONYMOUS))
    clerk = api("xiaobao")
    ok(clerk.post(reward_url(case_id), assess_body()), 201)
    ok(clerk.post(reward_url(case_id, "notify")))
    payee = {"payee_name": "赵六", "payee_id_number": "421302198801011111", "reward_code": "青山绿水2026"}
    for _ in range(5):
        assert clerk.post(reward_url(case_id, "apply"), {**payee, "reward_password": "guess"}).status_code == 422
    r = clerk.post(reward_url(case_id, "apply"), {**payee, "reward_password": "s3cret-pw"})
    assert r.status_code == 409 and "已锁定" in r.json()["error"]
