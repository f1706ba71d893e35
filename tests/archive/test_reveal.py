"""Seeing a masked identity takes a reason, and the reason is in the audit trail (rules 三.5)."""

from __future__ import annotations

from tests.documents import flows
from xiaobao.records.models import AuditEntry


def _reveal(api, user: str, case_id: int, body: dict | None = None):
    return api(user).post(f"/api/v1/cases/{case_id}/reveal", body if body is not None else {"reason": "核实举报线索"})


def test_the_unit_handling_a_report_sees_the_reporter_after_giving_a_reason(api):
    case_id = flows.report_in_verification(api)
    assert api("nanjiao").get(f"/api/v1/cases/{case_id}").json()["complainant"]["name"] == "***"
    r = _reveal(api, "nanjiao", case_id, {"reason": "需向举报人核实现场位置"})
    assert r.status_code == 200, r.content
    person = r.json()["complainant"]
    assert person["name"] == "李娜" and person["phone"] == "13900000002" and person["masked"] is False
    row = AuditEntry.objects.filter(action="reveal_identity", case_id=case_id).get()
    assert row.actor_name == "nanjiao" and row.detail["reason"] == "需向举报人核实现场位置"


def test_leadership_and_the_archivist_may_ask(api):
    case_id = flows.report_in_verification(api)
    for user in ("fenguan", "juzhang", "archivist"):
        assert _reveal(api, user, case_id).status_code == 200, user
    assert AuditEntry.objects.filter(action="reveal_identity", case_id=case_id).count() == 3


def test_no_reason_is_422_and_reveals_nothing(api):
    case_id = flows.report_in_verification(api)
    for body in ({}, {"reason": "   "}, {"reason": None}, {"reason": ["x"]}):
        r = _reveal(api, "nanjiao", case_id, body)
        assert r.status_code == 422, body
        assert r.json()["errors"][0]["field"] == "reason" and "李娜" not in r.content.decode()
    assert not AuditEntry.objects.filter(action="reveal_identity").exists()


def test_an_item_the_user_may_not_see_is_404(api):
    case_id = flows.report_in_verification(api)
    r = _reveal(api, "dongcheng", case_id)
    assert r.status_code == 404 and "李娜" not in r.content.decode()
    assert _reveal(api, "nanjiao", 999999).status_code == 404
    assert not AuditEntry.objects.filter(action="reveal_identity").exists()


def test_a_section_invited_to_consult_may_not_ask(api):
    case_id = flows.report_in_verification(api)
    r = api("nanjiao").act(case_id, "open_consultation", {"topic": "是否涉及食品安全", "units": ["sec-food"]})
    assert r.status_code == 200, r.content
    r = _reveal(api, "shipin", case_id)
    assert r.status_code == 403 and "李娜" not in r.content.decode()
