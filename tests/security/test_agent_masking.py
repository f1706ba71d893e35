"""The agent (代理人) who filed for the person leads to the person: wherever the complainant or reporter is masked,
the agent is too (rules 三.5). The attack: read an item whose person is masked and look for the agent's name and
phone in the API, the item page, the lists and search."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, complaint_body, report_body
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

AGENT = {"name": "欧阳代理", "phone": "13712345678"}
NOW = "2026-03-02 10:00 +0800"


def login(username: str) -> Client:
    c = Client()
    r = c.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def _routed(api, body: dict, *, approve: bool = False) -> int:
    clerk = api("xiaobao")
    r = clerk.post("/api/v1/cases", body)
    assert r.status_code == 201, r.content.decode()
    case_id = r.json()["id"]
    assert clerk.act(case_id, "submit_for_triage").status_code == 200
    assert clerk.act(case_id, "assign", {"unit": "st-nanjiao"}).status_code == 200
    if approve:
        assert api("fenguan").act(case_id, "approve", {"note": "同意"}).status_code == 200
    return case_id


@pytest.fixture
def report_with_agent(api):
    """A report filed through an agent, held by 南郊所: its handler may not see who reported it."""
    return _routed(api, report_body(agent=AGENT), approve=True)


@pytest.fixture
def complaint_with_agent(api):
    return _routed(api, complaint_body(agent=AGENT))


def _leaks(text: str) -> list[str]:
    return [s for s in (AGENT["name"], AGENT["phone"]) if s in text]


@time_machine.travel(NOW, tick=False)
def test_the_handler_of_a_report_reads_neither_reporter_nor_agent_through_the_api(api, report_with_agent):
    r = api("nanjiao").get(f"/api/v1/cases/{report_with_agent}")
    assert r.status_code == 200
    body = r.json()
    assert body["complainant"]["masked"] is True
    assert body["agent"] == {"name": "***", "phone": None, "masked": True}
    assert _leaks(r.content.decode()) == []


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", ["fenguan", "juzhang", "archivist"])
def test_leaders_and_the_archivist_read_no_agent_of_a_masked_complainant(api, complaint_with_agent, username):
    r = api(username).get(f"/api/v1/cases/{complaint_with_agent}")
    assert r.status_code == 200
    assert r.json()["complainant"]["masked"] is True
    assert r.json()["agent"]["masked"] is True
    assert _leaks(r.content.decode()) == []


@time_machine.travel(NOW, tick=False)
def test_the_item_page_masks_the_agent_where_it_masks_the_reporter(api, report_with_agent):
    page = login("nanjiao").get(f"/cases/{report_with_agent}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "代理人" in html and "***（已保密）" in html
    assert _leaks(html) == []


@time_machine.travel(NOW, tick=False)
def test_lists_and_search_do_not_lead_to_the_agent(api, report_with_agent):
    nanjiao = api("nanjiao")
    for q in (AGENT["name"], AGENT["phone"], None):
        r = nanjiao.get("/api/v1/cases", **({"q": q} if q else {}))
        assert r.status_code == 200
        assert _leaks(r.content.decode()) == []
    assert nanjiao.get("/api/v1/cases", q=AGENT["phone"]).json()["count"] == 0
    c = login("nanjiao")
    for path in ("/cases/", "/"):
        assert _leaks(c.get(path).content.decode()) == [], path
    # Searching for the agent's phone finds nothing (the search box shows the query typed back, no item).
    number = nanjiao.get(f"/api/v1/cases/{report_with_agent}").json()["number"]
    assert number in c.get("/cases/").content.decode()
    assert number not in c.get("/cases/", {"q": AGENT["phone"]}).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_station_registering_a_report_through_an_agent_is_answered_with_the_agent_masked(api):
    r = api("nanjiao").post("/api/v1/cases", report_body(agent=AGENT))
    assert r.status_code == 201, r.content.decode()
    assert r.json()["agent"]["masked"] is True
    assert _leaks(r.content.decode()) == []
    registration = AuditEntry.objects.get(action="register", case_id=r.json()["id"])
    assert "read_personal" not in registration.detail


@time_machine.travel(NOW, tick=False)
def test_whoever_may_see_the_person_sees_the_agent_and_the_read_is_audited(api, complaint_with_agent):
    # The handling unit of a complaint needs both to mediate (rules 二.3); reading them is in the audit trail.
    r = api("nanjiao").get(f"/api/v1/cases/{complaint_with_agent}")
    assert r.json()["agent"] == {**AGENT, "masked": False}
    read = AuditEntry.objects.filter(action="read_personal", case_id=complaint_with_agent,
                                     actor__username="nanjiao").last()
    assert read is not None and read.detail["fields"] == ["complainant", "agent"]
    page = login("nanjiao").get(f"/cases/{complaint_with_agent}/").content.decode()
    assert AGENT["name"] in page and AGENT["phone"] in page


@time_machine.travel(NOW, tick=False)
def test_a_document_quoting_the_agent_of_a_report_prints_neither_name_nor_phone(api):
    from tests.documents import flows
    from xiaobao.documents.models import Document

    case_id = flows.report_in_verification(api, agent=AGENT)
    reason = f"经与代理人{AGENT['name']}（{AGENT['phone']}）核实，现场检查未发现过期食品"
    assert api("nanjiao").act(case_id, "decline_filing", {"reason": reason, "record": "现场检查记录"}).status_code == 200
    doc = flows.issue(api, case_id, "non_filing_record")
    data = Document.objects.get(pk=doc["id"]).data
    assert "现场检查未发现过期食品" in str(data)
    assert _leaks(str(data)) == []
