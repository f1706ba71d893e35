"""The 三率 (API-v1.md: GET /api/v1/stats/hotline): 响应率, 解决率, 满意率 per unit and for the bureau, monthly,
the same for a past month whenever it is asked; the page and the Excel file."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.hotline.conftest import ok, receive, route

REPLY = {"channel": "phone", "content": "已调解", "public_reply": "双方达成协议。"}


def conclude(api, case_id: int) -> None:
    ok(api("nanjiao").act(case_id, "accept"))
    ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "agreement": "退货退款"}))
    ok(api("nanjiao").act(case_id, "reply", REPLY))


def visit(api, order_no: str, resolved: bool, satisfaction: str) -> None:
    ok(api("xiaobao").post(f"/api/v1/hotline/orders/{order_no}/visit",
                           {"resolved": resolved, "satisfaction": satisfaction}))


@pytest.fixture
def march(api, clock):
    """A signed on time, visited satisfied; B signed late and returned to the hotline; C first at 东城所 (returned
    to 消保股 unsigned), then signed on time by 南郊所, visited dissatisfied; D signed on time, visited in April."""
    a, b, c, d = (route(api, receive(api, order_no=n)["id"], "st-dongcheng" if n == "C" else "st-nanjiao")["id"]
                  for n in "ABCD")
    ok(api("nanjiao").act(a, "sign"))
    ok(api("nanjiao").act(d, "sign"))
    clock.to("2026-03-02 11:00 +0800")
    ok(api("dongcheng").act(c, "return", {"reason": "不属本所辖区"}))
    ok(api("xiaobao").act(c, "assign", {"unit": "st-nanjiao"}))
    clock.to("2026-03-03 08:30 +0800")
    ok(api("nanjiao").act(c, "sign"))
    clock.to("2026-03-04 10:00 +0800")
    ok(api("nanjiao").act(b, "sign"))
    ok(api("nanjiao").act(b, "hotline_return", {"reason": "属住建部门职责"}))
    clock.to("2026-03-10 10:00 +0800")
    for case_id in (a, c, d):
        conclude(api, case_id)
    clock.to("2026-03-20 10:00 +0800")
    visit(api, "A", True, "satisfied")
    clock.to("2026-03-25 10:00 +0800")
    visit(api, "C", False, "dissatisfied")
    clock.to("2026-04-02 10:00 +0800")
    visit(api, "D", True, "basic")


MARCH_NANJIAO = {"unit": "st-nanjiao", "name": "南郊市场监督管理所", "orders": 4, "signed_on_time": 3,
                 "response_rate": 0.75, "visited": 2, "resolved": 1, "resolved_rate": 0.5, "satisfied": 1, "basic": 0,
                 "satisfaction_rate": 0.5}
MARCH_DONGCHENG = {"unit": "st-dongcheng", "name": "东城市场监督管理所", "orders": 1, "signed_on_time": 0,
                   "response_rate": 0.0, "visited": 0, "resolved": 0, "resolved_rate": None, "satisfied": 0,
                   "basic": 0, "satisfaction_rate": None}


def test_the_three_rates_of_a_month_per_unit_and_for_the_bureau(api, march):
    f = ok(api("xiaobao").get("/api/v1/stats/hotline", month="2026-03"))
    assert f["month"] == "2026-03"
    assert f["units"] == [MARCH_DONGCHENG, MARCH_NANJIAO]
    assert f["bureau"] == {"orders": 4, "signed_on_time": 3, "response_rate": 0.75, "visited": 2, "resolved": 1,
                           "resolved_rate": 0.5, "satisfied": 1, "basic": 0, "satisfaction_rate": 0.5}
    april = ok(api("xiaobao").get("/api/v1/stats/hotline", month="2026-04"))
    assert april["bureau"]["orders"] == 0 and april["bureau"]["response_rate"] is None
    assert april["units"] == [{**MARCH_NANJIAO, "orders": 0, "signed_on_time": 0, "response_rate": None,
                               "visited": 1, "resolved": 1, "resolved_rate": 1.0, "satisfied": 0, "basic": 1,
                               "satisfaction_rate": 1.0}]


def test_a_past_month_stays_as_it_was(api, march, clock):
    before = ok(api("xiaobao").get("/api/v1/stats/hotline", month="2026-03"))
    # The reopened order C is handled again, replied, visited again in May; B's item is archived.
    clock.to("2026-05-06 10:00 +0800")
    c = ok(api("xiaobao").get("/api/v1/hotline/orders/C"))["id"]
    ok(api("nanjiao").act(c, "mediate", {"result": "agreed", "agreement": "重新调解达成协议"}))
    ok(api("nanjiao").act(c, "reply", REPLY))
    visit(api, "C", True, "satisfied")
    ok(api("archivist").act(ok(api("xiaobao").get("/api/v1/hotline/orders/B"))["id"], "archive"))
    assert ok(api("xiaobao").get("/api/v1/stats/hotline", month="2026-03")) == before
    may = ok(api("xiaobao").get("/api/v1/stats/hotline", month="2026-05"))
    assert may["bureau"]["visited"] == 1 and may["bureau"]["satisfaction_rate"] == 1.0


def test_a_unit_sees_its_own_rates_only(api, march):
    own = ok(api("nanjiao").get("/api/v1/stats/hotline", month="2026-03", unit="st-nanjiao"))
    assert own["units"] == [MARCH_NANJIAO] and own["bureau"] is None
    assert api("nanjiao").get("/api/v1/stats/hotline", month="2026-03", unit="st-dongcheng").status_code == 403
    assert api("nanjiao").get("/api/v1/stats/hotline", month="2026-03").status_code == 403
    assert api("xiaobao").get("/api/v1/stats/hotline", month="2026-13").status_code == 422
    assert api("xiaobao").get("/api/v1/stats/hotline", month="2026-03", unit="nope").status_code == 422


def test_the_page_and_the_excel_file(api, march):
    client = Client()
    assert client.post("/login/", {"username": "xiaobao", "password": PASSWORD}).status_code == 302
    page = client.get("/stats/hotline/", {"month": "2026-03"}).content.decode()
    assert "12345工单三率" in page and 'data-unit="st-nanjiao"' in page and "75.0%" in page
    april = client.get("/stats/hotline/", {"month": "2026-04"}).content.decode()
    trend = april.split('id="hotline-trend"')[1]
    # The trend ends with April; March's bureau figures are there: 4 orders, 75.0 %, 2 visits, 50.0 %, 50.0 %.
    assert 'data-month="2025-11"' in trend and 'data-month="2026-04"' in trend
    march_row = trend.split('data-month="2026-03"')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in march_row.split("<td>")[2:]] == ["4", "75.0%", "2", "50.0%", "50.0%"]
    r = client.get("/stats/hotline.xlsx", {"month": "2026-03"})
    rows = list(load_workbook(BytesIO(r.content))["三率"].iter_rows(values_only=True))
    assert rows[1][:5] == ("单位", "单位名称", "工单数", "按时签收", "响应率")
    assert ("st-nanjiao", "南郊市场监督管理所", 4, 3, 0.75, 2, 1, 0.5, 1, 0, 0.5) in rows
    assert rows[-1][1:5] == ("全局", 4, 3, 0.75)
    dashboard = client.get("/stats/dashboard/", {"month": "2026-04"}).content.decode()
    assert "近12个月12345工单三率" in dashboard and "<td>2026-03</td><td>75.0</td><td>50.0</td><td>50.0</td>" in dashboard
    csv = client.get("/stats/dashboard/hotline.csv", {"month": "2026-04"}).content.decode()
    assert "2026-04,,100.0,100.0,0,1" in csv
    api_file = api("xiaobao").get("/api/v1/stats/hotline", month="2026-03", format="xlsx")
    assert api_file.status_code == 200 and api_file.content[:2] == b"PK"
