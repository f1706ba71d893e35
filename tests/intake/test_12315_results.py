"""Results back to 12315 (rules 一.3(1); API-v1.md: GET /api/v1/intake/12315/results?month=): the items imported
from the platform and concluded in the month, in the columns the platform takes back (docs/12315-import.md)."""

from __future__ import annotations

from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook

from tests.conftest import complaint_body


def ok(response, status: int = 200):
    assert response.status_code == status, response.content.decode()
    return response


@pytest.fixture
def frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        yield traveller


def routed(api, **overrides) -> int:
    case_id = ok(api("xiaobao").post("/api/v1/cases", complaint_body(**overrides)), 201).json()["id"]
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    ok(api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao"}))
    return case_id


def test_the_months_results_of_12315_items_in_the_platforms_columns(api, frozen):
    mediated = routed(api, channel="platform_12315", external_id="=12315-0001")
    refused = routed(api, channel="platform_12315", external_id="12315-0002")
    by_phone = routed(api, channel="phone")
    ok(api("nanjiao").act(mediated, "accept"))
    ok(api("nanjiao").act(mediated, "mediate", {"result": "agreed", "agreement": "商家退货退款3299元",
                                                 "amount_recovered": "3299.00"}))
    ok(api("nanjiao").act(mediated, "reply", {"channel": "phone", "content": "已调解，商家退款。"}))
    ok(api("nanjiao").act(refused, "not_accept", {"ground": "not_duty", "reason": "不属市场监管职责"}))
    ok(api("nanjiao").act(by_phone, "not_accept", {"ground": "not_duty"}))
    r = ok(api("xiaobao").get("/api/v1/intake/12315/results", month="2026-03"))
    sheet = load_workbook(BytesIO(r.content))["办理结果"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("登记编号", "本局编号", "类型", "承办单位", "办结时间", "处理结果")
    assert [row[0] for row in rows[1:]] == ["=12315-0001", "12315-0002"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["处理结果"] == "调解成功" and first["处理情况"] == "商家退货退款3299元"
    assert first["挽回经济损失（元）"] == 3299 and first["答复方式"] == "电话" and first["答复内容"] == "已调解，商家退款。"
    assert first["承办单位"] == "南郊市场监督管理所" and first["办结时间"] == "2026-03-02 10:00"
    assert dict(zip(rows[0], rows[2], strict=True))["处理结果"] == "不予受理"
    # The platform number that looks like a formula stays text.
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    april = load_workbook(BytesIO(ok(api("xiaobao").get("/api/v1/intake/12315/results", month="2026-04")).content))
    assert len(list(april["办理结果"].iter_rows(values_only=True))) == 1


def test_only_dispatchers_export_the_results(api, frozen):
    assert api("nanjiao").get("/api/v1/intake/12315/results", month="2026-03").status_code == 403
    assert api("xiaobao").get("/api/v1/intake/12315/results", month="2026-3x").status_code == 422


def test_the_import_page_exports_the_results(api, frozen):
    from django.test import Client

    from tests.conftest import PASSWORD

    case_id = routed(api, channel="platform_12315", external_id="12315-0009")
    ok(api("nanjiao").act(case_id, "not_accept", {"ground": "not_duty", "reason": "不属市场监管职责"}))
    client = Client()
    assert client.post("/login/", {"username": "xiaobao", "password": PASSWORD}).status_code == 302
    assert "导出12315办理结果" in client.get("/intake/import/").content.decode()
    r = client.get("/intake/12315/results.xlsx", {"month": "2026-03"})
    rows = list(load_workbook(BytesIO(r.content))["办理结果"].iter_rows(values_only=True))
    assert rows[1][0] == "12315-0009" and rows[1][5] == "不予受理"
    handler = Client()
    assert handler.post("/login/", {"username": "nanjiao", "password": PASSWORD}).status_code == 302
    assert handler.get("/intake/12315/results.xlsx", {"month": "2026-03"}).status_code == 403
