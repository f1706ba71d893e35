"""The dashboard on March 2026 (tests/stats/conftest.py): each chart's table, its CSV and who may see it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.stats.test_pages import browser
from xiaobao.records.models import AuditEntry


@pytest.fixture
def charts(march):
    r = browser("xiaobao").get("/stats/dashboard/", {"month": "2026-03"})
    assert r.status_code == 200
    return {chart.key: chart for chart, _, _ in r.context["charts"]}


def test_the_trend_counts_twelve_months_by_kind(charts):
    trend = charts["trend"]
    assert trend.columns == ["投诉", "举报", "咨询"]
    assert [row[0] for row in trend.rows] == [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02",
                                                                                      "2026-03"]
    assert trend.rows[-1] == ["2026-03", 3, 1, 1]
    assert all(row[1:] == [0, 0, 0] for row in trend.rows[:-1])


def test_categories_units_and_stations(charts):
    assert sorted(n for _, n in charts["category"].rows) == [1, 1, 1, 1, 1]
    assert "未分类" in [name for name, _ in charts["category"].rows]
    assert charts["unit"].rows == [["消保股", 0, 0, 1], ["东城所", 0, 1, 0], ["南郊所", 3, 0, 0]]
    stations = charts["stations"].rows
    assert len(stations) == 9
    assert ["南郊所", 3, 0, 0] in stations and ["东城所", 0, 1, 0] in stations
    assert sum(sum(row[1:]) for row in stations) == 4


def test_on_time_rates_and_what_is_overdue_now(charts):
    on_time = {row[0]: row[1:] for row in charts["on_time"].rows}
    assert on_time["签收"] == [5, 4, 1, 0, 80.0]  # C's superseded run at 东城所 counts (test_monthly_figures)
    assert on_time["首次联系"] == [0, 0, 0, 0, None]
    # On 04-01: R's sign-off and verification at 东城所; B's reply and 不予受理告知 (rules 二.2, whether or not a
    # reply was asked) and C's handling at 南郊所.
    assert charts["overdue"].rows == [["南郊所", 3, 2], ["东城所", 2, 1]]


def test_the_page_draws_every_chart_from_json_with_a_table_and_a_csv_link(march):
    page = browser("juzhang").get("/stats/dashboard/", {"month": "2026-03"}).content.decode()
    # hotline: the 12345 三率 (xiaobao.hotline registers it); odr: 先行和解 per business (xiaobao.odr)
    for key in ("trend", "category", "unit", "on_time", "overdue", "stations", "follow_up", "hotline", "odr"):
        assert f'id="data-{key}"' in page and f'data-source="data-{key}"' in page
        assert f'href="/stats/dashboard/{key}.csv?month=2026-03"' in page
    assert page.count("表格视图") == 9
    assert "/static/xiaobao/dashboard.js" in page and "<script>" not in page


def test_a_chart_exports_as_csv(march):
    r = browser("xiaobao").get("/stats/dashboard/stations.csv", {"month": "2026-03"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["辖区所", "投诉", "举报", "咨询"]
    assert ["南郊所", "3", "0", "0"] in rows and len(rows) == 10
    assert browser("xiaobao").get("/stats/dashboard/nothing.csv").status_code == 404


def test_the_dashboard_is_for_statistics_roles(march):
    assert browser("admin").get("/stats/dashboard/").status_code == 403
    assert browser("admin").get("/stats/dashboard/trend.csv").status_code == 403
    assert browser("auditor").get("/stats/dashboard/").status_code == 200
    assert browser("xiaobao").get("/stats/dashboard/", {"unit": "nowhere"}).status_code == 404


def unit_charts(username: str, **params) -> dict:
    r = browser(username).get("/stats/dashboard/", {"month": "2026-03", **params})
    assert r.status_code == 200
    return {chart.key: chart for chart, _, _ in r.context["charts"]}


def test_a_station_sees_its_own_charts_and_no_others(march):
    charts = unit_charts("nanjiao")  # no unit asked for: their own
    # A, B and C (C came back from 东城所 on 03-03) ended March at 南郊所.
    assert charts["trend"].rows[-1] == ["2026-03", 3, 0, 0] and charts["trend"].title.startswith("南郊所")
    assert sorted(charts["category"].rows) == sorted([["家用电器", 1], ["服装鞋帽", 1], ["修理服务", 1]])
    assert charts["unit"].rows == [["南郊所", 3, 0, 0]]
    assert charts["stations"].rows == [["南郊所", 3, 0, 0]]
    on_time = {row[0]: row[1:] for row in charts["on_time"].rows}
    assert on_time["签收"] == [3, 3, 0, 0, 100.0]
    assert on_time["调解办结"] == [2, 1, 1, 0, 50.0]
    assert charts["overdue"].rows == [["南郊所", 3, 2]]

    page = browser("nanjiao").get("/stats/dashboard/", {"month": "2026-03"}).content.decode()
    assert "统计仪表盘：南郊所 2026年3月" in page and '<select name="unit">' not in page
    assert 'href="/stats/dashboard/trend.csv?month=2026-03&amp;unit=st-nanjiao"' in page
    # The chart's data as the page hands it to ECharts.
    data = json.loads(page.split('id="data-unit" type="application/json">')[1].split("</script>")[0])
    assert data["rows"] == [["南郊所", 3, 0, 0]] and data["columns"] == ["投诉", "举报", "咨询"]

    for path in ("/stats/dashboard/", "/stats/dashboard/trend.csv"):
        r = browser("nanjiao").get(path, {"month": "2026-03", "unit": "st-dongcheng"})
        assert r.status_code == 403 and "只能查看本单位" in r.content.decode()
        assert browser("nanjiao").get(path, {"month": "2026-03", "unit": ""}).status_code == 403


def test_a_unit_exports_its_own_chart_and_the_export_is_audited(march):
    r = browser("dongcheng").get("/stats/dashboard/on_time.csv", {"month": "2026-03"})
    assert r.status_code == 200
    assert r["Content-Disposition"] == 'attachment; filename="dashboard-on_time-2026-03-st-dongcheng.csv"'
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(r.content.decode("utf-8")[1:]))}
    # R never verified at 东城所; C's sign-off run there ended in time with the return (test_monthly_figures).
    assert rows["核查立案"] == ["1", "0", "1", "0", "0.0"]
    assert rows["签收"] == ["2", "1", "1", "0", "50.0"]
    entry = AuditEntry.objects.get(action="export_stats")
    assert entry.actor_name == "dongcheng"
    assert entry.detail == {"unit": "st-dongcheng", "format": "csv", "chart": "on_time", "via": "web"}


def test_the_bureau_chooses_a_unit(march):
    charts = unit_charts("juzhang", unit="st-dongcheng")
    assert charts["trend"].rows[-1] == ["2026-03", 0, 1, 0]
    assert charts["overdue"].rows == [["东城所", 2, 1]]
    page = browser("xiaobao").get("/stats/dashboard/", {"month": "2026-03", "unit": "st-dongcheng"}).content.decode()
    assert '<option value="st-dongcheng" selected>' in page
    assert unit_charts("xiaobao", unit="")["unit"].rows == [["消保股", 0, 0, 1], ["东城所", 0, 1, 0],
                                                             ["南郊所", 3, 0, 0]]
