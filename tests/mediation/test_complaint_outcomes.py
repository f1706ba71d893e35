"""A complaint through each outcome with the workspace's details: sessions and recusals, entrusted mediation,
a testing pause with who pays, and the remedies of an agreement — through API v1."""

import pytest

from tests.conftest import PASSWORD, complaint_body
from tests.mediation.conftest import accepted_complaint, last_event, ok
from tests.web.test_pages import login
from xiaobao.mediation.models import MediationAgreement, MediationSession, Recusal
from xiaobao.units.models import Role, Staff, Unit

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def colleague(bureau):
    """A second handler of 南郊所, who is related to the respondent's owner."""
    return Staff.objects.create_user("nanjiao2", password=PASSWORD, full_name="黄磊", roles=[Role.HANDLER],
                                       unit=Unit.objects.get(code="st-nanjiao"))


SESSION = {"mode": "on_site", "at": "2026-03-02T09:45:00+08:00", "place": "南郊所调解室",
           "parties": "投诉人张伟、被投诉人店长", "summary": "双方就退货达成初步意向。"}


def test_a_staff_member_who_declares_a_conflict_is_recorded_and_may_not_lead_the_session(api, colleague):
    case_id = accepted_complaint(api)
    handler = api("nanjiao")
    r = handler.act(case_id, "record_session", {**SESSION, "lead": "nanjiao2",
                                                "recusals": [{"staff": "nanjiao2", "reason": "与被投诉人店主系亲属"}]})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["lead"]
    assert not MediationSession.objects.exists() and not Recusal.objects.exists()

    case = ok(handler.act(case_id, "record_session", {
        **SESSION, "lead": "nanjiao", "staff": ["nanjiao2"],
        "recusals": [{"staff": "nanjiao2", "reason": "与被投诉人店主系亲属"}]}))
    event = last_event(case)
    assert (event["action"], event["label"]) == ("record_session", "调解记录")
    assert event["data"]["lead"] == "nanjiao" and event["data"]["recused"] == ["nanjiao2"]
    session = MediationSession.objects.get()
    assert session.get_mode_display() == "现场调解" and list(session.staff.all()) == []  # recused: not a participant
    # The recusal stays with the item: a later session may not be led by them either.
    r = handler.act(case_id, "record_session", {"mode": "remote", "lead": "nanjiao2"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lead"
    assert ok(handler.act(case_id, "record_session", {"mode": "remote", "summary": "视频调解"}))["state"] == "in_progress"


def test_a_session_needs_a_mode_and_is_only_for_the_unit_holding_the_item(api):
    case_id = accepted_complaint(api)
    r = api("nanjiao").act(case_id, "record_session", {"summary": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "mode"
    assert api("dongcheng").act(case_id, "record_session", SESSION).status_code == 404
    assert api("xiaobao").act(case_id, "record_session", SESSION).status_code == 403
    r = api("nanjiao").act(case_id, "record_session", {**SESSION, "at": "2026-03-09T09:00:00+08:00"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "at"


def test_entrusted_mediation_agreed_then_the_complaint_is_mediated_with_its_remedies(api):
    case_id = accepted_complaint(api, consent_entrusted_mediation=True)
    handler = api("nanjiao")
    assert handler.act(case_id, "entrusted_result", {"result": "agreed"}).status_code == 409  # nothing entrusted
    case = ok(handler.act(case_id, "entrust", {"body": "曾都区消费者协会", "note": "双方同意由消协调解"}))
    assert last_event(case)["data"]["body"] == "曾都区消费者协会"
    assert handler.act(case_id, "entrust", {"body": "曾都区人民调解委员会"}).status_code == 409  # one at a time
    assert handler.act(case_id, "entrusted_result", {"result": "maybe"}).status_code == 422
    case = ok(handler.act(case_id, "entrusted_result", {"result": "agreed", "note": "消协主持达成退货协议"}))
    assert case["state"] == "in_progress" and last_event(case)["note"].startswith("曾都区消费者协会：调解成功")

    r = handler.act(case_id, "mediate", {"result": "agreed", "amount_recovered": "3299.00",
                                         "remedies": ["refund", "teleport"]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "remedies"
    case = ok(handler.act(case_id, "mediate", {
        "result": "agreed", "amount_recovered": "3399.00", "remedies": ["compensation", "refund"],
        "agreement": "被投诉人退还货款3299元，另赔偿上门费100元。"}))
    assert (case["state"], case["outcome"], case["amount_recovered"]) == ("concluded", "mediated", "3399.00")
    assert last_event(case)["data"]["remedies"] == ["refund", "compensation"]
    agreement = MediationAgreement.objects.get(case_id=case_id)
    assert agreement.remedy_labels == ["退货退款", "赔偿损失"]
    assert agreement.entrustment.body == "曾都区消费者协会" and str(agreement.amount_recovered) == "3399.00"


def test_entrusting_needs_the_complainants_consent_which_the_handler_may_record(api):
    case_id = accepted_complaint(api, consent_entrusted_mediation=False)
    handler = api("nanjiao")
    r = handler.act(case_id, "entrust", {"body": "曾都区消费者协会"})
    assert r.status_code == 409 and "同意" in r.json()["error"]
    assert handler.act(case_id, "entrust", {"consent": True}).status_code == 422  # no body named
    case = ok(handler.act(case_id, "entrust", {"body": "曾都区消费者协会", "consent": True}))
    assert case["consent_entrusted_mediation"] is True and last_event(case)["data"]["consent_recorded_now"] is True


def test_entrusted_mediation_that_fails_is_followed_by_termination(api):
    case_id = accepted_complaint(api, consent_entrusted_mediation=True)
    handler = api("nanjiao")
    ok(handler.act(case_id, "entrust", {"body": "曾都区消费者协会"}))
    ok(handler.act(case_id, "entrusted_result", {"result": "failed", "note": "被投诉人拒不到场"}))
    case = ok(handler.act(case_id, "mediate", {"result": "terminated", "ground": "no_agreement", "reason": "调解不成"}))
    assert case["outcome"] == "mediation_terminated"
    assert not MediationAgreement.objects.exists()


def test_a_testing_pause_records_who_pays_and_the_workspace_shows_it(api):
    case_id = accepted_complaint(api)
    handler = api("nanjiao")
    r = handler.act(case_id, "pause", {"reason": "testing", "payer": "nobody"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "payer"
    case = ok(handler.act(case_id, "pause", {"reason": "testing", "payer": "respondent", "note": "空调送检"}))
    assert last_event(case)["data"]["payer"] == "respondent"
    assert last_event(case)["data"]["payer_label"] == "被投诉人承担"
    page = login("nanjiao").get(f"/mediation/cases/{case_id}/", HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200 and "检验检测" in html and "费用：被投诉人承担" in html and "空调送检" in html
    # A pause without a payer is still accepted, as before.
    ok(handler.act(case_id, "resume"))
    assert ok(handler.act(case_id, "pause", {"reason": "other_department"}))["state"] == "in_progress"


def test_a_withdrawn_and_a_not_accepted_complaint_are_unchanged(api):
    case_id = accepted_complaint(api)
    assert ok(api("nanjiao").act(case_id, "mediate", {"result": "withdrawn"}))["outcome"] == "withdrawn"
    clerk = api("xiaobao")
    other = ok(clerk.post("/api/v1/cases", complaint_body()), 201)["id"]
    ok(clerk.act(other, "submit_for_triage"))
    ok(clerk.act(other, "assign", {"unit": "st-nanjiao"}))
    case = ok(api("nanjiao").act(other, "not_accept", {"ground": "not_consumption"}))
    assert case["outcome"] == "not_accepted"
    assert "record_session" not in case["actions"] and "entrust" not in case["actions"]


def test_the_workspace_lists_contacts_sessions_and_entrustment_but_not_to_another_station(api):
    case_id = accepted_complaint(api, consent_entrusted_mediation=True)
    handler = api("nanjiao")
    ok(handler.act(case_id, "record_contact", {"channel": "phone", "content": "电话告知投诉人调解安排"}))
    ok(handler.act(case_id, "record_session", SESSION))
    ok(handler.act(case_id, "entrust", {"body": "曾都区消费者协会"}))
    html = login("nanjiao").get(f"/mediation/cases/{case_id}/").content.decode()
    assert "电话告知投诉人调解安排" in html and "南郊所调解室" in html and "委托曾都区消费者协会" in html
    assert "待反馈" in html and "投诉人同意委托调解" in html
    assert login("dongcheng").get(f"/mediation/cases/{case_id}/").status_code == 404
