"""The HTTP contract of API-v1.md as integrators see it: auth, status codes, shapes, visibility across
units, identity masking and its audit trail, and what the OpenAPI document declares."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client

from tests.conftest import complaint_body, report_body
from xiaobao.cases.models import Case, Party
from xiaobao.records.models import AuditEntry

ACTION_URL = "/api/v1/cases/{}/actions/{}"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


def create(api, body: dict, by: str = "xiaobao") -> dict:
    r = api(by).post("/api/v1/cases", body)
    assert r.status_code == 201, r.json()
    return r.json()


def routed(api, body: dict, unit: str, category: str = "") -> int:
    """Registered by 消保股, submitted and assigned with the category the clerk confirms (approved by 分管局长
    where the rules require it)."""
    case_id = create(api, body)["id"]
    clerk = api("xiaobao")
    assert clerk.act(case_id, "submit_for_triage").status_code == 200
    state = clerk.act(case_id, "assign", {"unit": unit, **({"category": category} if category else {})}).json()["state"]
    if state == "pending_approval":
        state = api("fenguan").act(case_id, "approve").json()["state"]
    assert state == "assigned"
    return case_id


def ids(response) -> set[int]:
    return {c["id"] for c in response.json()["results"]}


def field_names(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def personal_reads(case_id: int) -> list[str]:
    return list(AuditEntry.objects.filter(action="read_personal", case_id=case_id).values_list("actor_name", flat=True))


# ---------------------------------------------------------------- health and auth


def test_healthz_answers_ok_without_auth(db):
    r = Client().get("/healthz")
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


def test_a_token_is_issued_for_good_credentials_and_refused_for_bad_ones(bureau):
    client = Client()
    good = client.post("/api/v1/auth/token", {"username": "nanjiao", "password": "Test-pass-2026!"},
                       content_type="application/json")
    assert good.status_code == 200 and set(good.json()) == {"token"} and good.json()["token"]
    for credentials in ({"username": "nanjiao", "password": "wrong"}, {"username": "nobody", "password": "x"}):
        bad = client.post("/api/v1/auth/token", credentials, content_type="application/json")
        assert bad.status_code == 401 and "token" not in bad.json()


def operations(client: Client) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document except the token exchange, with sample path values."""
    doc = client.get("/api/v1/openapi.json").json()
    out = []
    for path, methods in doc["paths"].items():
        if path == "/api/v1/auth/token":
            continue
        concrete = re.sub(r"\{(\w+)\}", lambda m: {"action": "accept", "year": "2026"}.get(m.group(1), "1"), path)
        assert "{" not in concrete, path
        out += [(method, concrete) for method in methods]
    return out


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Token abc", "Bearer "])
def test_every_api_call_without_a_valid_token_is_401(api, authorization):
    case_id = create(api, complaint_body())["id"]
    client = Client()
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    ops = operations(client)
    assert ("post", "/api/v1/cases/1/actions/accept") in ops and ("get", "/api/v1/rules/current") in ops
    for method, path in ops:
        path = path.replace("/cases/1", f"/cases/{case_id}")
        r = client.generic(method.upper(), path, json.dumps({}), content_type="application/json", **headers)
        assert r.status_code == 401, (method, path, r.status_code)
        assert "error" in r.json()
    assert Case.objects.get(pk=case_id).state == "registered"


def test_a_token_expires(api, clock):
    nanjiao = api("nanjiao")
    assert nanjiao.get("/api/v1/cases").status_code == 200
    clock.move_to("2026-03-03 10:00 +0800")
    assert nanjiao.get("/api/v1/cases").status_code == 401


# ---------------------------------------------------------------- registration


def test_an_empty_complaint_is_refused_naming_every_missing_field_and_nothing_is_stored(api):
    r = api("xiaobao").post("/api/v1/cases", {"kind": "complaint", "channel": "phone"})
    assert r.status_code == 422
    assert sorted(field_names(r)) == sorted([
        "complainant.name", "complainant.phone", "complainant.address",
        "respondent.name", "respondent.address", "facts", "demand",
    ])
    assert all(re.search(r"[\u4e00-\u9fff]", e["message"]) for e in r.json()["errors"])
    assert Case.objects.count() == 0 and Party.objects.count() == 0


def test_a_missing_kind_or_channel_is_named_along_with_the_rest(api):
    r = api("xiaobao").post("/api/v1/cases", {"kind": "complaint"})
    assert r.status_code == 422
    assert "channel" in field_names(r) and "complainant.phone" in field_names(r) and len(field_names(r)) == 8
    r = api("xiaobao").post("/api/v1/cases", {})
    assert r.status_code == 422 and sorted(field_names(r)) == ["channel", "kind"]
    assert Case.objects.count() == 0


def test_an_anonymous_report_is_registered(api):
    body = report_body(complainant={"anonymous": True})
    case = create(api, body)
    assert case["kind"] == "report" and case["state"] == "registered" and case["number"].startswith("JB-2026-")
    assert case["complainant"]["anonymous"] is True


def test_an_anonymous_complaint_is_refused(api):
    body = complaint_body(complainant={"name": "张伟", "phone": "13800000001", "address": "曾都区南郊街道",
                                       "anonymous": True})
    r = api("xiaobao").post("/api/v1/cases", body)
    assert r.status_code == 422 and field_names(r) == ["complainant.anonymous"]
    assert Case.objects.count() == 0


def test_the_same_external_id_on_the_same_channel_returns_the_existing_item(api):
    body = complaint_body(channel="platform_12315", external_id="12315-2026-0302-0001")
    first = create(api, body)
    again = api("xiaobao").post("/api/v1/cases", body)
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert again.json()["number"] == first["number"]
    assert Case.objects.filter(external_id="12315-2026-0302-0001").count() == 1

    elsewhere = api("xiaobao").post("/api/v1/cases", complaint_body(channel="web", external_id="12315-2026-0302-0001"))
    assert elsewhere.status_code == 201 and elsewhere.json()["id"] != first["id"]
    assert Case.objects.filter(external_id="12315-2026-0302-0001").count() == 2


def test_a_duplicate_external_id_of_another_units_item_is_refused_without_showing_that_item(api):
    body = complaint_body(channel="platform_12315", external_id="12315-2026-0302-0002")
    first = routed(api, body, "st-nanjiao")
    r = api("dongcheng").post("/api/v1/cases", body)
    assert r.status_code == 422 and field_names(r) == ["external_id"]
    shown = json.dumps(r.json(), ensure_ascii=False)
    assert Case.objects.get(pk=first).number not in shown and "空调" not in shown and "id" not in r.json()
    assert Case.objects.filter(external_id="12315-2026-0302-0002").count() == 1
    assert api("nanjiao").post("/api/v1/cases", body).json()["id"] == first


def test_a_malformed_body_on_create_is_a_422_and_nothing_is_stored(api):
    clerk = api("xiaobao")
    r = clerk.client.post("/api/v1/cases", '{"kind": "complaint",', content_type="application/json", **clerk.headers)
    assert r.status_code == 422 and field_names(r) == ["body"]
    assert Case.objects.count() == 0


# ---------------------------------------------------------------- the item


def test_an_item_has_the_shape_of_the_contract(api):
    case_id = routed(api, complaint_body(), "st-nanjiao")
    r = api("nanjiao").get(f"/api/v1/cases/{case_id}")
    assert r.status_code == 200
    case = r.json()
    assert {"id", "number", "kind", "state", "outcome", "unit", "tier", "complainant", "respondent", "facts",
            "demand", "clocks", "events"} <= set(case)
    assert (case["id"], case["kind"], case["state"], case["outcome"], case["unit"], case["tier"]) == (
        case_id, "complaint", "assigned", None, "st-nanjiao", "general")
    assert case["complainant"]["name"] == "张伟" and case["respondent"]["name"] == "曾都区鑫达电器商行"
    assert case["clocks"]
    for c in case["clocks"]:
        assert {"name", "start", "due", "state", "provisional", "days_left"} <= set(c)
        assert c["state"] in {"running", "paused", "met", "overdue"}
        date.fromisoformat(c["start"]), date.fromisoformat(c["due"])
    acceptance = next(c for c in case["clocks"] if c["name"] == "acceptance")
    assert (acceptance["start"], acceptance["due"], acceptance["days_left"]) == ("2026-03-02", "2026-03-11", 7)
    for e in case["events"]:
        assert {"at", "actor", "action", "from", "to", "note"} <= set(e)
        assert datetime.fromisoformat(e["at"]).utcoffset() is not None
    assert [(e["action"], e["from"], e["to"]) for e in case["events"]] == [
        ("register", None, "registered"), ("submit_for_triage", "registered", "triage"),
        ("assign", "triage", "assigned")]


def test_an_unknown_action_is_404(api):
    case_id = create(api, complaint_body())["id"]
    r = api("xiaobao").act(case_id, "approve_everything")
    assert r.status_code == 404 and "error" in r.json()
    assert api("xiaobao").act(999999, "accept").status_code == 404


def test_an_action_needing_no_body_works_with_an_empty_request_body(api):
    case_id = routed(api, complaint_body(), "st-nanjiao")
    nanjiao = api("nanjiao")
    r = nanjiao.client.generic("POST", ACTION_URL.format(case_id, "accept"), b"", **nanjiao.headers)
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "in_progress"


def test_an_empty_json_body_with_a_json_content_type_works_too(api):
    case_id = create(api, complaint_body())["id"]
    clerk = api("xiaobao")
    r = clerk.client.post(ACTION_URL.format(case_id, "submit_for_triage"), "", content_type="application/json",
                          **clerk.headers)
    assert r.status_code == 200 and r.json()["state"] == "triage"


@pytest.mark.parametrize("raw", ['{"reason": ', "not json", "[1, 2]", '"accept"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_422_in_the_errors_shape(api, raw):
    case_id = routed(api, complaint_body(), "st-nanjiao")
    nanjiao = api("nanjiao")
    r = nanjiao.client.post(ACTION_URL.format(case_id, "accept"), raw, content_type="application/json",
                            **nanjiao.headers)
    assert r.status_code == 422, r.content
    assert field_names(r) == ["body"] and re.search(r"[\u4e00-\u9fff]", r.json()["errors"][0]["message"])
    assert Case.objects.get(pk=case_id).state == "assigned"


# ---------------------------------------------------------------- listing and visibility


@pytest.fixture
def desk(api):
    """A complaint at 南郊所, a complaint at 东城所, a report waiting for approval, an inquiry just registered."""
    return {
        "nanjiao": routed(api, complaint_body(), "st-nanjiao"),
        "dongcheng": routed(api, complaint_body(
            respondent={"name": "曾都区动感健身会所", "address": "曾都区东城街道烈山大道9号"},
            facts="办理健身年卡后会所停业，无法退费。", demand="退还剩余会费", category=""), "st-dongcheng", category="prepaid"),
        "report": create(api, report_body())["id"],
        "inquiry": create(api, {"kind": "inquiry", "channel": "phone", "question": "预付卡退费怎么办？"})["id"],
    }


def test_the_dispatcher_lists_every_item_and_filters_by_state_unit_kind_and_text(api, desk):
    clerk = api("xiaobao")
    everything = clerk.get("/api/v1/cases")
    assert everything.status_code == 200
    assert everything.json()["count"] == 4 and ids(everything) == set(desk.values())
    assert ids(clerk.get("/api/v1/cases", state="assigned")) == {desk["nanjiao"], desk["dongcheng"]}
    assert ids(clerk.get("/api/v1/cases", unit="st-dongcheng")) == {desk["dongcheng"]}
    assert ids(clerk.get("/api/v1/cases", kind="report")) == {desk["report"]}
    assert ids(clerk.get("/api/v1/cases", q="健身")) == {desk["dongcheng"]}
    assert ids(clerk.get("/api/v1/cases", q="过期食品")) == {desk["report"]}
    number = Case.objects.get(pk=desk["nanjiao"]).number
    found = clerk.get("/api/v1/cases", q=number)
    assert ids(found) == {desk["nanjiao"]} and found.json()["count"] == 1
    assert clerk.get("/api/v1/cases", kind="complaint", unit="st-nanjiao").json()["count"] == 1
    # A unit that holds none of them, and a code that names no unit: nothing, not an error.
    assert clerk.get("/api/v1/cases", unit="sec-food", state="archived").json() == {
        "count": 0, "page": 1, "page_size": 50, "results": []}
    assert clerk.get("/api/v1/cases", unit="no-such-unit").json()["count"] == 0


def test_a_handler_sees_only_the_items_of_its_own_unit(api, desk):
    mine = api("nanjiao").get("/api/v1/cases")
    assert mine.json()["count"] == 1 and ids(mine) == {desk["nanjiao"]}
    assert ids(api("dongcheng").get("/api/v1/cases")) == {desk["dongcheng"]}
    assert api("nanjiao").get("/api/v1/cases", kind="report").json()["count"] == 0


def test_a_handler_of_dongcheng_cannot_see_an_item_of_nanjiao_even_by_searching(api, desk):
    dongcheng, theirs = api("dongcheng"), desk["nanjiao"]
    number = Case.objects.get(pk=theirs).number
    assert theirs not in ids(dongcheng.get("/api/v1/cases"))
    for params in ({"q": number}, {"q": "空调"}, {"unit": "st-nanjiao"}, {"state": "assigned"}):
        assert theirs not in ids(dongcheng.get("/api/v1/cases", **params)), params
    assert dongcheng.get("/api/v1/cases", unit="st-nanjiao").json()["count"] == 0


def test_a_handler_of_dongcheng_gets_404_not_403_for_an_item_of_nanjiao(api, desk):
    dongcheng, theirs = api("dongcheng"), desk["nanjiao"]
    r = dongcheng.get(f"/api/v1/cases/{theirs}")
    assert r.status_code == 404
    assert r.json() == dongcheng.get("/api/v1/cases/999999").json()  # the same answer as for no item at all
    for action, body in (("accept", {}), ("not_accept", {"ground": "not_duty"}), ("return", {"reason": "x"}),
                         ("pause", {"reason": "testing"}), ("no_such_action", {})):
        assert dongcheng.act(theirs, action, body).status_code == 404, action
    assert Case.objects.get(pk=theirs).state == "assigned"
    assert Case.objects.get(pk=theirs).events.count() == 3


def test_the_administrator_sees_no_items(api, desk):
    admin = api("admin")
    r = admin.get("/api/v1/cases")
    assert r.status_code == 200 and r.json()["count"] == 0 and r.json()["results"] == []
    assert admin.get(f"/api/v1/cases/{desk['nanjiao']}").status_code == 404
    assert admin.act(desk["nanjiao"], "accept").status_code == 404


# ---------------------------------------------------------------- identity masking and its audit trail


@pytest.fixture
def report_at_nanjiao(api) -> int:
    return routed(api, report_body(), "st-nanjiao")


@pytest.mark.parametrize("user", ["nanjiao", "fenguan"])
def test_the_reporter_is_masked_for_the_handling_unit_and_the_deputy_director(api, report_at_nanjiao, user):
    case = api(user).get(f"/api/v1/cases/{report_at_nanjiao}").json()
    reporter = case["complainant"]
    assert (reporter["name"], reporter["phone"], reporter["id_number"], reporter["address"]) == ("***", None, None,
                                                                                                  None)
    assert "李娜" not in json.dumps(case, ensure_ascii=False)
    listed = next(c for c in api(user).get("/api/v1/cases").json()["results"] if c["id"] == report_at_nanjiao)
    assert listed["complainant"]["name"] == "***" and listed["complainant"]["phone"] is None


def test_the_reporter_stays_masked_in_the_handlers_own_action_result(api, report_at_nanjiao):
    case = api("nanjiao").act(report_at_nanjiao, "begin_verification").json()
    assert case["complainant"]["name"] == "***" and "13900000002" not in json.dumps(case)


def test_the_dispatcher_sees_the_reporter(api, report_at_nanjiao):
    reporter = api("xiaobao").get(f"/api/v1/cases/{report_at_nanjiao}").json()["complainant"]
    assert (reporter["name"], reporter["phone"]) == ("李娜", "13900000002")


def test_a_masked_read_leaves_no_personal_data_read_in_the_audit_trail_but_an_unmasked_one_does(
        api, report_at_nanjiao):
    before = personal_reads(report_at_nanjiao)
    assert api("nanjiao").get(f"/api/v1/cases/{report_at_nanjiao}").status_code == 200
    assert api("fenguan").get(f"/api/v1/cases/{report_at_nanjiao}").status_code == 200
    assert personal_reads(report_at_nanjiao) == before
    assert api("xiaobao").get(f"/api/v1/cases/{report_at_nanjiao}").status_code == 200
    assert personal_reads(report_at_nanjiao) == [*before, "xiaobao"]


def test_the_handling_unit_sees_the_complainant_of_a_complaint_and_the_read_is_audited(api):
    case_id = routed(api, complaint_body(), "st-nanjiao")
    before = personal_reads(case_id)
    complainant = api("nanjiao").get(f"/api/v1/cases/{case_id}").json()["complainant"]
    assert (complainant["name"], complainant["phone"]) == ("张伟", "13800000001")
    assert personal_reads(case_id) == [*before, "nanjiao"]


# ---------------------------------------------------------------- OpenAPI and rules


def test_the_openapi_document_declares_the_codes_of_the_action_and_create_endpoints(db):
    doc = Client().get("/api/v1/openapi.json").json()
    action = doc["paths"]["/api/v1/cases/{case_id}/actions/{action}"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(action)
    create_ = doc["paths"]["/api/v1/cases"]["post"]["responses"]
    assert {"200", "201", "401", "422"} <= set(create_)
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            if path != "/api/v1/auth/token":
                assert "401" in op["responses"], (method, path)


def test_the_rules_in_force_come_with_their_basis_and_grounds(api):
    r = api("nanjiao").get("/api/v1/rules/current")
    assert r.status_code == 200
    rules = r.json()
    assert rules["name"] and rules["basis"] and rules["effective_from"] == "2020-01-01"
    assert rules["clocks"] and all({"name", "length", "unit", "basis"} <= set(c) and c["basis"]
                                   for c in rules["clocks"])
    assert {"acceptance", "handling", "mediation_cap", "verification", "reply"} <= {c["name"] for c in rules["clocks"]}
    for outcome in ("not_accepted", "mediation_terminated"):
        grounds = rules["grounds"][outcome]
        assert grounds and all(g["code"] and re.search(r"[\u4e00-\u9fff]", g["text"]) and g["basis"] for g in grounds)
    assert "identity" not in {g["code"] for g in rules["grounds"]["not_accepted"]}


def test_from_2026_04_15_the_rules_in_force_add_the_identity_ground(api, clock):
    clock.move_to("2026-04-15 09:00 +0800")
    rules = api("xiaobao").get("/api/v1/rules/current").json()
    assert rules["effective_from"] == "2026-04-15"
    assert "identity" in {g["code"] for g in rules["grounds"]["not_accepted"]}


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_over_long_texts_and_huge_amounts_are_refused_by_field_instead_of_failing(api):
    body = complaint_body(amount="1000000000000")
    body["complainant"]["name"] = "张" * 121
    body["respondent"]["address"] = "路" * 251
    r = api("xiaobao").post("/api/v1/cases", body)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"complainant.name", "respondent.address", "amount"}


def test_chinese_text_comes_back_as_is_not_escaped(api):
    r = api("xiaobao").get("/api/v1/rules/current")
    assert "曾都区" in r.content.decode() and "\\u" not in r.content.decode()
