"""Electronic delivery (issue 20, point 3; SAMR-2026 总局令第121号, DOMAIN.md "The 2026 national rules"): the
person's consent and electronic addresses recorded at intake; every notice delivered by internet, phone, SMS,
e-mail or letter with its address, times, proof and outcome; electronic channels only with consent; a failed
delivery retried by another channel; the clock that waits for the notice met on the successful delivery's day."""

from __future__ import annotations

import time_machine
from django.core import mail

from tests.conftest import complaint_body, report_body
from tests.documents import flows
from xiaobao.lib.outbound import ConsoleSmsBackend


class BrokenGateway:
    """An SMS gateway that refuses every message."""

    def send(self, phone: str, text: str) -> str:
        raise ConnectionError("网关无响应")


def _case(api, case_id: int, user: str = "nanjiao") -> dict:
    r = api(user).get(f"/api/v1/cases/{case_id}")
    assert r.status_code == 200, r.content.decode()
    return r.json()


def _clock(api, case_id: int, name: str) -> dict:
    return next(c for c in _case(api, case_id)["clocks"] if c["name"] == name)


def _deliver(api, document_id: int, body: dict, user: str = "nanjiao"):
    return api(user).post(f"/api/v1/documents/{document_id}/deliveries", body)


# ---------------------------------------------------------------- consent at intake


@time_machine.travel(flows.FROZEN, tick=False)
def test_consent_to_electronic_delivery_is_registered_through_the_api_with_its_addresses(api):
    clerk = api("xiaobao")
    r = clerk.post("/api/v1/cases", complaint_body(complainant=flows.CONSENTING))
    assert r.status_code == 201, r.json()
    person = r.json()["complainant"]
    # Without a number of its own the SMS number is the person's mobile phone.
    assert (person["e_delivery_consent"], person["e_delivery_phone"], person["e_delivery_email"]) == (
        True, "13800000001", "zhangwei@example.cn")
    plain = clerk.post("/api/v1/cases", complaint_body()).json()["complainant"]
    assert plain["e_delivery_consent"] is None and plain["e_delivery_phone"] is None


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_consent_without_a_usable_electronic_address_is_a_422_naming_the_field(api):
    clerk = api("xiaobao")
    landline = {**complaint_body()["complainant"], "phone": "0722-3301234", "e_delivery_consent": True}
    r = clerk.post("/api/v1/cases", complaint_body(complainant=landline))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "complainant.e_delivery_phone",
                                   "message": "同意电子送达的，请填写接收短信的手机号码或电子邮箱（送达地址确认）。"}]
    bad = {**landline, "e_delivery_phone": "12345", "e_delivery_email": "not-an-address"}
    r = clerk.post("/api/v1/cases", complaint_body(complainant=bad))
    assert {e["field"] for e in r.json()["errors"]} == {"complainant.e_delivery_phone", "complainant.e_delivery_email"}


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_reporters_confirmed_addresses_are_masked_for_the_unit_that_may_not_see_the_reporter(api):
    reporter = {**report_body()["complainant"], "e_delivery_consent": True, "e_delivery_email": "lina@example.cn"}
    case_id = flows.report_in_verification(api, complainant=reporter)
    seen = _case(api, case_id, "nanjiao")["complainant"]
    assert seen["masked"] and seen["e_delivery_consent"] is True
    assert seen["e_delivery_phone"] is None and seen["e_delivery_email"] is None
    assert _case(api, case_id, "xiaobao")["complainant"]["e_delivery_email"] == "lina@example.cn"


# ---------------------------------------------------------------- each channel


@time_machine.travel(flows.FROZEN, tick=False)
def test_an_sms_is_sent_through_the_sms_backend_and_its_message_id_recorded(api):
    ConsoleSmsBackend.sent.clear()
    doc = flows.issue(api, flows.accepted(api, complainant=flows.CONSENTING), "acceptance_notice")
    r = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "sms"})
    assert r.status_code == 201, r.json()
    d = r.json()
    assert (d["outcome"], d["succeeded"], d["address"]) == ("succeeded", True, "13800000001")
    assert d["message_id"].startswith("console-") and d["proof"] == f"消息编号 {d['message_id']}"
    assert d["sent_at"] == d["delivered_at"] == "2026-03-02T10:00:00+08:00"
    phone, text = ConsoleSmsBackend.sent[-1]
    assert phone == "13800000001" and doc["number"] in text and "受理通知书" in text


@time_machine.travel(flows.FROZEN, tick=False)
def test_an_email_carries_the_document_as_pdf_and_its_message_id_is_the_proof(api):
    doc = flows.issue(api, flows.accepted(api, complainant=flows.CONSENTING), "acceptance_notice")
    r = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "email"})
    assert r.status_code == 201, r.json()
    sent = mail.outbox[-1]
    assert sent.to == ["zhangwei@example.cn"] and doc["number"] in sent.subject
    assert sent.attachments[0][0] == f"受理通知书-{doc['number']}.pdf" and sent.attachments[0][1][:4] == b"%PDF"
    assert r.json()["message_id"] == sent.extra_headers["Message-ID"]
    # An e-mail goes only to the address the person confirmed.
    r = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "email", "address": "other@example.cn"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "address"


@time_machine.travel(flows.FROZEN, tick=False)
def test_phone_internet_and_a_letter_are_recorded_by_hand_the_letter_outcome_later(api, settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 7
    doc = flows.issue(api, flows.accepted(api, complainant=flows.CONSENTING), "acceptance_notice")
    phone = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "phone", "proof": "通话录音 0302-1"}).json()
    assert (phone["outcome"], phone["address"], phone["proof"]) == ("succeeded", "13800000001", "通话录音 0302-1")
    web = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "internet"}).json()
    assert web["outcome"] == "succeeded" and "网上投诉举报平台" in web["address"]
    letter = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "letter", "pending": True,
                                       "proof": "EMS 1190000000001"}).json()
    assert (letter["outcome"], letter["succeeded"], letter["delivered_at"]) == ("pending", None, None)
    assert letter["address"] == "曾都区南郊街道清河路8号"
    outcome = f"/api/v1/documents/{doc['id']}/deliveries/{letter['id']}/outcome"
    with time_machine.travel("2026-03-04 11:00 +0800", tick=False):
        r = api("nanjiao").post(outcome, {"succeeded": True, "proof": "签收回执：本人签收"})
        assert r.status_code == 200, r.json()
        assert r.json()["outcome"] == "succeeded" and r.json()["delivered_at"] == "2026-03-04T11:00:00+08:00"
        assert r.json()["outcome_note"] == "签收回执：本人签收"
        assert api("nanjiao").post(outcome, {"succeeded": False, "proof": "x"}).status_code == 409


# ---------------------------------------------------------------- consent required (SAMR-2026)


@time_machine.travel(flows.FROZEN, tick=False)
def test_samr_2026_electronic_delivery_without_consent_is_a_409_citing_the_rules(api):
    doc = flows.issue(api, flows.accepted(api), "acceptance_notice")
    for channel in ("sms", "email", "internet"):
        r = _deliver(api, doc["id"], {"recipient": "complainant", "channel": channel})
        assert r.status_code == 409, channel
        assert "投诉举报人未同意电子送达" in r.json()["error"]
        assert "《市场监督管理投诉举报处理办法》（国家市场监督管理总局令第121号）" in r.json()["error"]
    for channel in ("phone", "letter"):
        assert _deliver(api, doc["id"], {"recipient": "complainant", "channel": channel}).status_code == 201


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_consent_recorded_later_lets_the_respondent_be_served_by_sms(api):
    doc = flows.issue(api, flows.mediated(api), "mediation_agreement")
    assert _deliver(api, doc["id"], {"recipient": "respondent", "channel": "sms"}).status_code == 409
    case_id = doc["case"]
    r = api("nanjiao").post(f"/api/v1/cases/{case_id}/delivery-address",
                            {"recipient": "respondent", "e_delivery_consent": True, "e_delivery_phone": "13700000003"})
    assert r.status_code == 200, r.json()
    assert r.json() == {"recipient": "respondent", "consent": True, "phone": "13700000003", "email": None}
    r = _deliver(api, doc["id"], {"recipient": "respondent", "channel": "sms"})
    assert r.status_code == 201 and r.json()["address"] == "13700000003"
    assert _case(api, case_id)["events"][-2]["label"] == "送达地址确认"


# ---------------------------------------------------------------- failure, retry, clocks


def test_a_failed_delivery_keeps_the_clock_open_and_the_retry_by_another_channel_meets_it(api, settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 7
    with time_machine.travel(flows.FROZEN, tick=False):
        case_id = flows.terminated(api, complainant=flows.CONSENTING)
        doc = flows.issue(api, case_id, "termination_decision")
        assert _deliver(api, doc["id"], {"recipient": "respondent", "channel": "letter"}).status_code == 201
        settings.XIAOBAO_SMS_BACKEND = "tests.documents.test_e_delivery.BrokenGateway"
        failed = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "sms"}).json()
        assert (failed["outcome"], failed["succeeded"], failed["delivered_at"]) == ("failed", False, None)
        assert "网关无响应" in failed["outcome_note"]
        assert _clock(api, case_id, "termination_notice")["state"] == "running"
    with time_machine.travel("2026-03-03 09:00 +0800", tick=False):
        letter = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "letter", "pending": True,
                                           "proof": "EMS 1190000000002"}).json()
        assert letter["retry_of"] == failed["id"]
    with time_machine.travel("2026-03-06 16:00 +0800", tick=False):
        r = api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries/{letter['id']}/outcome",
                                {"succeeded": False, "proof": "退回：查无此人"})
        assert r.json()["outcome"] == "failed"
        assert _clock(api, case_id, "termination_notice")["state"] == "running"
        phone = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "phone",
                                          "delivered_at": "2026-03-06T15:30:00+08:00"}).json()
        assert phone["retry_of"] == letter["id"]
        clock = _clock(api, case_id, "termination_notice")
        assert clock["state"] == "met" and clock["met_on"] == "2026-03-06"
        events = _case(api, case_id)["events"]
        assert events[-1]["data"]["clock_met"] == "termination_notice"
        assert events[-1]["data"]["occurred_at"] == "2026-03-06T15:30:00+08:00"
        assert "改用电话" in events[-1]["note"] and "清河路" not in events[-1]["note"]
        assert [e["data"]["outcome"] for e in events if e["action"] == "deliver_document"] == [
            "succeeded", "failed", "pending", "succeeded"]


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_non_acceptance_notice_delivered_meets_the_not_accepted_notice_clock_a_failed_one_does_not(api):
    case_id = flows.not_accepted(api)
    doc = flows.issue(api, case_id, "non_acceptance_notice")
    _deliver(api, doc["id"], {"recipient": "complainant", "channel": "phone", "succeeded": False,
                              "proof": "无人接听"})
    assert _clock(api, case_id, "not_accepted_notice")["state"] == "running"
    _deliver(api, doc["id"], {"recipient": "complainant", "channel": "letter"})
    assert _clock(api, case_id, "not_accepted_notice")["met_on"] == "2026-03-02"


# ---------------------------------------------------------------- isolation, contract, audit


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_handler_of_another_unit_gets_404_on_delivering_another_units_document(api):
    doc = flows.issue(api, flows.accepted(api, complainant=flows.CONSENTING), "acceptance_notice")
    letter = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "letter", "pending": True}).json()
    other = api("dongcheng")
    assert _deliver(api, doc["id"], {"recipient": "complainant", "channel": "phone"}, user="dongcheng").status_code == 404
    r = other.post(f"/api/v1/documents/{doc['id']}/deliveries/{letter['id']}/outcome", {"succeeded": True})
    assert r.status_code == 404
    r = other.post(f"/api/v1/cases/{doc['case']}/delivery-address", {"recipient": "respondent",
                                                                      "e_delivery_consent": True})
    assert r.status_code == 404


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_delivery_endpoint_takes_and_answers_the_field_names_of_api_v1(api):
    doc = flows.issue(api, flows.accepted(api), "acceptance_notice")
    r = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "letter", "address": "曾都区文化路1号",
                                  "proof": "挂号信 XA001", "succeeded": True})
    assert r.status_code == 201, r.json()
    d = r.json()
    assert {"recipient", "channel", "address", "proof", "succeeded", "delivered_at", "note", "by"} <= set(d)
    assert (d["recipient"], d["channel"], d["address"], d["proof"], d["succeeded"]) == (
        "complainant", "letter", "曾都区文化路1号", "挂号信 XA001", True)
    listed = api("nanjiao").get(f"/api/v1/cases/{doc['case']}/documents").json()[0]["delivered"]
    assert listed == [d]
    schema = api("nanjiao").get("/api/v1/openapi.json").json()["components"]["schemas"]["DeliveryIn"]
    assert {"recipient", "channel", "address", "proof", "succeeded"} <= set(schema["properties"])


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_address_is_in_the_audit_trail_and_masked_for_who_may_not_see_the_reporter(api):
    reporter = {**report_body()["complainant"], "e_delivery_consent": True}
    case_id = flows.report_not_filed(api, complainant=reporter)
    doc = flows.issue(api, case_id, "report_result_notice")
    r = _deliver(api, doc["id"], {"recipient": "complainant", "channel": "sms"})
    assert r.status_code == 201 and r.json()["address"] == "***"  # the unit sends without learning the number
    assert api("xiaobao").get(f"/api/v1/cases/{case_id}/documents").json()[0]["delivered"][0]["address"] == "13900000002"
    rows = api("auditor").get("/api/v1/audit", case=case_id).json()["results"]
    row = next(x for x in rows if x["action"] == "deliver_document")
    assert row["detail"]["address"] == "13900000002"
    event = next(e for e in _case(api, case_id, "nanjiao")["events"] if e["action"] == "deliver_document")
    assert "13900000002" not in str(event)
