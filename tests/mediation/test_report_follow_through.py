"""A report verified, filed with its penalty-case number, its 处罚决定书 uploaded by the unit and archived by
消保股 (rules 二.4); 不予立案 as before; result notices delivered to the person meet the reply clock."""

import pytest

from tests.mediation.conftest import PDF, PNG_HEAD, accepted_complaint, last_event, ok, upload, verifying_report
from xiaobao.mediation.models import PenaltyCase, PenaltyDecision, VerificationRecord

pytestmark = pytest.mark.usefixtures("clock")


def clock_of(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def filed_report(api) -> int:
    case_id = verifying_report(api)
    ok(api("jicha").act(case_id, "file", {"note": "立案调查", "penalty_case_number": "曾市监立〔2026〕12号"}))
    ok(api("juzhang").act(case_id, "approve", {"note": "同意立案"}))  # 处罚程序规定第十八条
    return case_id


def test_a_verification_record_is_kept_on_a_report_being_verified(api):
    case_id = verifying_report(api)
    handler = api("jicha")
    r = handler.act(case_id, "record_verification", {"method": "现场检查"})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["findings"]
    case = ok(handler.act(case_id, "record_verification",
                          {"method": "现场检查", "findings": "货架上发现3瓶超过保质期的散装白酒。"}))
    assert (last_event(case)["action"], last_event(case)["label"]) == ("record_verification", "核查记录")
    assert VerificationRecord.objects.get(case_id=case_id).method == "现场检查"
    assert api("nanjiao").act(case_id, "record_verification", {"method": "x", "findings": "y"}).status_code == 404


def test_filing_stores_the_penalty_case_number_then_the_decision_is_uploaded_and_archived(api):
    case_id = filed_report(api)
    assert PenaltyCase.objects.get(case_id=case_id).number == "曾市监立〔2026〕12号"
    handler, clerk = api("jicha"), api("xiaobao")
    assert clerk.act(case_id, "archive_penalty_decision").status_code == 409  # nothing reported yet

    png = ok(upload(api, "jicha", case_id, "决定书.pdf", PNG_HEAD), 201)  # a picture named .pdf
    r = handler.act(case_id, "upload_penalty_decision", {"attachment": png["id"]})
    assert r.status_code == 422 and r.json()["errors"][0] == {"field": "attachment", "message": "处罚决定书应为 PDF 文件。"}
    assert handler.act(case_id, "upload_penalty_decision", {}).status_code == 422

    pdf = ok(upload(api, "jicha", case_id, "处罚决定书.pdf", PDF), 201)
    assert clerk.act(case_id, "upload_penalty_decision", {"attachment": pdf["id"]}).status_code == 403
    case = ok(handler.act(case_id, "upload_penalty_decision",
                          {"attachment": pdf["id"], "number": "曾市监处罚〔2026〕5号"}))
    assert case["state"] == "concluded" and last_event(case)["action"] == "upload_penalty_decision"
    assert handler.act(case_id, "upload_penalty_decision", {"attachment": pdf["id"]}).status_code == 422

    assert handler.act(case_id, "archive_penalty_decision").status_code == 403  # 消保股 archives it
    case = ok(clerk.act(case_id, "archive_penalty_decision", {"note": "已归入处罚决定书存档"}))
    event = last_event(case)
    assert (event["action"], event["actor"], event["label"]) == ("archive_penalty_decision", "xiaobao", "处罚决定书存档")
    decision = PenaltyDecision.objects.get(case_id=case_id)
    assert decision.archived_by.username == "xiaobao" and decision.number == "曾市监处罚〔2026〕5号"
    assert clerk.act(case_id, "archive_penalty_decision").status_code == 409
    actions = [e["action"] for e in case["events"]]
    assert actions[actions.index("file"):] == ["file", "approve", "attach", "attach", "upload_penalty_decision",
                                               "archive_penalty_decision"]


def test_only_a_filed_report_takes_a_penalty_decision(api):
    case_id = verifying_report(api)
    pdf = ok(upload(api, "jicha", case_id, "处罚决定书.pdf", PDF), 201)
    assert api("jicha").act(case_id, "upload_penalty_decision", {"attachment": pdf["id"]}).status_code == 409


def test_not_filing_still_needs_the_bureau_heads_approval_and_takes_no_penalty_decision(api):
    case_id = verifying_report(api)
    ok(api("jicha").act(case_id, "record_verification", {"method": "现场检查", "findings": "未发现过期食品"}))
    assert ok(api("jicha").act(case_id, "decline_filing", {"reason": "举报不实", "record": "现场检查未发现过期食品"})
              )["state"] == "pending_approval"
    case = ok(api("juzhang").act(case_id, "approve"))
    assert (case["state"], case["outcome"]) == ("concluded", "not_filed")
    assert not PenaltyCase.objects.filter(case_id=case_id).exists()
    pdf = ok(upload(api, "jicha", case_id, "x.pdf", PDF), 201)
    assert api("jicha").act(case_id, "upload_penalty_decision", {"attachment": pdf["id"]}).status_code == 409


def _deliver(api, user: str, case_id: int, doc_type: str, recipient: str) -> dict:
    document = ok(api(user).post(f"/api/v1/cases/{case_id}/documents", {"type": doc_type}), 201)
    # By letter: SMS needs the person's consent to electronic delivery (tests/documents/test_e_delivery.py).
    return ok(api(user).post(f"/api/v1/documents/{document['id']}/deliveries",
                             {"channel": "letter", "recipient": recipient}), 201)


def test_delivering_the_report_result_notice_to_the_reporter_meets_the_reply_clock(api):
    case_id = filed_report(api)
    seen = ok(api("jicha").get(f"/api/v1/cases/{case_id}"))
    assert clock_of(seen, "reply")["state"] == "running" and clock_of(seen, "reply")["due"] == "2026-03-05"
    _deliver(api, "jicha", case_id, "registration_form", "complainant")  # not a result notice
    assert clock_of(ok(api("jicha").get(f"/api/v1/cases/{case_id}")), "reply")["state"] == "running"
    _deliver(api, "jicha", case_id, "report_result_notice", "complainant")
    case = ok(api("jicha").get(f"/api/v1/cases/{case_id}"))
    assert clock_of(case, "reply")["state"] == "met" and clock_of(case, "reply")["met_on"] == "2026-03-02"
    assert last_event(case)["data"]["reply_met"] is True


def test_a_mediation_agreement_delivered_to_the_respondent_does_not_meet_the_reply_clock_but_to_the_complainant_does(api):
    case_id = accepted_complaint(api)
    ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "amount_recovered": "3299.00",
                                               "remedies": ["refund"], "agreement": "退货退款"}))
    document = ok(api("nanjiao").post(f"/api/v1/cases/{case_id}/documents", {"type": "mediation_agreement"}), 201)
    deliver = f"/api/v1/documents/{document['id']}/deliveries"
    ok(api("nanjiao").post(deliver, {"channel": "letter", "recipient": "respondent"}), 201)
    assert clock_of(ok(api("nanjiao").get(f"/api/v1/cases/{case_id}")), "reply")["state"] == "running"
    ok(api("nanjiao").post(deliver, {"channel": "phone", "recipient": "complainant"}), 201)
    case = ok(api("nanjiao").get(f"/api/v1/cases/{case_id}"))
    assert clock_of(case, "reply")["state"] == "met" and last_event(case)["data"]["reply_met"] is True
