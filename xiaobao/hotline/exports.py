"""Excel files of the bridge, written through lib.spreadsheets (formula-like text stays text): the outbox for
bureaus without a connector, and the monthly 三率 table."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from xiaobao.lib import timeutil
from xiaobao.lib.spreadsheets import xlsx_bytes
from xiaobao.records.audit import record
from xiaobao.units.models import Staff

from . import services
from .models import OutboxEntry, OutboxExport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPE_LABELS = dict(OutboxEntry.Type.choices)
OUTBOX_COLUMNS = ("游标", "工单编号", "类型", "事项", "时间", "承办单位", "办理情况", "公开答复内容", "退单理由",
                  "申请延期至", "延期理由", "是否按时签收")


def outbox_rows(entries: list[OutboxEntry]) -> list[tuple]:
    rows = []
    for e in entries:
        d = e.data or {}
        rows.append((e.pk, e.order_no, e.type, TYPE_LABELS.get(e.type, e.type),
                     timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), d.get("unit", ""),
                     d.get("result", ""), d.get("public_reply", ""),
                     d.get("reason", "") if e.type == "returned" else "",
                     d.get("until", "") or "", d.get("reason", "") if e.type == "extension_requested" else "",
                     ("是" if d["on_time"] else "否") if "on_time" in d else ""))
    return rows


def last_export() -> OutboxExport | None:
    return OutboxExport.objects.order_by("-at", "-id").first()


@transaction.atomic
def outbox_workbook(*, actor: Staff, after: int | None = None) -> tuple[bytes, OutboxExport]:
    """The outbox after `after` (by default after the last export) as an .xlsx; the export is recorded so the
    next one starts where this one ended."""
    if after is None:
        previous = last_export()
        after = previous.last_cursor if previous else 0
    entries = services.outbox_entries(actor=actor, after=after, limit=services.OUTBOX_PAGE)
    book = Workbook()
    sheet = book.active
    sheet.title = "回传事项"
    sheet.append(OUTBOX_COLUMNS)
    for row in outbox_rows(entries):
        sheet.append(row)
    export = OutboxExport.objects.create(at=timeutil.now(), by=actor, after=after,
                                         last_cursor=entries[-1].pk if entries else after, rows=len(entries))
    record(actor=actor, action="export_hotline_outbox", obj="hotline:outbox",
           detail={"after": after, "last": export.last_cursor, "rows": export.rows})
    return xlsx_bytes(book), export


RATE_COLUMNS = ("单位", "单位名称", "工单数", "按时签收", "响应率", "回访数", "已解决", "解决率", "满意", "基本满意",
                "满意率")


def rates_workbook(figures: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "三率"
    sheet.append((f"12345工单三率 {figures['month']}",))
    sheet.append(RATE_COLUMNS)

    def row(code, name, f):
        return (code, name, f["orders"], f["signed_on_time"], f["response_rate"], f["visited"], f["resolved"],
                f["resolved_rate"], f["satisfied"], f["basic"], f["satisfaction_rate"])

    for u in figures["units"]:
        sheet.append(row(u["unit"], u["name"], u))
    if figures.get("bureau"):
        sheet.append(row("", "全局", figures["bureau"]))
    return xlsx_bytes(book)
