"""The dispatcher's triage queue: suggestions shown, returns first, a batch routed in one go."""

import time_machine

from tests.conftest import complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.cases.models import Case


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_the_dispatcher_routes_a_batch_with_the_suggested_units(api):
    clerk = api("xiaobao")
    ids = []
    for body in (complaint_body(), report_body(), complaint_body(external_id="x-1", channel="platform_12315")):
        case = clerk.post("/api/v1/cases", body).json()
        clerk.act(case["id"], "submit_for_triage")
        ids.append(case["id"])
    page = login("xiaobao")
    html = page.get("/triage/").content.decode()
    assert "待分流" in html and "南郊所" in html and "地址含" in html
    r = page.post("/triage/", {"case": ids, **{f"unit-{i}": "st-nanjiao" for i in ids}, "note": "批量"}, follow=True)
    assert "已分流 3 件" in r.content.decode()
    states = dict(Case.objects.values_list("id", "state"))
    # The report waits for the deputy director (rules 二.1(2)); the complaints reach 南郊所.
    assert [states[i] for i in ids] == ["assigned", "pending_approval", "assigned"]


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_returned_items_come_first_and_only_dispatchers_open_the_queue(api):
    clerk = api("xiaobao")
    first = clerk.post("/api/v1/cases", complaint_body()).json()
    second = clerk.post("/api/v1/cases", complaint_body(external_id="x-2", channel="platform_12315")).json()
    for c in (first, second):
        clerk.act(c["id"], "submit_for_triage")
    clerk.act(second["id"], "assign", {"unit": "st-dongcheng"})
    api("dongcheng").act(second["id"], "return", {"reason": "不在本所辖区"})
    html = login("xiaobao").get("/triage/").content.decode()
    assert html.index(second["number"]) < html.index(first["number"]) and "退回1次" in html
    assert login("nanjiao").get("/triage/").status_code == 403
