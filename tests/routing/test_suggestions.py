"""Routing suggestions for 消保股: rules with no history, then what the bureau decided before."""

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import complaint_body, report_body
from xiaobao.routing.models import RoutingModelState


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


def in_triage(api, body) -> dict:
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", body).json()
    clerk.act(case["id"], "submit_for_triage")
    return case


def test_with_no_history_the_address_decides_the_station_and_the_reason_says_why(api):
    assert not RoutingModelState.objects.exists()
    case = in_triage(api, complaint_body())  # respondent on 南郊街道白云大道
    r = api("xiaobao").get(f"/api/v1/cases/{case['id']}/suggestions")
    assert r.status_code == 200
    best = r.json()[0]
    assert best["unit"] == "st-nanjiao"
    assert "地址含“南郊街道”" in best["reason"] and "南郊所" in best["reason"]
    assert 0 < best["confidence"] <= 1


def test_a_food_safety_report_suggests_the_food_section_beside_the_station(api):
    case = in_triage(api, report_body())
    units = [s["unit"] for s in api("xiaobao").get(f"/api/v1/cases/{case['id']}/suggestions").json()]
    assert {"sec-food", "st-nanjiao"} <= set(units)


def test_an_unknown_address_still_gets_suggestions_asking_for_a_human_check(api):
    body = complaint_body(category="")
    body["respondent"] = {"name": "某商行", "address": "曾都区某某巷1号"}
    body["complainant"]["address"] = "曾都区某某巷2号"
    case = in_triage(api, body)
    suggestions = api("xiaobao").get(f"/api/v1/cases/{case['id']}/suggestions").json()
    assert suggestions and all("人工确认" in s["reason"] for s in suggestions)


def test_past_routing_decisions_teach_the_model(api):
    clerk = api("xiaobao")
    body = complaint_body(category="")
    body["respondent"] = {"name": "随州市曾都区鸿运大酒店", "address": "曾都区某某路8号"}
    body["complainant"]["address"] = "外省某市"
    for _ in range(3):
        case = in_triage(api, body)
        assert clerk.act(case["id"], "assign", {"unit": "st-hedian", "category": "lodging"}).status_code == 200
    call_command("train_routing", stdout=open("/dev/null", "w"))
    case = in_triage(api, body)
    best = clerk.get(f"/api/v1/cases/{case['id']}/suggestions").json()[0]
    assert best["unit"] == "st-hedian" and "历史" in best["reason"]


def test_only_dispatchers_get_suggestions_and_others_cannot_learn_the_item_exists(api):
    case = in_triage(api, complaint_body())
    assert api("fenguan").get(f"/api/v1/cases/{case['id']}/suggestions").status_code == 403
    assert api("nanjiao").get(f"/api/v1/cases/{case['id']}/suggestions").status_code == 404


def test_an_online_seller_is_routed_by_its_published_address_and_one_outside_the_district_is_flagged(api):
    local = complaint_body(category="online_shopping")
    local["respondent"] = {"name": "随州市某某网店", "address": "曾都区何店镇何店大道9号"}
    local["complainant"]["address"] = "曾都区南郊街道清河路1号"  # the buyer's address does not decide
    case = in_triage(api, local)
    best = api("xiaobao").get(f"/api/v1/cases/{case['id']}/suggestions").json()[0]
    assert best["unit"] == "st-hedian" and "网店公示地址含“何店镇”" in best["reason"]
    far = complaint_body(category="online_shopping", external_id="far-1", channel="platform_12315")
    far["respondent"] = {"name": "杭州某某电子商务有限公司", "address": "浙江省杭州市余杭区某路1号"}
    far["complainant"]["address"] = "外省"
    case = in_triage(api, far)
    suggestions = api("xiaobao").get(f"/api/v1/cases/{case['id']}/suggestions").json()
    assert all("告知他部门" in s["reason"] for s in suggestions)
