"""GET /api/v1/stats/monthly: who may ask for what, bad months, and the Excel workbook."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from xiaobao.records.models import AuditEntry
from xiaobao.stats.excel import XLSX


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "abc", "2026-3", "26-03", "2026-03-01", ""])
def test_a_malformed_or_impossible_month_is_422(api, month):
    r = api("xiaobao").get("/api/v1/stats/monthly", month=month)
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "month"
    assert re.search(r"[\u4e00-\u9fff]", error["message"])


def test_an_unknown_unit_is_422(api):
    r = api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", unit="st-nowhere")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "unit"


@pytest.mark.parametrize("user", ["xiaobao", "fenguan", "juzhang", "auditor"])
def test_dispatchers_leaders_and_the_auditor_see_the_bureau_and_any_unit(api, user):
    assert api(user).get("/api/v1/stats/monthly", month="2026-03").status_code == 200
    assert api(user).get("/api/v1/stats/monthly", month="2026-03", unit="st-hedian").status_code == 200


def test_a_handler_sees_only_their_own_unit(api):
    nanjiao = api("nanjiao")
    assert nanjiao.get("/api/v1/stats/monthly", month="2026-03", unit="st-nanjiao").status_code == 200
    for params in ({}, {"unit": "st-dongcheng"}):
        r = nanjiao.get("/api/v1/stats/monthly", month="2026-03", **params)
        assert r.status_code == 403
        assert re.search(r"[\u4e00-\u9fff]", r.json()["error"])


@pytest.mark.parametrize("user", ["archivist", "admin"])
def test_other_roles_see_no_statistics(api, user):
    assert api(user).get("/api/v1/stats/monthly", month="2026-03").status_code == 403


def test_without_a_token_it_is_401(bureau, client):
    assert client.get("/api/v1/stats/monthly", {"month": "2026-03"}).status_code == 401


def test_the_openapi_document_declares_every_answer(api):
    doc = api("xiaobao").get("/api/v1/openapi.json").json()
    responses = doc["paths"]["/api/v1/stats/monthly"]["get"]["responses"]
    assert set(responses) == {"200", "401", "403", "422"}
    assert set(responses["200"]["content"]) == {"application/json", XLSX}


def rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content))["统计表"]
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_the_workbook_is_the_official_table_with_totals(api, march):
    r = api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", format="xlsx")
    assert r.status_code == 200
    assert r["Content-Type"] == XLSX
    table = rows(r.content)
    assert table[0][0] == "曾都区市场监督管理局投诉举报咨询统计表"
    assert "2026年3月1日至2026年3月31日" in table[1][5]
    assert table[2][:2] == ("单位", "受理登记（件）")
    assert table[3][1:5] == ("投诉", "举报", "咨询", "小计")
    by_unit = {row[0]: row for row in table[4:] if row[0]}
    # 投诉 举报 咨询 小计 | 不予受理 调解成功 终止调解 撤回 告知他部门 立案 不予立案 已答复 重复举报不予处理 退回12345 先行和解
    # 小计 | 挽回 | 退回
    assert by_unit["南郊所"][1:] == (3, 0, 0, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 800, 0)
    assert by_unit["东城所"][1:] == (0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    assert by_unit["合计"][1:] == (3, 1, 1, 5, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 800, 1)
    assert table[3][15] == "先行和解"
    merged = {str(m) for m in load_workbook(BytesIO(r.content))["统计表"].merged_cells.ranges}
    assert {"A1:S1", "A3:A4", "B3:E3", "F3:Q3"} <= merged


def test_the_accept_header_asks_for_the_workbook_too(api, march):
    nanjiao = api("nanjiao")
    r = nanjiao.client.get("/api/v1/stats/monthly", {"month": "2026-03", "unit": "st-nanjiao"},
                           HTTP_ACCEPT=XLSX, **nanjiao.headers)
    assert r["Content-Type"] == XLSX
    table = rows(r.content)
    assert table[1][0] == "填报单位：南郊市场监督管理所"
    assert [row[0] for row in table[4:6]] == ["南郊所", "合计"]
    assert table[5][1:5] == (3, 0, 0, 3)


def test_every_export_is_audited(api, march):
    api("xiaobao").get("/api/v1/stats/monthly", month="2026-03")
    assert not AuditEntry.objects.filter(action="export_stats").exists()
    api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", format="xlsx")
    entry = AuditEntry.objects.get(action="export_stats")
    assert (entry.actor_name, entry.object) == ("xiaobao", "stats:2026-03")
    assert entry.detail["format"] == "xlsx"
