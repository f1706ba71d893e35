"""Rules 二.1(2): food and drug safety complaints go to the deputy director before routing. The category decides
that, so a complaint is routed only with its category, confirmed by the clerk at routing (API-v1.md "Law
enforced on actions": `assign` takes `"category"`; without one on the item or in the body → 422 naming
`category`). Through the services, the API and the pages."""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.cases import services
from xiaobao.cases.errors import Invalid
from xiaobao.cases.models import Case
from xiaobao.units.models import Staff


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


def in_triage(api, body: dict) -> int:
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", body).json()["id"]
    assert clerk.act(case_id, "submit_for_triage").status_code == 200
    return case_id


def test_a_complaint_without_a_category_is_not_routed_and_the_422_names_category(api):
    case_id = in_triage(api, complaint_body(category=""))
    r = api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["category"]
    assert "规则 二.1（2）" in r.json()["errors"][0]["message"]
    seen = api("auditor").get(f"/api/v1/cases/{case_id}").json()
    assert (seen["state"], seen["unit"], seen["category"]) == ("triage", "xiaobao", None)


def test_a_missing_unit_and_category_are_named_together(api):
    case_id = in_triage(api, complaint_body(category=""))
    r = api("xiaobao").act(case_id, "assign", {})
    assert [e["field"] for e in r.json()["errors"]] == ["unit", "category"]


def test_an_unknown_category_is_refused(api):
    case_id = in_triage(api, complaint_body())
    r = api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao", "category": "no-such-thing"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category"
    assert api("auditor").get(f"/api/v1/cases/{case_id}").json()["category"] == "appliances"


def test_the_category_confirmed_at_routing_is_the_items_and_the_timeline_keeps_the_change(api):
    case_id = in_triage(api, complaint_body(category=""))
    routed = api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao", "category": "appliances"}).json()
    assert (routed["state"], routed["unit"], routed["category"]) == ("assigned", "st-nanjiao", "appliances")
    assert routed["events"][-1]["data"] == {"unit": "st-nanjiao", "category": "appliances", "old_category": None}


def test_a_food_complaint_registered_as_appliances_goes_to_the_deputy_director_once_the_clerk_corrects_it(api):
    case_id = in_triage(api, complaint_body())  # registered as 家用电器
    waiting = api("xiaobao").act(case_id, "assign", {"unit": "sec-food", "category": "food"}).json()
    assert (waiting["state"], waiting["category"]) == ("pending_approval", "food")
    assert waiting["pending_approval"] == {"kind": "routing", "unit": "sec-food", "approver": "deputy_director"}
    assert api("shipin").get(f"/api/v1/cases/{case_id}").status_code == 404
    assert api("fenguan").act(case_id, "approve").json()["unit"] == "sec-food"


def test_a_complaint_with_its_category_from_registration_needs_none_in_the_body(api):
    case_id = in_triage(api, complaint_body(category="food"))
    assert api("xiaobao").act(case_id, "assign", {"unit": "sec-food"}).json()["state"] == "pending_approval"


def test_a_report_is_routed_without_a_category_and_still_waits_for_the_deputy_director(api):
    case_id = in_triage(api, report_body(category=""))
    assert api("xiaobao").act(case_id, "assign", {"unit": "jicha"}).json()["state"] == "pending_approval"


def test_the_service_refuses_the_same_way(bureau):
    clerk = Staff.objects.get(username="xiaobao")
    case, _ = services.register_case(actor=clerk, data=complaint_body(category=""))
    services.submit_for_triage(actor=clerk, case_id=case.pk)
    with pytest.raises(Invalid) as refused:
        services.assign(actor=clerk, case_id=case.pk, body={"unit": "st-nanjiao"})
    assert [e["field"] for e in refused.value.errors] == ["category"]
    services.assign(actor=clerk, case_id=case.pk, body={"unit": "st-nanjiao", "category": "drugs"})
    assert Case.objects.get(pk=case.pk).state == "pending_approval"


# ---------------------------------------------------------------- the pages


def test_the_item_pages_assign_form_offers_the_category_with_the_items_own_chosen(api):
    case_id = in_triage(api, complaint_body())
    page = login("xiaobao").get(f"/cases/{case_id}/actions/assign/").content.decode()
    assert 'name="category"' in page and "食品药品安全投诉报分管局长审批" in page
    assert re.search(r'<option value="appliances" selected>家用电器</option>', page)


def test_a_clerk_routing_from_the_item_page_without_a_category_sees_why(api):
    case_id = in_triage(api, complaint_body(category=""))
    r = login("xiaobao").post(f"/cases/{case_id}/actions/assign/", {"unit": "st-nanjiao", "category": ""})
    assert r.status_code == 422 and "请确认投诉类别" in r.content.decode()
    r = login("xiaobao").post(f"/cases/{case_id}/actions/assign/", {"unit": "st-nanjiao", "category": "repair"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case_id).category == "repair"


def test_the_triage_queue_routes_a_batch_with_the_categories_the_clerk_confirms(api):
    plain = in_triage(api, complaint_body(category=""))
    food = in_triage(api, complaint_body(category=""))
    unconfirmed = in_triage(api, complaint_body(category=""))
    page = login("xiaobao")
    queue = page.get("/triage/").content.decode()
    assert f'name="category-{plain}"' in queue and "食品（食品药品安全）" in queue
    r = page.post("/triage/", {"case": [plain, food, unconfirmed],
                               f"unit-{plain}": "st-nanjiao", f"category-{plain}": "clothing",
                               f"unit-{food}": "sec-food", f"category-{food}": "food",
                               f"unit-{unconfirmed}": "st-nanjiao", f"category-{unconfirmed}": ""}, follow=True)
    shown = r.content.decode()
    assert "已分流 2 件" in shown and "未能分流" in shown and "请确认投诉类别" in shown
    states = dict(Case.objects.filter(pk__in=[plain, food, unconfirmed]).values_list("pk", "state"))
    assert states == {plain: "assigned", food: "pending_approval", unconfirmed: "triage"}
