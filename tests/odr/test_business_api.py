"""The ODR business's side of API v1: its inbox and its items' views hold only the consumer's name and phone, the
facts, the demand, the due date and its own exchange; every other business's item, an item that has left it,
every staff route → 404 (or 403 where no item is named); each read of the consumer's data is audited."""

from __future__ import annotations

import pytest

from tests.odr.business_routes import BUSINESS_API_ROUTES
from tests.odr.conftest import complaint, forwarded, ok
from xiaobao.api.v1 import api as v1
from xiaobao.records.models import AuditEntry

CONTACT = {"at": "2026-05-04T14:00:00+08:00", "method": "电话", "process": "与消费者电话沟通，消费者坚持退货",
           "offer": "上门维修并赠送延保一年"}
ANSWER = {"result": "not_settled", "detail": "协商未果"}


def _call(client, method: str, path: str, body: dict | None = None):
    return client.get(path) if method == "GET" else client.post(path, body)


def test_the_documented_routes_are_the_business_routes(db):
    schema = v1.get_openapi_schema()
    operations = {(m.upper(), p, op["operationId"]) for p, item in schema["paths"].items() for m, op in item.items()}
    for method, path, operation in BUSINESS_API_ROUTES:
        assert (method, path, operation) in operations


def test_the_inbox_holds_its_own_items_with_only_what_the_business_may_see(api, clock, xinda, huimin):
    mine = forwarded(api, xinda)
    forwarded(api, huimin, respondent={"name": "曾都区惠民副食批发部", "address": "曾都区南郊街道两水路5号"},
              complainant={"name": "王芳", "phone": "13700000003", "address": "曾都区南郊街道清河路9号"})
    complaint(api)  # in triage, never forwarded
    inbox = ok(api("odr-xinda").get("/api/v1/odr/inbox"))
    assert inbox["count"] == 1
    assert inbox["results"] == [{"id": mine, "number": inbox["results"][0]["number"], "received_on": "2026-05-04",
                                 "consumer_name": "张伟", "due": "2026-05-18"}]
    item = ok(api("odr-xinda").get(f"/api/v1/odr/inbox/{mine}"))
    assert item["consumer"] == {"name": "张伟", "phone": "13800000001"}
    assert item["facts"].startswith("2026年2月20日") and item["demand"] == "退货并退还货款"
    assert (item["due"], item["contacts"], item["answer"]) == ("2026-05-18", [], None)
    # Nothing else of the item: no address, ID number, staff notes, unit, clocks or timeline.
    text = str(item)
    for hidden in ("421302199001011234", "清河路8号", "电话确认同意先行和解", "st-", "events", "clocks"):
        assert hidden not in text
    reads = AuditEntry.objects.filter(action="odr_read_personal", actor_name="odr-xinda")
    assert reads.filter(case_id=mine).count() == 1
    listed = reads.get(object="odr-inbox")
    assert listed.detail["cases"] == [mine] and listed.detail["fields"] == ["name"]


def test_contacts_are_recorded_and_shown_to_staff_on_the_timeline(api, clock, xinda):
    case_id = forwarded(api, xinda)
    clock.shift(5 * 3600)
    item = ok(api("odr-xinda").post(f"/api/v1/odr/inbox/{case_id}/contacts", CONTACT), 201)
    assert item["contacts"] == [{"at": "2026-05-04T14:00:00+08:00", "method": "电话",
                                 "process": "与消费者电话沟通，消费者坚持退货", "offer": "上门维修并赠送延保一年"}]
    line = ok(api("xiaobao").get(f"/api/v1/cases/{case_id}"))["events"][-1]
    assert (line["label"], line["actor"], line["note"]) == ("ODR企业联系记录", "odr-xinda", CONTACT["process"])
    r = api("odr-xinda").post(f"/api/v1/odr/inbox/{case_id}/contacts", {"at": "明天", "method": ""})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"method", "process", "at"}
    r = api("odr-xinda").post(f"/api/v1/odr/inbox/{case_id}/contacts", {**CONTACT, "at": "2026-05-01T10:00:00+08:00"})
    assert r.status_code == 422 and "早于转送时间" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize(("method", "path", "operation"), BUSINESS_API_ROUTES)
def test_another_business_reaches_nothing_of_it(api, clock, xinda, huimin, method, path, operation):
    case_id = forwarded(api, xinda)
    body = CONTACT if "contacts" in path else ANSWER
    r = _call(api("odr-huimin"), method, path.format(case_id=case_id), body)
    if "{case_id}" in path:
        assert r.status_code == 404, r.content
        assert "张伟" not in r.content.decode()
    else:
        assert ok(r)["count"] == 0
    # A made-up id and an item never forwarded: the same 404.
    if "{case_id}" in path:
        never = complaint(api)
        for other in (never, 999999):
            assert _call(api("odr-xinda"), method, path.format(case_id=other), body).status_code == 404


@pytest.mark.parametrize(("method", "path", "operation"), BUSINESS_API_ROUTES)
def test_an_item_that_left_the_business_is_404_for_it(api, clock, xinda, method, path, operation):
    case_id = forwarded(api, xinda)
    ok(api("xiaobao").act(case_id, "escalate", {"reason": "消费者不同意先行和解"}))
    body = CONTACT if "contacts" in path else ANSWER
    r = _call(api("odr-xinda"), method, path.format(case_id=case_id), body)
    if "{case_id}" in path:
        assert r.status_code == 404
    else:
        assert ok(r)["count"] == 0


@pytest.mark.parametrize(("method", "path", "operation"), BUSINESS_API_ROUTES[:3])
def test_staff_are_no_business(api, clock, xinda, method, path, operation):
    case_id = forwarded(api, xinda)
    r = _call(api("xiaobao"), method, path.format(case_id=case_id), CONTACT)
    assert r.status_code == 403, r.content


def test_the_business_reaches_no_staff_route_of_its_item(api, clock, xinda):
    case_id = forwarded(api, xinda)
    business = api("odr-xinda")
    assert business.get(f"/api/v1/cases/{case_id}").status_code == 404
    assert business.get("/api/v1/cases").status_code == 404  # the gate (odr.access): no staff operation at all
    for action in ("escalate", "record_contact", "assign", "forward_to_business"):
        assert business.act(case_id, action, {"reason": "x"}).status_code == 404
    assert business.get(f"/api/v1/cases/{case_id}/documents").status_code in (403, 404)
