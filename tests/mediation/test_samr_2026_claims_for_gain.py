"""Claims for gain and extortion under the 2026 national rules (DOMAIN.md, "The 2026 national rules"; SAMR-2026
第十六条第（三）项, 第二十三条第（六）项、第（八）项): the factors of 生活消费需要 recorded on a complaint and shown when
the handler decides; the filer's earlier claims counted across the bureau (counts only, each look audited, no other
unit's item shown); a claim for gain or extortion ends mediation on the ground that fits, with a numbered
涉嫌违法犯罪案件移送书 and its dispatch to the police; the linked report's verification goes on."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from tests.documents.flows import docx_text, flat
from tests.mediation.conftest import last_event, ok
from tests.web.test_pages import login
from xiaobao.records.models import AuditEntry

AFTER_2026_RULES = "2026-05-11 10:00 +0800"  # a Monday, under 总局令第121号 (in force 2026-04-15)
RECEIVED = "2026-05-11T09:00:00+08:00"
FILER = {"name": "赵强", "phone": "13600000066", "address": "曾都区南郊街道清河路20号", "id_type": "居民身份证",
         "id_number": "421302198505054321", "wants_reply": True}
GAIN = {"goods": "同一型号进口奶粉", "quantity": 60, "purchases": 6, "period_days": 10, "assessment": "gain",
        "note": "十日内六次购买同一奶粉共60罐，明显超出生活消费需要"}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(AFTER_2026_RULES, tick=False) as traveller:
        yield traveller


def register(api, *, received_at: str = RECEIVED, unit: str | None = None, kind: str = "complaint",
             filer: dict | None = None) -> dict:
    clerk = api("xiaobao")
    make = complaint_body if kind == "complaint" else report_body
    case = ok(clerk.post("/api/v1/cases", make(received_at=received_at, complainant=filer or FILER)), 201)
    if unit:
        ok(clerk.act(case["id"], "submit_for_triage"))
        assigned = ok(clerk.act(case["id"], "assign", {"unit": unit}))
        if assigned["state"] == "pending_approval":
            ok(api("fenguan").act(case["id"], "approve"))
    return case


def accepted(api) -> dict:
    case = register(api, unit="st-nanjiao")
    return ok(api("nanjiao").act(case["id"], "accept"))


def documents(api, case_id: int, user: str = "nanjiao") -> list[dict]:
    return ok(api(user).get(f"/api/v1/cases/{case_id}/documents"))


def test_samr_2026_the_factors_of_consumer_purpose_are_recorded_and_shown_when_the_handler_decides(api):
    case = register(api, unit="st-nanjiao")
    assert case["rule_set"] == "zengdu-2026"
    handler = api("nanjiao")
    r = handler.act(case["id"], "assess_consumer_purpose", {"quantity": "0", "assessment": "gain"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"quantity", "purchases", "period_days", "note"}

    # Before acceptance: the factors stand beside the decision to accept or not.
    item = ok(handler.act(case["id"], "assess_consumer_purpose",
                          {"quantity": 2, "purchases": 1, "period_days": 1, "assessment": "consumption"}))
    assert item["consumer_purpose"]["assessment"] == "consumption"
    page = login("nanjiao").get(f"/cases/{case['id']}/actions/accept/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "生活消费需要的考量因素" in text and "认定：为生活消费需要" in text and "1 日内购买 1 次" in text

    ok(handler.act(case["id"], "accept"))
    item = ok(handler.act(case["id"], "assess_consumer_purpose", GAIN))
    purpose = item["consumer_purpose"]
    assert (purpose["goods"], purpose["quantity"], purpose["purchases"], purpose["period_days"]) == (
        "同一型号进口奶粉", 60, 6, 10)
    assert (purpose["assessment"], purpose["assessment_label"]) == ("gain", "以牟利为目的")
    assert purpose["earlier_claims"] == {"total": 0, "last_year": 0, "matched_on": ["id_number", "phone"]}
    assert "SAMR-2026 第十六条第（三）项" in purpose["basis"]
    line = last_event(item)
    assert (line["action"], line["label"]) == ("assess_consumer_purpose", "生活消费需要认定")
    assert line["note"].startswith("以牟利为目的：同一型号进口奶粉，购买数量 60，10 日内购买 6 次")
    assert "terminate_and_refer" in item["actions"]

    client = login("nanjiao")
    for decision in ("mediate", "terminate_and_refer"):
        text = client.get(f"/cases/{case['id']}/actions/{decision}/").content.decode()
        assert "认定：以牟利为目的" in text and "购买数量：60" in text and "10 日内购买 6 次" in text, decision
    assert "认定：以牟利为目的" in client.get(f"/mediation/cases/{case['id']}/").content.decode()


def test_samr_2026_earlier_claims_are_counted_bureau_wide_as_counts_only_and_each_look_is_audited(api):
    # The filer's earlier complaints in other units (by ID number, by phone), one older than a year; what is not
    # counted: their report, someone else's complaint, and a complaint of theirs received later.
    elsewhere = register(api, received_at="2026-01-05T09:00:00+08:00", unit="st-dongcheng")
    register(api, received_at="2025-12-01T09:00:00+08:00", filer={**FILER, "phone": "13600000099"})
    register(api, received_at="2025-02-01T09:00:00+08:00", filer={**FILER, "id_number": ""})
    register(api, received_at="2026-02-01T10:00:00+08:00", kind="report")
    register(api, received_at="2026-02-01T09:00:00+08:00", filer={**FILER, "phone": "13500000001",
                                                                   "id_number": "421302199909091111"})
    case = accepted(api)
    register(api, received_at="2026-05-11T09:30:00+08:00")
    before = AuditEntry.objects.filter(action="read_personal", detail__via="earlier_claims").count()

    item = ok(api("nanjiao").act(case["id"], "assess_consumer_purpose", GAIN))
    assert item["consumer_purpose"]["earlier_claims"] == {"total": 3, "last_year": 2,
                                                          "matched_on": ["id_number", "phone"]}
    looks = AuditEntry.objects.filter(action="read_personal", detail__via="earlier_claims").order_by("id")
    assert looks.count() == before + 1
    look = looks.last()
    assert (look.actor_name, look.case_id, look.detail["total"], look.detail["fields"]) == (
        "nanjiao", case["id"], 3, ["complainant"])
    ok(api("nanjiao").act(case["id"], "assess_consumer_purpose", {**GAIN, "quantity": 61}))
    assert looks.count() == before + 2  # every look is a row of its own

    # Counts only: neither the item, its timeline, its page nor its workspace names another unit's item, which
    # stays out of the handler's sight.
    dumped = str(ok(api("nanjiao").get(f"/api/v1/cases/{case['id']}")))
    client = login("nanjiao")
    page = client.get(f"/cases/{case['id']}/").content.decode() + client.get(
        f"/mediation/cases/{case['id']}/").content.decode()
    for shown in (dumped, page):
        assert elsewhere["number"] not in shown and "st-dongcheng" not in shown and "东城" not in shown
    assert "此前投诉（本局各单位，仅计数）：3 件，其中近一年 2 件" in client.get(
        f"/mediation/cases/{case['id']}/").content.decode()
    assert api("nanjiao").get(f"/api/v1/cases/{elsewhere['id']}").status_code == 404


def test_samr_2026_terminating_for_gain_cites_article_23_6_and_16_3_and_refers_to_the_police(api):
    case = accepted(api)
    handler = api("nanjiao")
    # Only on a recorded assessment of gain or extortion.
    assert handler.act(case["id"], "terminate_and_refer", {"reason": "x"}).status_code == 409
    ok(handler.act(case["id"], "assess_consumer_purpose", {**GAIN, "assessment": "consumption"}))
    assert handler.act(case["id"], "terminate_and_refer", {"reason": "x"}).status_code == 409
    ok(handler.act(case["id"], "assess_consumer_purpose", GAIN))
    r = handler.act(case["id"], "terminate_and_refer", {})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"

    item = ok(handler.act(case["id"], "terminate_and_refer", {"reason": "投诉人拒绝退货，只要求十倍赔偿。"}))
    assert (item["state"], item["outcome"], item["ground"]) == ("concluded", "mediation_terminated",
                                                                "inadmissible_found")
    lines = {e["action"]: e for e in item["events"]}
    ended = lines["terminate_and_refer"]
    assert ended["label"] == "终止调解并移送公安"
    assert ended["data"]["basis"] == "SAMR-2026 第二十三条第（六）项"
    assert ended["data"]["situation"]["basis"] == "SAMR-2026 第十六条第（三）项"
    assert ended["data"]["authority"] == "随州市公安局曾都区分局"
    assert "termination_notice" in {c["name"] for c in item["clocks"]}

    # The numbered 移送书 was issued with the decision.
    (referral,) = [d for d in documents(api, case["id"]) if d["type"] == "police_referral"]
    assert referral["title"] == "涉嫌违法犯罪案件移送书" and referral["number"] == "曾市监移〔2026〕1号"
    assert lines["issue_document"]["data"]["number"] == referral["number"]
    docx = handler.get(f"/api/v1/documents/{referral['id']}/file", format="docx")
    assert docx.status_code == 200
    text = docx_text(docx.content)
    for needle in ("随州市公安局曾都区分局：", "曾市监移〔2026〕1号", "赵强", "421302198505054321", "以牟利为目的",
                   "购买数量60，10日内购买6次", "此前在本局共提出投诉0件",
                   "《市场监督管理投诉举报处理办法》第二十三条第（六）项", "《市场监督管理投诉举报处理办法》第十六条第（三）项",
                   "《行政执法机关移送涉嫌犯罪案件的规定》第三条", "投诉人拒绝退货，只要求十倍赔偿。"):
        assert flat(needle) in text, needle
    for internal in ("SAMR", "DOMAIN", "规则", "工作制度"):
        assert internal not in text, internal
    pdf = handler.get(f"/api/v1/documents/{referral['id']}/file", format="pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # The 终止调解决定书 cites the same ground and the 情形 it rests on.
    decision = ok(handler.post(f"/api/v1/cases/{case['id']}/documents", {"type": "termination_decision"}), 201)
    text = docx_text(handler.get(f"/api/v1/documents/{decision['id']}/file", format="docx").content)
    assert flat("《市场监督管理投诉举报处理办法》第二十三条第（六）项") in text
    assert flat("不是为生活消费需要购买、使用商品或者接受服务") in text and "2026年5月11日决定终止调解" in text

    # The dispatch to the police: a timeline line with its data.
    r = handler.act(case["id"], "dispatch_referral", {"channel": "pigeon"})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"channel", "proof"}
    item = ok(handler.act(case["id"], "dispatch_referral", {"channel": "in_person", "proof": "民警李明签收",
                                                            "address": "曾都区交通大道1号"}))
    line = last_event(item)
    assert line["action"] == "dispatch_referral"
    assert line["note"] == "涉嫌违法犯罪案件移送书 曾市监移〔2026〕1号 以当面移交送达随州市公安局曾都区分局（民警李明签收）"
    assert {k: line["data"][k] for k in ("number", "recipient", "authority", "channel", "proof", "address")} == {
        "number": "曾市监移〔2026〕1号", "recipient": "police", "authority": "随州市公安局曾都区分局",
        "channel": "in_person", "proof": "民警李明签收", "address": "曾都区交通大道1号"}
    assert line["data"]["delivered_at"].startswith("2026-05-11T10:00")


def test_samr_2026_extortion_ends_mediation_on_article_23_8(api):
    case = accepted(api)
    handler = api("nanjiao")
    ok(handler.act(case["id"], "assess_consumer_purpose", {**GAIN, "assessment": "extortion",
                                                           "note": "以向媒体曝光相威胁索要五万元"}))
    item = ok(handler.act(case["id"], "terminate_and_refer", {"reason": "以曝光相威胁索要五万元。",
                                                              "authority": "随州市公安局"}))
    ended = next(e for e in item["events"] if e["action"] == "terminate_and_refer")
    assert (item["ground"], ended["data"]["basis"]) == ("other", "SAMR-2026 第二十三条第（八）项")
    (referral,) = [d for d in documents(api, case["id"]) if d["type"] == "police_referral"]
    text = docx_text(handler.get(f"/api/v1/documents/{referral['id']}/file", format="docx").content)
    assert flat("随州市公安局：") in text and "敲诈勒索" in text
    assert flat("《市场监督管理投诉举报处理办法》第二十三条第（八）项") in text


def test_samr_2026_the_linked_reports_verification_goes_on(api):
    case = accepted(api)
    handler = api("nanjiao")
    item = ok(handler.act(case["id"], "open_report", {"facts": "该店销售的进口奶粉无中文标签。"}))
    report_id = item["links"][0]["id"]
    clerk = api("xiaobao")
    ok(clerk.act(report_id, "assign", {"unit": "jicha"}))
    ok(api("fenguan").act(report_id, "approve"))
    ok(api("jicha").act(report_id, "begin_verification"))
    before = ok(api("auditor").get(f"/api/v1/cases/{report_id}"))
    assert before["state"] == "in_progress"
    assert any(c["name"] == "verification" and c["met_on"] is None for c in before["clocks"])

    ok(handler.act(case["id"], "assess_consumer_purpose", GAIN))
    assert ok(handler.act(case["id"], "terminate_and_refer", {"reason": "职业索赔。"}))["state"] == "concluded"

    after = ok(api("auditor").get(f"/api/v1/cases/{report_id}"))
    assert (after["state"], after["outcome"], after["unit"]) == ("in_progress", None, "jicha")
    assert after["clocks"] == before["clocks"] and after["events"] == before["events"]
    # and the verification is still the unit's to do
    assert "file" in ok(api("jicha").get(f"/api/v1/cases/{report_id}"))["actions"]
    ok(api("jicha").act(report_id, "record_verification", {"method": "现场检查", "findings": "货架上奶粉无中文标签。"}))


def test_samr_2026_another_station_sees_nothing_of_the_claim_for_gain(api):
    case = accepted(api)
    ok(api("nanjiao").act(case["id"], "assess_consumer_purpose", GAIN))
    other = api("dongcheng")
    assert other.act(case["id"], "assess_consumer_purpose", GAIN).status_code == 404
    assert other.act(case["id"], "terminate_and_refer", {"reason": "x"}).status_code == 404
    assert api("xiaobao").act(case["id"], "terminate_and_refer", {"reason": "x"}).status_code == 403
    ok(api("nanjiao").act(case["id"], "terminate_and_refer", {"reason": "职业索赔。"}))
    (referral,) = [d for d in documents(api, case["id"]) if d["type"] == "police_referral"]
    assert other.get(f"/api/v1/cases/{case['id']}").status_code == 404
    assert other.get(f"/api/v1/cases/{case['id']}/documents").status_code == 404
    assert other.get(f"/api/v1/documents/{referral['id']}/file", format="pdf").status_code == 404
    assert other.act(case["id"], "dispatch_referral", {"channel": "letter", "proof": "x"}).status_code == 404
    client = login("dongcheng")
    for path in (f"/cases/{case['id']}/", f"/cases/{case['id']}/actions/terminate_and_refer/",
                 f"/mediation/cases/{case['id']}/"):
        assert client.get(path).status_code == 404, path


def test_samr_2026_items_under_the_old_rules_cite_article_21_6_and_15_3(api, clock):
    clock.move_to("2026-03-02 10:00 +0800")
    case = register(api, received_at="2026-03-02T09:00:00+08:00", unit="st-nanjiao")
    ok(api("nanjiao").act(case["id"], "accept"))
    ok(api("nanjiao").act(case["id"], "assess_consumer_purpose", GAIN))
    item = ok(api("nanjiao").act(case["id"], "terminate_and_refer", {"reason": "职业索赔。"}))
    ended = next(e for e in item["events"] if e["action"] == "terminate_and_refer")
    assert ended["data"]["basis"] == "SAMR-2019 第二十一条第（六）项"
    assert ended["data"]["situation"]["basis"] == "SAMR-2019 第十五条第（三）项"


def test_samr_2026_another_consumers_complaint_merged_in_is_not_terminated_for_this_filers_gain(api):
    case = accepted(api)
    other = register(api, filer={"name": "王芳", "phone": "13700000003", "address": "曾都区南郊街道清河路9号"})
    ok(api("xiaobao").act(other["id"], "submit_for_triage"))
    ok(api("xiaobao").act(other["id"], "merge", {"into": case["id"], "reason": "同一商家同一批奶粉", "consent": True}))
    handler = api("nanjiao")
    ok(handler.act(case["id"], "assess_consumer_purpose", GAIN))
    r = handler.act(case["id"], "terminate_and_refer", {"reason": "职业索赔。"})
    assert r.status_code == 409 and other["number"] in r.json()["error"] and "撤销并案" in r.json()["error"]
    ok(api("xiaobao").act(other["id"], "unmerge", {"reason": "另一消费者的正常消费纠纷，单独办理"}))
    assert ok(handler.act(case["id"], "terminate_and_refer", {"reason": "职业索赔。"}))["state"] == "concluded"
    assert ok(api("xiaobao").get(f"/api/v1/cases/{other['id']}"))["state"] == "triage"
