"""The statistics page: figures as tables, a month picker, the Excel download and the 12-month chart."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from openpyxl import load_workbook

from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Staff


def browser(username: str) -> Client:
    client = Client()
    client.force_login(Staff.objects.get(username=username))
    return client


def test_the_dispatcher_sees_the_bureaus_month(march):
    r = browser("xiaobao").get("/stats/monthly/", {"month": "2026-03"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "2026年3月 · 全局" in page
    assert "受理登记 5 件" in page and "办结 3 件" in page
    assert "800.00 元" in page
    assert 'href="/stats/monthly.xlsx?month=2026-03"' in page
    # The chart is drawn by our own copy of ECharts, never a CDN, and has a table view.
    assert "/static/xiaobao/echarts.min.js" in page and "cdn" not in page.lower()
    assert 'id="received-series"' in page and "表格视图" in page
    assert r.context["chart_rows"][-1] == ("2026-03", [3, 1, 1])
    assert r.context["chart_rows"][0][0] == "2025-04"


def test_a_handler_lands_on_their_own_unit_and_no_other(march):
    nanjiao = browser("nanjiao")
    r = nanjiao.get("/stats/monthly/", {"month": "2026-03"})
    assert r.status_code == 200
    assert "南郊市场监督管理所" in r.content.decode()
    assert r.context["figures"]["received"]["total"] == 3
    assert nanjiao.get("/stats/monthly/", {"month": "2026-03", "unit": "st-dongcheng"}).status_code == 403
    assert nanjiao.get("/stats/monthly/", {"month": "2026-03", "unit": ""}).status_code == 403


def test_a_bad_month_is_explained_on_the_page(bureau):
    r = browser("xiaobao").get("/stats/monthly/", {"month": "2026-13"})
    assert r.status_code == 422
    assert "统计月份“2026-13”无效" in r.content.decode()


def test_the_page_needs_a_login_and_a_statistics_role(bureau):
    assert Client().get("/stats/monthly/").status_code == 302
    assert browser("admin").get("/stats/monthly/").status_code == 403


def test_the_download_is_the_excel_table_and_is_audited(march):
    r = browser("dongcheng").get("/stats/monthly.xlsx", {"month": "2026-03"})
    assert r.status_code == 200
    sheet = load_workbook(BytesIO(r.content))["统计表"]
    table = list(sheet.iter_rows(values_only=True))
    assert table[5][0] == "合计" and table[5][1:5] == (0, 1, 0, 1)
    entry = AuditEntry.objects.get(action="export_stats")
    assert (entry.actor_name, entry.object, entry.detail["unit"]) == ("dongcheng", "stats:2026-03", "st-dongcheng")
