"""The outbox (API-v1.md "12345 hotline work orders"): what the hotline must be told, in order, each once, with a
cursor; and its Excel export for bureaus without a connector."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.hotline.conftest import ok, outbox, receive, route


def finished_order(api, order_no: str, public_reply: str = "经调解，双方达成退货退款协议。") -> int:
    case = route(api, receive(api, order_no=order_no)["id"])
    ok(api("nanjiao").act(case["id"], "sign"))
    ok(api("nanjiao").act(case["id"], "accept"))
    ok(api("nanjiao").act(case["id"], "mediate", {"result": "agreed", "agreement": "退货退款"}))
    ok(api("nanjiao").act(case["id"], "reply", {"channel": "phone", "content": "已与张伟电话沟通，商家退款3299元。",
                                                 "public_reply": public_reply}))
    return case["id"]


def test_the_connector_reads_each_event_once_in_order(api, clock):
    finished_order(api, "A-1")
    returned = route(api, receive(api, order_no="A-2")["id"])
    ok(api("nanjiao").act(returned["id"], "hotline_return", {"reason": "不属市场监管职责"}))
    first = outbox(api)
    assert [(e["order_no"], e["type"]) for e in first["results"]] == [
        ("A-1", "signed"), ("A-1", "finished"), ("A-2", "returned")]
    cursors = [e["cursor"] for e in first["results"]]
    assert cursors == sorted(cursors) and first["next"] == cursors[-1]
    # Nothing new: the same cursor comes back, nothing is sent twice.
    assert outbox(api, first["next"]) == {"results": [], "next": first["next"]}
    finished_order(api, "A-3")
    later = outbox(api, first["next"])
    assert [(e["order_no"], e["type"]) for e in later["results"]] == [("A-3", "signed"), ("A-3", "finished")]
    assert later["results"][0]["at"].endswith("+08:00")


def test_a_page_is_limited_and_the_next_page_starts_after_it(api, clock):
    finished_order(api, "B-1")
    page = ok(api("xiaobao").get("/api/v1/hotline/outbox", after=0, limit=1))
    assert len(page["results"]) == 1 and page["results"][0]["type"] == "signed"
    rest = outbox(api, page["next"])
    assert [e["type"] for e in rest["results"]] == ["finished"]


def test_nothing_about_the_people_leaves_beyond_the_order(api, clock):
    finished_order(api, "C-1")
    text = str(outbox(api))
    # The handler's name and the requester's identity stay in the bureau.
    for secret in ("nanjiao", "13800000001", "清河路8号", "南郊所承办人"):
        assert secret not in text


@pytest.mark.parametrize("user", ["nanjiao", "dongcheng", "auditor", "fenguan"])
def test_only_dispatchers_read_the_outbox(api, clock, user):
    finished_order(api, "D-1")
    r = api(user).get("/api/v1/hotline/outbox")
    assert r.status_code == 403 and r.json()["error"]
    assert api(user).get("/api/v1/hotline/outbox", format="xlsx").status_code == 403


def test_a_bad_cursor_is_refused(api, clock):
    assert api("xiaobao").get("/api/v1/hotline/outbox", after=-1).status_code == 422
    assert api("xiaobao").get("/api/v1/hotline/outbox", after="abc").status_code == 422
    assert api("xiaobao").get("/api/v1/hotline/outbox", after=2**64).status_code == 422


def test_the_excel_export_stores_formulas_as_text_and_continues_where_it_ended(api, clock):
    finished_order(api, "=HYPERLINK(\"http://evil\")", public_reply="=1+1 已办结")
    r = api("xiaobao").get("/api/v1/hotline/outbox", format="xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(r.content))["回传事项"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("游标", "工单编号", "类型", "事项")
    assert [row[3] for row in rows[1:]] == ["签收", "办结"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row}
    assert cells["=1+1 已办结"].data_type == "s" and cells["=1+1 已办结"].quotePrefix
    assert cells['=HYPERLINK("http://evil")'].data_type == "s"
    # The next export starts after the last one: nothing is exported twice.
    again = load_workbook(BytesIO(api("xiaobao").get("/api/v1/hotline/outbox", format="xlsx").content))
    assert len(list(again["回传事项"].iter_rows(values_only=True))) == 1


def test_a_page_of_a_thousand_entries_costs_a_fixed_handful_of_queries(api, clock, django_assert_max_num_queries):
    # Issue 21, point 7: the outbox is read by its primary key from the cursor, never per entry or per item.
    from types import SimpleNamespace

    from django.utils import timezone

    from xiaobao.hotline import services
    from xiaobao.hotline.models import Order

    receive(api)
    order = Order.objects.get()
    for i in range(1000):
        services._append(order, "signed", SimpleNamespace(at=timezone.now()), {"unit": "南郊市场监督管理所", "i": i})
    client = api("xiaobao")
    with django_assert_max_num_queries(8):
        page = ok(client.get("/api/v1/hotline/outbox", after=0))
    assert len(page["results"]) == 1000 and page["results"][-1]["data"]["i"] == 999
