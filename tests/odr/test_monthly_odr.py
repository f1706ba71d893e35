"""The `odr` block of the monthly statistics (API-v1.md "ODR businesses"): in the API, the Excel export, the
statistics page and the dashboard; the existing figures unchanged beside it."""

from __future__ import annotations

import csv
import io
from io import BytesIO

from openpyxl import load_workbook

from tests.odr.conftest import browser

MARCH = {"forwarded": 6, "settled": 3, "settlement_rate": 0.5, "amount_recovered": "900.50"}


def monthly(api, user: str = "xiaobao", **params) -> dict:
    r = api(user).get("/api/v1/stats/monthly", **params)
    assert r.status_code == 200, r.content.decode()
    return r.json()


def test_the_bureaus_month_carries_the_odr_block(api, odr_march):
    figures = monthly(api, month="2026-03")
    assert figures["odr"] == MARCH
    # The rest of the month is the bureau's own as before: the complaints written for the forwardings were
    # received 03-02 and are counted so; what businesses recovered is not mixed into the bureau's money.
    assert figures["received"]["total"] == 9
    assert figures["amount_recovered"] == "0.00" and figures["concluded"]["total"] == 0
    assert "follow_up_results" in figures and "supervision" in figures


def test_a_month_without_conclusions_has_a_null_rate(api, odr_march):
    assert monthly(api, month="2026-02")["odr"] == {"forwarded": 1, "settled": 0, "settlement_rate": None,
                                                    "amount_recovered": "0.00"}
    assert monthly(api, month="2025-03")["odr"] == {"forwarded": 0, "settled": 0, "settlement_rate": None,
                                                    "amount_recovered": "0.00"}


def test_the_office_has_the_bureaus_figures_and_a_station_none(api, odr_march):
    assert monthly(api, month="2026-03", unit="xiaobao")["odr"] == MARCH
    assert monthly(api, "nanjiao", month="2026-03", unit="st-nanjiao")["odr"] == {"forwarded": 0, "settled": 0,
                                                               "settlement_rate": None, "amount_recovered": "0.00"}


def test_the_excel_export_has_an_odr_sheet(api, odr_march):
    r = api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", format="xlsx")
    assert r.status_code == 200
    sheet = load_workbook(BytesIO(r.content))["先行和解"]
    assert sheet["A1"].value == "ODR企业先行和解情况"
    assert [c.value for c in sheet[3]] == ["转企业（件）", "和解成功（件）", "先行和解率", "挽回经济损失（元）"]
    assert [c.value for c in sheet[4]] == [6, 3, 0.5, 900.5]
    assert sheet["C4"].number_format == "0.00%"
    february = load_workbook(BytesIO(browser("xiaobao").get("/stats/monthly.xlsx", {"month": "2026-02"}).content))
    assert [c.value for c in february["先行和解"][4]] == [1, 0, "—", 0]


def test_the_statistics_page_shows_the_block(odr_march):
    page = browser("xiaobao").get("/stats/monthly/", {"month": "2026-03"}).content.decode()
    assert "ODR企业先行和解" in page
    assert "转企业</dt><dd>6 件" in page and "和解成功</dt><dd>3 件" in page
    assert "先行和解率</dt><dd>50.0%" in page and "900.50 元" in page
    assert 'href="/odr/scorecard/?month=2026-03"' in page


def test_the_dashboard_charts_the_businesses(odr_march):
    r = browser("xiaobao").get("/stats/dashboard/", {"month": "2026-03"})
    chart = {c.key: c for c, _, _ in r.context["charts"]}["odr"]
    assert chart.title == "2026年3月ODR企业先行和解"
    assert chart.rows == [["曾都区鑫达电器商行", 4, 2, 4, 1, 50.0, "800.50", "一般"],
                          ["随州市好邻居超市有限公司", 2, 1, 2, 1, 50.0, "100.00", "较差"]]
    assert "2026年3月ODR企业先行和解" in r.content.decode()
    csv_rows = list(csv.reader(io.StringIO(
        browser("xiaobao").get("/stats/dashboard/odr.csv", {"month": "2026-03"}).content.decode("utf-8-sig"))))
    assert csv_rows[1] == ["曾都区鑫达电器商行", "4", "2", "4", "1", "50.0", "800.50", "一般"]
    # A station's own dashboard: no forwardings of its own, no business named.
    station = browser("nanjiao").get("/stats/dashboard/", {"month": "2026-03"})
    assert {c.key: c for c, _, _ in station.context["charts"]}["odr"].rows == []
