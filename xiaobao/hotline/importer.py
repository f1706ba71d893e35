"""Import of the 12345 hotline's work-order export (Excel), for bureaus whose orders are not pushed through the
API. Each row goes through services.receive_order, exactly like POST /api/v1/hotline/orders: idempotent by the
order number, every missing field named; one bad row never stops the others. The file is read by the 12315
import's reader (intake.importer.read_table), so the same hostile-file checks apply (lib.spreadsheets.check_xlsx
before any reader allocates the sheet). Columns: docs/12345-bridge.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings

from xiaobao.cases.errors import Invalid, NotPermitted, Refused
from xiaobao.intake.importer import DATE_FORMATS, XLS_MAGIC, XLSX_MAGIC, FileRefused, read_table
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff

from . import services
from .bulk import BulkOrders

# Headers of the hotline's export → fields of an order (several spellings seen across city platforms).
# XIAOBAO_12345_COLUMNS is merged over this (map a header to "" to ignore it).
DEFAULT_COLUMNS: dict[str, str] = {
    "工单编号": "order_no", "工单号": "order_no",
    "派单时间": "received_at", "受理时间": "received_at", "交办时间": "received_at",
    "工单类别": "category", "诉求类型": "category", "工单类型": "category",
    "标题": "title", "工单标题": "title",
    "工单内容": "content", "诉求内容": "content", "来电内容": "content",
    "诉求": "demand", "市民诉求": "demand",
    "来电人": "requester.name", "来电人姓名": "requester.name", "诉求人": "requester.name",
    "来电号码": "requester.phone", "联系电话": "requester.phone",
    "来电人地址": "requester.address", "联系地址": "requester.address",
    "被反映对象": "respondent.name", "被反映单位": "respondent.name", "被反映人": "respondent.name",
    "被反映地址": "respondent.address", "事发地址": "respondent.address",
    "签收时限": "sign_due", "签收截止时间": "sign_due",
    "办结时限": "finish_due", "办结截止时间": "finish_due", "承办时限": "finish_due",
}
# The read_table helper requires its match key under this name.
_KEY = "external_id"


def columns() -> dict[str, str]:
    merged = {**DEFAULT_COLUMNS, **getattr(settings, "XIAOBAO_12345_COLUMNS", {})}
    return {h.strip(): (_KEY if f == "order_no" else f) for h, f in merged.items() if f}


@dataclass
class Result:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)  # {"row", "order_no", "errors": [{"field", "column", "message"}]}


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _moment(v: Any) -> str:
    """A time as ISO 8601 text (naive: Beijing time, as receive_order reads it), or the text as written."""
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day).isoformat()
    text = re.sub(r"\s+", " ", _text(v))
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).isoformat()
        except ValueError:
            continue
    return text


def _day(v: Any) -> str:
    moment = _moment(v)
    return moment[:10] if re.match(r"\d{4}-\d{2}-\d{2}T", moment) else moment


_TIMES = frozenset({"received_at", "sign_due", "finish_due"})


def row_body(values: tuple, mapping: dict[int, str]) -> dict:
    body: dict[str, Any] = {"requester": {}, "respondent": {}}
    for i, name in mapping.items():
        value = values[i] if i < len(values) else None
        if name in _TIMES and isinstance(value, datetime):  # a time cell (most rows): what _moment and _day make of it
            value = value.isoformat() if name != "finish_due" else value.date().isoformat()
        elif name in ("received_at", "sign_due"):
            value = _moment(value) if _text(value) else ""
        elif name == "finish_due":
            value = _day(value) if _text(value) else ""
        else:
            value = _text(value)
        name = "order_no" if name == _KEY else name
        head, _, rest = name.partition(".")
        if rest:
            body[head][rest] = value
        else:
            body[name] = value
    for party in ("requester", "respondent"):
        if not any(body[party].values()):
            body[party] = None
    return body


def import_file(*, actor: Staff, file_name: str, data: bytes, bulk: bool = True) -> Result:
    """Import every row, in batches (hotline.bulk) or with bulk=False row by row (the reference); raises
    FileRefused when the file as a whole cannot be read (message in Chinese)."""
    if not actor.has_role(Role.DISPATCHER):
        raise NotPermitted("只有消保股分流员可以导入12345工单。")
    if not (data.startswith(XLSX_MAGIC) or data.startswith(XLS_MAGIC)):
        raise FileRefused("请上传12345平台导出的 Excel 文件（.xlsx 或 .xls）。")
    wanted = columns()
    try:
        table = read_table(data, wanted)
    except FileRefused as exc:
        if str(exc).startswith("没有找到"):
            raise FileRefused("没有找到表头行或“工单编号”列：请确认是12345平台导出的工单表（列名见 docs/12345-bridge.md）。"
                              ) from exc
        raise
    headers = {("order_no" if f == _KEY else f): h for f, h in table.headers.items()}
    result = Result()

    def one_row(number: int, body: dict) -> None:
        try:
            case, created = services.receive_order(actor=actor, data=body)
        except Invalid as exc:
            result.failed.append({"row": number, "order_no": _text(body.get("order_no")), "errors": [
                {**e, "column": headers.get(e["field"]) or headers.get(e["field"].split(".")[0], "")}
                for e in exc.errors]})
            return
        except Refused as exc:
            result.failed.append({"row": number, "order_no": _text(body.get("order_no")),
                                  "errors": [{"field": "", "column": "", "message": exc.message}]})
            return
        (result.created if created else result.existing).append(case.external_id)

    # The bulk path turns the rows into bodies in its reader thread, ahead of the batch being written.
    rows = ((number, row_body(values, table.columns)) for number, values in table.rows)
    if bulk:
        BulkOrders(actor=actor, result=result, one_row=one_row).run(rows)
    else:
        for number, body in rows:
            one_row(number, body)
    record(actor=actor, action="import_12345", obj="hotline:import",
           detail={"file": file_name[:200], "rows": len(table.rows), "created": len(result.created),
                   "existing": len(result.existing), "failed": len(result.failed)})
    return result
