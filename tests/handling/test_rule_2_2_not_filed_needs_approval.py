"""Rules 二.2: 不予立案 needs the bureau head's approval and a written record; a report referred elsewhere by its
unit is a report not filed here and needs the same approval; and 《市场监督管理行政处罚程序规定》第十八条: the head
decides whether to file. Who approves is the rule set's data, not code (API-v1.md "Law enforced on actions")."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import report_body
from tests.web.test_pages import login
from xiaobao.cases import services
from xiaobao.cases.errors import NotPermitted
from xiaobao.cases.models import Case
from xiaobao.mediation import services as mediation
from xiaobao.mediation.models import PenaltyCase
from xiaobao.rules.models import RuleSet
from xiaobao.units.models import Staff


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


def ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.json()
    return r.json()


def assigned_report(api, **overrides) -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", report_body(**overrides)), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "st-nanjiao"}))
    ok(api("fenguan").act(case_id, "approve"))
    return case_id


def verifying_report(api, **overrides) -> int:
    case_id = assigned_report(api, **overrides)
    ok(api("nanjiao").act(case_id, "begin_verification"))
    return case_id


# ---------------------------------------------------------------- a referral from the unit is 不予立案 here


def test_a_unit_cannot_drop_a_report_by_referring_it_elsewhere_without_the_bureau_heads_approval(api):
    case_id = assigned_report(api)
    asked = ok(api("nanjiao").act(case_id, "refer_elsewhere", {"authority": "曾都区农业农村局", "reason": "属农资"}))
    assert (asked["state"], asked["outcome"]) == ("pending_approval", None)
    assert asked["pending_approval"] == {"kind": "referral", "unit": None, "approver": "bureau_head"}
    assert asked["events"][-1]["data"]["authority"] == "曾都区农业农村局"
    assert api("fenguan").act(case_id, "approve").status_code == 403
    assert "approve" not in ok(api("fenguan").get(f"/api/v1/cases/{case_id}"))["actions"]

    done = ok(api("juzhang").act(case_id, "approve", {"note": "同意告知他部门"}))
    assert (done["state"], done["outcome"]) == ("concluded", "referred_elsewhere")
    assert done["events"][-1]["data"]["authority"] == "曾都区农业农村局"


def test_a_referral_sent_back_returns_to_the_unit_still_to_decide(api):
    case_id = assigned_report(api)
    ok(api("nanjiao").act(case_id, "refer_elsewhere", {"authority": "曾都区农业农村局"}))
    back = ok(api("juzhang").act(case_id, "reject_approval", {"note": "属本局职责，请核查"}))
    assert (back["state"], back["unit"], back["pending_approval"]) == ("assigned", "st-nanjiao", None)


def test_the_dispatcher_still_refers_from_triage_at_once_before_any_unit_holds_it(api):
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", report_body()), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    done = ok(clerk.act(case_id, "refer_elsewhere", {"authority": "曾都区农业农村局"}))
    assert (done["state"], done["outcome"]) == ("concluded", "referred_elsewhere")


# ---------------------------------------------------------------- 不予立案: a written record, then the head


def test_declining_to_file_needs_the_reason_and_the_written_record(api):
    case_id = verifying_report(api)
    r = api("nanjiao").act(case_id, "decline_filing", {"reason": "举报不实"})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["record"]
    asked = ok(api("nanjiao").act(case_id, "decline_filing",
                                  {"reason": "举报不实", "record": "3月2日现场检查，货架白酒均在保质期内。"}))
    assert asked["pending_approval"]["kind"] == "not_filed"
    assert asked["events"][-1]["data"]["record"] == "3月2日现场检查，货架白酒均在保质期内。"
    assert ok(api("juzhang").act(case_id, "approve"))["outcome"] == "not_filed"


# ---------------------------------------------------------------- 立案: the head decides (第十八条)


def test_a_unit_proposes_filing_and_the_bureau_head_files(api):
    case_id = verifying_report(api)
    asked = ok(api("nanjiao").act(case_id, "file", {"note": "拟立案", "penalty_case_number": "曾市监立〔2026〕3号"}))
    assert (asked["state"], asked["outcome"]) == ("pending_approval", None)
    assert asked["pending_approval"] == {"kind": "filing", "unit": None, "approver": "bureau_head"}
    assert not PenaltyCase.objects.filter(case_id=case_id).exists()
    assert api("fenguan").act(case_id, "approve").status_code == 403
    assert "approve" in ok(api("juzhang").get(f"/api/v1/cases/{case_id}"))["actions"]

    filed = ok(api("juzhang").act(case_id, "approve", {"note": "同意立案"}))
    assert (filed["state"], filed["outcome"]) == ("concluded", "filed")
    assert PenaltyCase.objects.get(case_id=case_id).number == "曾市监立〔2026〕3号"


def test_a_filing_sent_back_returns_to_verification(api):
    case_id = verifying_report(api)
    ok(api("nanjiao").act(case_id, "file", {}))
    back = ok(api("juzhang").act(case_id, "reject_approval", {"note": "证据不足"}))
    assert (back["state"], back["outcome"]) == ("in_progress", None)


def test_the_bureau_heads_inbox_lists_filings_and_not_filings_and_the_deputys_does_not(api):
    filing, declining = verifying_report(api), verifying_report(api)
    ok(api("nanjiao").act(filing, "file", {}))
    ok(api("nanjiao").act(declining, "decline_filing", {"reason": "举报不实", "record": "现场无违法"}))
    head = login("juzhang").get("/").content.decode()
    assert 'id="inbox-approve_filing"' in head and 'id="inbox-approve_not_filed"' in head
    deputy = login("fenguan").get("/").content.decode()
    assert "approve_filing" not in deputy and "approve_not_filed" not in deputy
    page = login("juzhang").get(f"/cases/{filing}/").content.decode()
    assert "待审批：立案（局负责人）" in page


# ---------------------------------------------------------------- the approver comes from the rule set


def test_the_approving_role_is_the_rule_sets_not_the_codes(api):
    for rule_set in RuleSet.objects.all():
        rule_set.data["approval"]["filing"]["role"] = "deputy_director"
        rule_set.save()
    case_id = verifying_report(api)
    asked = ok(api("nanjiao").act(case_id, "file", {}))
    assert asked["pending_approval"]["approver"] == "deputy_director"
    assert api("juzhang").act(case_id, "approve").status_code == 403
    assert ok(api("fenguan").act(case_id, "approve"))["outcome"] == "filed"


def test_where_the_rule_set_asks_no_filing_approval_the_unit_files(bureau):
    for rule_set in RuleSet.objects.all():
        del rule_set.data["approval"]["filing"]
        rule_set.save()
    staff = {s.username: s for s in Staff.objects.all()}
    case, _ = services.register_case(actor=staff["xiaobao"], data=report_body())
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao"})
    services.approve(actor=staff["fenguan"], case_id=case.pk)
    services.begin_verification(actor=staff["nanjiao"], case_id=case.pk)
    mediation.file(actor=staff["nanjiao"], case_id=case.pk)
    assert Case.objects.get(pk=case.pk).outcome == "filed"


def test_the_service_refuses_an_approval_by_a_role_the_rule_set_does_not_name(bureau):
    staff = {s.username: s for s in Staff.objects.all()}
    case, _ = services.register_case(actor=staff["xiaobao"], data=report_body())
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao"})
    services.approve(actor=staff["fenguan"], case_id=case.pk)
    services.refer_elsewhere(actor=staff["nanjiao"], case_id=case.pk, body={"authority": "曾都区农业农村局"})
    with pytest.raises(NotPermitted, match="局负责人"):
        services.approve(actor=staff["fenguan"], case_id=case.pk)
    services.approve(actor=staff["juzhang"], case_id=case.pk)
    assert Case.objects.get(pk=case.pk).outcome == "referred_elsewhere"
