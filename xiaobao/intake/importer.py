"""Import of the national 12315 platform's Excel export (.xlsx or .xls).

One function, import_file(), does the work for the page, for the background task of large files (intake.tasks)
and for the import_12315 command alike. Rows are matched by the platform number (channel "platform_12315",
external_id): a new number registers an item exactly as xiaobao.cases.services.register_case does (in
batches: intake.bulk), a known one is left alone when nothing changed, updated while the item is still
"registered", and otherwise reported as already in handling. One bad row never stops the others.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from xiaobao.cases.errors import Invalid, NotPermitted, WrongState
from xiaobao.cases.models import Case, Channel
from xiaobao.cases.selectors import get_visible_case
from xiaobao.cases.services import REQUIRED_MESSAGES, check_may_register, register_case
from xiaobao.lib import spreadsheets, timeutil
from xiaobao.records.audit import record
from xiaobao.rules.models import Category
from xiaobao.units.models import Staff

from . import conf, services
from .models import ImportRun

log = logging.getLogger(__name__)

CHANNEL = Channel.PLATFORM_12315
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d",
                "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y年%m月%d日", "%Y%m%d%H%M%S")
PROGRESS_EVERY = 5


class FileRefused(Exception):
    """The whole file cannot be imported (not an export of the platform); the message is Chinese."""


@dataclass
class Table:
    header_row: int
    columns: dict[int, str]  # column index → field
    headers: dict[str, str]  # field → the header as written in the file
    rows: list[tuple[int, tuple]]  # (Excel row number, values) of the non-empty data rows


# ---------------------------------------------------------------- reading


def _cells(data: bytes) -> Iterator[tuple]:
    limits = conf.import_limits()
    if data.startswith(XLSX_MAGIC):
        # Measured before calamine sees it: calamine allocates the grid up to the furthest cell, and a failed
        # allocation aborts the whole process, not just this import (issue 16.2).
        try:
            spreadsheets.check_xlsx(data, limits)
        except spreadsheets.SheetRefused as exc:
            raise FileRefused(exc.message) from exc
        # calamine (Rust) reads a 100k-row export about six times faster than openpyxl's read-only mode.
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            # From A1, so that row numbers are the file's (the error report names them).
            rows = sheet.to_python(skip_empty_area=False)
        except BaseException as exc:
            # calamine raises several types for a damaged file, and a Rust panic arrives as pyo3's
            # PanicException, which derives from BaseException.
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            raise FileRefused("Excel 文件已损坏或不是 xlsx 格式，无法读取。") from exc
        yield from rows
    elif data.startswith(XLS_MAGIC):
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data, on_demand=True)
            sheet = book.sheet_by_index(0)
        except Exception as exc:  # xlrd's own error types vary by damage
            raise FileRefused("Excel 文件已损坏或不是 xls 格式，无法读取。") from exc
        # The .xls format itself caps a sheet at 65,536 × 256 cells, which xlrd holds; the import's limits apply
        # before the rows are copied out.
        if sheet.nrows > limits.rows or sheet.ncols > limits.columns or sheet.nrows * sheet.ncols > limits.cells:
            raise FileRefused(f"表格范围过大：工作表共 {sheet.nrows} 行 × {sheet.ncols} 列，超过允许的 {limits.rows} 行 × "
                              f"{limits.columns} 列（共不超过 {limits.cells} 个单元格）。请只导出需要导入的登记数据后重新上传。")
        for r in range(sheet.nrows):
            row = []
            for cell in sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                else:
                    row.append(cell.value)
            yield tuple(row)
    else:
        raise FileRefused("请上传全国12315平台导出的 Excel 文件（.xlsx 或 .xls）。")


def read_table(data: bytes, columns: dict[str, str] | None = None) -> Table:
    """The data rows of the first sheet under the header row (the first row naming at least three known
    columns; exports often carry a title row above it)."""
    columns = columns or conf.columns_12315()
    header_row, mapping, headers, rows = 0, {}, {}, []
    for number, values in enumerate(_cells(data), start=1):
        if not header_row:
            found = {i: columns[_text(v)] for i, v in enumerate(values) if _text(v) in columns}
            if len(found) >= 3:
                header_row, mapping = number, found
                headers = {}
                for i, field in found.items():
                    headers.setdefault(field, _text(values[i]))
            continue
        if any(_text(v) for v in values):
            rows.append((number, tuple(values)))
    if not header_row:
        raise FileRefused("没有找到表头行：请确认是全国12315平台导出的登记表，或检查列名设置（见 docs/12315-import.md）。")
    if "external_id" not in mapping.values():
        raise FileRefused("没有找到“登记编号”列，无法判断是否已导入过。")
    return Table(header_row=header_row, columns=mapping, headers=headers, rows=rows)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # phone numbers and platform numbers typed as numbers
    return str(v).strip()


# ---------------------------------------------------------------- one row


def _received_at(v: Any, tz=None) -> datetime | None:
    if isinstance(v, datetime):
        moment = v
    elif isinstance(v, date):
        moment = datetime(v.year, v.month, v.day)
    else:
        text = re.sub(r"\s+", " ", _text(v))
        moment = None
        for fmt in DATE_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            return None
    return timezone.make_aware(moment, tz) if timezone.is_naive(moment) else moment


def _category(v: str, categories: dict[str, str]) -> str:
    return categories.get(v, "")


def row_payload(values: tuple, table: Table, categories: dict[str, str], tz=None) -> tuple[dict, list[dict]]:
    """The register_case payload of one row, and the errors found before registering (naive times are in
    `tz`, by default the current time zone)."""
    raw: dict[str, Any] = {}
    for i, field in table.columns.items():
        value = values[i] if i < len(values) else None
        if field not in raw or not _text(raw[field]):
            raw[field] = value
    errors = []
    external_id = _text(raw.get("external_id"))
    if not external_id:
        errors.append({"field": "external_id", "message": "缺少登记编号。"})
    kind_word = _text(raw.get("kind"))
    kind = conf.KIND_WORDS.get(kind_word)
    if kind is None:
        errors.append({"field": "kind", "message": f"类型“{kind_word or '空'}”无法识别，应为投诉、举报或咨询。"})
    received_at = _received_at(raw.get("received_at"), tz)
    if received_at is None:
        shown = _text(raw.get("received_at")) or "空"
        errors.append({"field": "received_at",
                       "message": f"登记时间“{shown}”无法识别，应为 2026-03-02 09:30 这样的日期时间。"})
    amount = _text(raw.get("amount")).replace(",", "").replace("，", "").removesuffix("元").strip()
    payload = {
        "kind": kind, "external_id": external_id, "received_at": received_at,
        "complainant": {k: _text(raw.get(f"complainant.{k}")) for k in ("name", "phone", "address", "id_number")},
        "respondent": {k: _text(raw.get(f"respondent.{k}")) for k in ("name", "address", "credit_code")},
        "facts": _text(raw.get("facts")), "demand": _text(raw.get("demand")), "amount": amount,
        "category": _category(_text(raw.get("category")), categories),
    }
    if payload["complainant"]["id_number"]:
        payload["complainant"]["id_type"] = "居民身份证"
    return payload, errors


def _flat(payload: dict) -> dict[str, Any]:
    amount = payload["amount"]
    try:
        amount_value = Decimal(amount) if amount else None
    except ArithmeticError:
        amount_value = amount
    out = {"received_at": payload["received_at"], "facts": payload["facts"], "demand": payload["demand"],
           "amount": amount_value, "category": payload["category"]}
    for role in ("complainant", "respondent"):
        for k, v in payload[role].items():
            out[f"{role}.{k}"] = v
    return {k: v for k, v in out.items() if k in services.IMPORT_FIELDS}


def _required(case: Case, payload: dict) -> list[dict]:
    values = {"facts": payload["facts"], "demand": payload["demand"],
              **{f"complainant.{k}": v for k, v in payload["complainant"].items()},
              **{f"respondent.{k}": v for k, v in payload["respondent"].items()}}
    return [{"field": f, "message": REQUIRED_MESSAGES.get(f, f"请填写{f}。")}
            for f in case.rule_set.required_fields(case.kind) if not values.get(f)]


def import_row(*, actor: Staff | None, payload: dict) -> tuple[str, Case | None]:
    """"created", "updated", "unchanged" or "in_handling", with the item. Raises Invalid."""
    existing = Case.objects.filter(channel=CHANNEL, external_id=payload["external_id"]).select_related(
        "complainant", "respondent", "rule_set").first()
    if existing is None:
        case, created = register_case(actor=actor, data=payload, channel=CHANNEL)
        return ("created" if created else "unchanged"), case
    visible = actor is None or get_visible_case(actor, existing.pk) is not None
    return known_row(actor=actor, existing=existing, payload=payload, visible=visible), existing


def known_row(*, actor: Staff | None, existing: Case, payload: dict, visible: bool) -> str:
    """A row whose platform number is already registered: "updated", "unchanged" or "in_handling". Raises
    Invalid. Both paths decide here (`visible`: the actor may see the item)."""
    if not visible:
        raise Invalid([{"field": "external_id", "message": "该登记编号已由其他单位登记，您无权查看。"}])
    if existing.kind != payload["kind"]:
        raise Invalid([{"field": "kind", "message": f"类型与已登记的 {existing.number}（{existing.get_kind_display()}）"
                                                    "不一致，请人工核对。"}])
    incoming = _flat(payload)
    if not services.import_changes(existing, incoming):
        return "unchanged"
    if existing.state != "registered":
        return "in_handling"
    if errors := _required(existing, payload):
        raise Invalid(errors)
    try:
        services.update_from_import(actor=actor, case_id=existing.pk, incoming=incoming)
    except WrongState:
        return "in_handling"
    return "updated"


# ---------------------------------------------------------------- a run


def start_run(*, actor: Staff | None, file_name: str) -> ImportRun:
    return ImportRun.objects.create(file_name=file_name[:200], started_by=actor, started_at=timeutil.now())


def import_file(*, actor: Staff | None, file_name: str, data: bytes, run: ImportRun | None = None,
                on_progress: Callable[[ImportRun], None] | None = None, bulk: bool = True,
                table: Table | None = None) -> ImportRun:
    """Import one export file; returns the finished run with totals and per-row errors.

    The page, the background task and the command use the bulk path (intake.bulk, batches of rows in one
    transaction each); bulk=False registers row by row through register_case, the reference the bulk path
    is tested against. `table`: the file already read by read_table (the page reads it once to count)."""
    run = run or start_run(actor=actor, file_name=file_name)
    try:
        check_may_register(actor)  # the bulk path inserts without register_case: the same check first
    except NotPermitted as exc:
        return _finish(run, status=ImportRun.Status.FAILED, message=exc.message)
    if table is None:
        try:
            table = read_table(data)
        except FileRefused as exc:
            return _finish(run, status=ImportRun.Status.FAILED, message=str(exc))
    run.total_rows = len(table.rows)
    run.progress_at = timeutil.now()
    ImportRun.objects.filter(pk=run.pk).update(total_rows=run.total_rows, progress_at=run.progress_at)
    labels = {**services.FIELD_LABELS, **table.headers}
    categories = {}
    for code, name in Category.objects.values_list("code", "name"):
        categories[code] = categories[name] = code

    def progress(done: int) -> None:
        run.rows_done = done
        _save_progress(run)
        if on_progress:
            on_progress(run)

    try:
        if bulk:
            from .bulk import Importer

            Importer(run=run, actor=actor, table=table, categories=categories, labels=labels).run_all(
                on_batch=progress)
        else:
            for done, (number, values) in enumerate(table.rows, start=1):
                _one(run, actor, number, values, table, categories, labels)
                if done % PROGRESS_EVERY == 0 or done == run.total_rows:
                    progress(done)
    except Exception:
        log.exception("12315 import %s stopped", run.pk)
        _finish(run, status=ImportRun.Status.FAILED, message="导入中途出错，已处理的行已保存；可修正后重新导入（不会重复登记）。")
        raise
    return _finish(run, status=ImportRun.Status.DONE)


def _one(run: ImportRun, actor: Staff | None, number: int, values: tuple, table: Table,
         categories: dict[str, str], labels: dict[str, str]) -> None:
    payload, errors = row_payload(values, table, categories)
    if not errors:
        try:
            outcome, case = import_row(actor=actor, payload=payload)
        except Invalid as exc:
            errors = exc.errors
        else:
            count(run, number, payload, outcome, case)
            return
    fail(run, number, payload, errors, labels)


def count(run: ImportRun, number: int, payload: dict, outcome: str, case: Case) -> None:
    """Count a row's outcome; an item already in handling is also listed in the report."""
    if outcome == "in_handling":
        run.unchanged += 1
        run.notes.append({"row": number, "external_id": payload["external_id"], "number": case.number,
                          "message": f"未更新（已在办理中，当前状态：{case.get_state_display()}）"})
    else:
        setattr(run, outcome, getattr(run, outcome) + 1)


def fail(run: ImportRun, number: int, payload: dict, errors: list[dict], labels: dict[str, str]) -> None:
    run.failed += 1
    for e in errors:
        field = e["field"]
        run.errors.append({"row": number, "external_id": payload["external_id"], "field": field,
                           "column": labels.get(field, labels.get(field.split(".")[0], "")),
                           "message": e["message"]})


def _save_progress(run: ImportRun) -> None:
    run.progress_at = timeutil.now()
    ImportRun.objects.filter(pk=run.pk).update(
        rows_done=run.rows_done, created=run.created, updated=run.updated, unchanged=run.unchanged,
        failed=run.failed, progress_at=run.progress_at)


def _finish(run: ImportRun, *, status: str, message: str = "") -> ImportRun:
    run.status = status
    run.message = message
    run.finished_at = timeutil.now()
    if status == ImportRun.Status.DONE:
        run.rows_done = run.total_rows
    run.save()
    discard_upload(run.pk)
    return run


# ---------------------------------------------------------------- uploads kept for the background task


def stored_file(run_id: int) -> Path:
    """Where a large upload waits for its background import (intake.tasks): under MEDIA_ROOT, never served."""
    return Path(settings.MEDIA_ROOT) / "imports" / f"{int(run_id)}.bin"


def discard_upload(run_id: int) -> None:
    """The upload holds complainants' personal data: it is kept only while its run is running."""
    stored_file(run_id).unlink(missing_ok=True)


STALLED_MESSAGE = ("导入已超过 10 分钟没有进展，已中止（可能是服务器或后台任务进程重启）。已处理的行已保存，上传的文件已删除；"
                   "重新导入同一文件即可补完，已登记的件不会重复登记。")


def end_stalled_runs() -> int:
    """Fail every run that stopped moving (ImportRun.stalled: its worker was killed or restarted) and delete the
    uploads of runs no longer running. Runs from the import pages and `manage.py end_stalled_imports` (cron);
    returns how many runs it ended."""
    # Listed before the running runs are read: a run exists, running, before its upload is written.
    uploads = list(stored_file(0).parent.glob("*.bin"))
    ended = 0
    for run in ImportRun.objects.filter(status=ImportRun.Status.RUNNING):
        if not run.stalled:
            continue
        # Only if it has not moved since it was read: a worker that is merely slow keeps its run.
        if ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING, progress_at=run.progress_at).update(
                status=ImportRun.Status.FAILED, message=STALLED_MESSAGE, finished_at=timeutil.now()):
            record(actor=None, action="end_stalled_import", obj=f"import_run:{run.pk}",
                   detail={"file_name": run.file_name, "rows_done": run.rows_done, "total_rows": run.total_rows,
                           "last_progress": run.progress_at or run.started_at})
            ended += 1
    running = {str(pk) for pk in ImportRun.objects.filter(status=ImportRun.Status.RUNNING).values_list("pk", flat=True)}
    for path in uploads:
        if path.stem not in running:
            path.unlink(missing_ok=True)
    return ended


# ---------------------------------------------------------------- the error report


def error_report(run: ImportRun) -> bytes:
    """The per-row errors of a run as an Excel workbook (行号 = the row in the imported file)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "错误报告"
    ws.append(["行号", "登记编号", "列", "错误说明"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for e in run.errors:
        ws.append([e["row"], e.get("external_id", ""), e.get("column") or e["field"], e["message"]])
    for e in run.notes:
        ws.append([e["row"], e.get("external_id", ""), "", e["message"]])
    for col, width in zip("ABCD", (8, 22, 18, 60), strict=True):
        ws.column_dimensions[col].width = width
    return spreadsheets.xlsx_bytes(wb)
