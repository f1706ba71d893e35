"""The month's figures as an Excel workbook laid out like the bureau's paper statistics table."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xiaobao.cases.models import Kind, Outcome
from xiaobao.clocks.models import ClockName
from xiaobao.lib.spreadsheets import xlsx_bytes

from .models import TypicalCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "曾都区市场监督管理局投诉举报咨询统计表"

KIND_LABELS = dict(Kind.choices)
OUTCOME_LABELS = dict(Outcome.choices)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RATES = (("响应率（首次联系按时）", "response_rate"), ("解决率（投诉调解成功）", "resolution_rate"),
         ("满意率（回访满意、基本满意）", "satisfaction_rate"))


def _period(figures: dict[str, Any]) -> str:
    start, end = figures["period"]["start"], figures["period"]["end"]
    return f"统计期间：{start[:4]}年{int(start[5:7])}月{int(start[8:])}日至{end[:4]}年{int(end[5:7])}月{int(end[8:])}日"


def workbook(figures: dict[str, Any], typical_cases: Iterable[TypicalCase] | None = None) -> bytes:
    """The statistics table; the bureau's report also lists the units' typical cases."""
    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    kinds, outcomes = Kind.values, Outcome.values
    # 单位 | received by kind + 小计 | concluded by outcome + 小计 | 挽回经济损失 | 退回
    first_kind, first_outcome = 2, 2 + len(kinds) + 1
    money_col = first_outcome + len(outcomes) + 1
    returns_col = money_col + 1
    last_col = returns_col

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    ws.cell(1, 1, TITLE).font = Font(size=16, bold=True)
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    split = first_outcome
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=split - 1)
    ws.merge_cells(start_row=2, start_column=split, end_row=2, end_column=last_col)
    ws.cell(2, 1, f"填报单位：{figures['unit_name'] or '曾都区市场监督管理局（全局）'}")
    ws.cell(2, split, _period(figures)).alignment = Alignment(horizontal="right")

    headers = [(1, 1, "单位"), (first_kind, first_outcome - 1, "受理登记（件）"),
               (first_outcome, money_col - 1, "办结（件）"), (money_col, money_col, "挽回经济损失（元）"),
               (returns_col, returns_col, "退回（次）")]
    for start, end, text in headers:
        if start == end:
            ws.merge_cells(start_row=3, start_column=start, end_row=4, end_column=end)
        else:
            ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=end)
        ws.cell(3, start, text)
    sub = [KIND_LABELS[k] for k in kinds] + ["小计"] + [OUTCOME_LABELS[o] for o in outcomes] + ["小计"]
    for offset, text in enumerate(sub):
        ws.cell(4, first_kind + offset, text)

    row = 5
    totals: list[Any] = [0] * (len(sub)) + [Decimal("0.00"), 0]
    for u in figures["units"]:
        values: list[Any] = ([u["received"][k] for k in kinds] + [u["received"]["total"]]
                             + [u["concluded"][o] for o in outcomes] + [u["concluded"]["total"]]
                             + [Decimal(u["amount_recovered"]), u["returns"]])
        ws.cell(row, 1, u["name"])
        for offset, value in enumerate(values):
            ws.cell(row, 2 + offset, value)
            totals[offset] += value
        row += 1
    ws.cell(row, 1, "合计").font = Font(bold=True)
    for offset, value in enumerate(totals):
        ws.cell(row, 2 + offset, value).font = Font(bold=True)

    for r in ws.iter_rows(min_row=3, max_row=row, max_col=last_col):
        for cell in r:
            cell.border = BOX
            if cell.row <= 4:
                cell.alignment = CENTER
                cell.font = Font(bold=True)
    for r in range(5, row + 1):
        ws.cell(r, money_col).number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 16
    for col in range(2, last_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = 9
    ws.column_dimensions[get_column_letter(money_col)].width = 14
    ws.freeze_panes = "B5"

    rate = figures["mediation_success_rate"]
    row += 2
    ws.cell(row, 1, "调解成功率")
    ws.cell(row, 2, rate if rate is not None else "—")
    if rate is not None:
        ws.cell(row, 2).number_format = "0.00%"
    ws.cell(row + 1, 1, "月末在办（件）")
    ws.cell(row + 1, 2, figures["open_at_month_end"]["total"])
    for offset, (label, key) in enumerate(RATES, start=2):
        value = figures.get(key)
        ws.cell(row + offset, 1, label)
        ws.cell(row + offset, 2, value if value is not None else "—")
        if value is not None:
            ws.cell(row + offset, 2).number_format = "0.00%"

    _clock_sheet(wb, figures)
    _supervision_sheet(wb, figures)
    _follow_up_sheet(wb, figures)
    _reward_sheet(wb, figures)
    if "odr" in figures:
        _odr_sheet(wb, figures)
    if typical_cases is not None:
        _typical_sheet(wb, figures, typical_cases)
    return xlsx_bytes(wb)


def _clock_sheet(wb: Workbook, figures: dict[str, Any]) -> None:
    ws = wb.create_sheet("期限按时率")
    ws.merge_cells("A1:F1")
    ws["A1"] = "法定期限按时办结情况"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = CENTER
    ws["A2"] = _period(figures)
    for col, text in enumerate(["期限", "应办（件）", "按时", "逾期", "未到期", "按时率"], start=1):
        cell = ws.cell(3, col, text)
        cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BOX
    labels = dict(ClockName.choices)
    row = 4
    for name, c in figures["on_time"].items():
        values = [labels.get(name, name), c["due"], c["on_time"], c["late"], c["pending"],
                  c["rate"] if c["rate"] is not None else "—"]
        for col, value in enumerate(values, start=1):
            ws.cell(row, col, value).border = BOX
        if c["rate"] is not None:
            ws.cell(row, 6).number_format = "0.00%"
        row += 1
    ws.column_dimensions["A"].width = 18


def _header(ws, row: int, titles: list[str]) -> None:
    for col, text in enumerate(titles, start=1):
        cell = ws.cell(row, col, text)
        cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BOX


def _supervision_sheet(wb: Workbook, figures: dict[str, Any]) -> None:
    ws = wb.create_sheet("督办")
    ws["A1"] = "督办情况"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = _period(figures)
    _header(ws, 3, ["单位", "督办（件次）", "答复", "按期答复"])
    names = {u["unit"]: u["name"] for u in figures["units"]}
    row = 4
    for code, c in figures["supervision"]["by_unit"].items():
        for col, value in enumerate([names.get(code, code), c["issued"], c["answered"], c["answered_on_time"]], 1):
            ws.cell(row, col, value).border = BOX
        row += 1
    total = figures["supervision"]
    for col, value in enumerate(["合计", total["issued"], total["answered"], total["answered_on_time"]], 1):
        ws.cell(row, col, value).border = BOX
        ws.cell(row, col).font = Font(bold=True)
    ws.column_dimensions["A"].width = 18


def _follow_up_sheet(wb: Workbook, figures: dict[str, Any]) -> None:
    """回访问效 per unit (issue 20.4): the unit's own follow-ups and 消保股's checks."""
    ws = wb.create_sheet("回访问效")
    ws["A1"] = "回访问效情况"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = _period(figures)
    _header(ws, 3, ["单位", "办结投诉（件）", "本单位回访（件次）", "回访比例", "解决率", "满意率",
                    "消保股抽查（件次）", "抽查解决率", "抽查满意率"])
    names = {u["unit"]: u["name"] for u in figures["units"]}
    row = 4
    for code, r in figures["follow_up_results"]["by_unit"].items():
        values = [names.get(code, code), r["complaints_concluded"], r["followed_up"]["total"], r["follow_up_share"],
                  r["followed_up"]["resolved_rate"], r["followed_up"]["satisfaction_rate"], r["checked"]["total"],
                  r["checked"]["resolved_rate"], r["checked"]["satisfaction_rate"]]
        for col, value in enumerate(values, 1):
            cell = ws.cell(row, col, "—" if value is None else value)
            cell.border = BOX
            if col in (4, 5, 6, 8, 9) and value is not None:
                cell.number_format = "0.00%"
        row += 1
    ws.column_dimensions["A"].width = 18


def _reward_sheet(wb: Workbook, figures: dict[str, Any]) -> None:
    """举报奖励: counts and sums only (issue 23, point 5), never a reporter, payee or account."""
    ws = wb.create_sheet("举报奖励")
    ws["A1"] = "举报奖励情况"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = _period(figures)
    _header(ws, 3, ["项目", "数量"])
    r = figures["rewards"]
    rows = [("认定举报奖励（件）", r["assessed"]), ("发放（件）", r["paid"]), ("发放金额（元）", Decimal(r["amount_paid"])),
            ("逾期未领取（件）", r["lapsed"])]
    for row, (label, value) in enumerate(rows, 4):
        ws.cell(row, 1, label).border = BOX
        ws.cell(row, 2, value).border = BOX
    ws.cell(6, 2).number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 14
def _odr_sheet(wb: Workbook, figures: dict[str, Any]) -> None:
    """ODR businesses' 先行和解 (API-v1.md "ODR businesses"; the block added by xiaobao.odr)."""
    ws = wb.create_sheet("先行和解")
    ws["A1"] = "ODR企业先行和解情况"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = _period(figures)
    _header(ws, 3, ["转企业（件）", "和解成功（件）", "先行和解率", "挽回经济损失（元）"])
    odr = figures["odr"]
    rate = odr["settlement_rate"]
    values = [odr["forwarded"], odr["settled"], "—" if rate is None else rate, Decimal(odr["amount_recovered"])]
    for col, value in enumerate(values, 1):
        ws.cell(4, col, value).border = BOX
    if rate is not None:
        ws.cell(4, 3).number_format = "0.00%"
    ws.cell(4, 4).number_format = "#,##0.00"
    ws["A6"] = "转企业按转送时间计入当月；和解成功、挽回经济损失按企业答复时间计入当月；先行和解率 = 和解成功 ÷ 当月结束的转企业件。"
    for col in "ABCD":
        ws.column_dimensions[col].width = 18


def _typical_sheet(wb: Workbook, figures: dict[str, Any], typical_cases: Iterable[TypicalCase]) -> None:
    ws = wb.create_sheet("典型案例")
    ws["A1"] = "各单位上报典型案例"
    ws["A1"].font = Font(size=14, bold=True)
    ws["A2"] = _period(figures)
    _header(ws, 3, ["单位", "编号", "类型", "办结结果", "案例简介", "上报人", "上报时间"])
    row = 4
    for t in typical_cases:
        s = t.submission
        values = [str(s.unit), t.case.number, KIND_LABELS.get(t.case.kind, t.case.kind),
                  OUTCOME_LABELS.get(t.case.outcome or "", "—"), t.write_up, str(s.submitted_by),
                  timezone.localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M")]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        row += 1
    for col, width in zip("ABCDEFG", (12, 18, 8, 12, 60, 10, 17), strict=True):
        ws.column_dimensions[col].width = width
