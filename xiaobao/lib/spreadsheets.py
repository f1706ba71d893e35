"""Spreadsheets in and out: an uploaded .xlsx is measured before a reader sees it, and every text the system
writes into Excel or CSV stays text.

Reading. An .xlsx is a zip of XML; the readers (calamine, openpyxl) build a dense grid from A1 to the furthest
cell, so one cell at XFD1048576 in a 5 KB file asks for 17 billion cells and calamine's allocator aborts the
whole process (issue 16.2). check_xlsx() decompresses every XML part itself, counting the real bytes (a zip's
declared sizes are the sender's word), and finds the furthest cell from the cells' own positions and the
declared <dimension>; the file is refused before any reader runs if that exceeds the limits.

Writing. Excel and LibreOffice run a cell typed as `=1+1`, and a CSV field beginning with =, +, -, @, tab or
carriage return, as a formula (OWASP, "CSV Injection"); a write-up or a 12315 number can begin so. xlsx_bytes()
stores every such string as a string with Excel's quote prefix; csv_field() prefixes it with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook

# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cells: int  # rows × columns of the grid from A1 to the furthest cell
    unpacked_bytes: int  # all XML parts together, decompressed


class SheetRefused(Exception):
    """The file is not read; `message` says why, in Chinese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


DAMAGED = "Excel 文件已损坏或不是 xlsx 格式，无法读取。"
PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"  # a namespace prefix, as in <x:c>
# A start tag's attributes, values quoted (a value may hold '>'); group 1.
ATTRS = rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>"""
ATTR = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CELL_TAG = re.compile(rb"<" + PREFIX + rb"c[\s/>]")
ROW_TAG = re.compile(rb"<" + PREFIX + rb"row[\s/>]")
SHARED_STRING = re.compile(rb"<" + PREFIX + rb"si[\s/>]")
# The fast pass: r as the cell's first attribute, as spreadsheet programs write it. Any other cell (r later, or
# none, or not plain) makes the counts differ and the part is read again attribute by attribute.
CELL_REF = re.compile(rb"<" + PREFIX + rb"c\s+r\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"']")
PREFIXED = re.compile(rb":(?:c|si)[\s/>]")
PLAIN_CELL_TAG = re.compile(rb"<c[\s/>]")
PLAIN_SHARED_STRING = re.compile(rb"<si[\s/>]")
PLAIN_CELL_REF = re.compile(rb"<c\s+r\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"']")
ROW_OR_CELL = re.compile(rb"<" + PREFIX + rb"(row|c)(?=[\s/>])" + ATTRS)
DIMENSION = re.compile(rb"<" + PREFIX + rb"dimension(?=[\s/>])" + ATTRS)
REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
IN_CHUNK, OUT_CHUNK = 1 << 16, 1 << 20
# A text run longer than this without a tag is not from a spreadsheet program.
MAX_CARRY = 8 << 20


def column_number(letters: str | bytes) -> int:
    n = 0
    for ch in (letters.decode("ascii") if isinstance(letters, bytes) else letters).upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Raise SheetRefused unless every part of the workbook stays within `limits`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetRefused(DAMAGED) from exc
    names = [i.filename.lower() for i in infos]
    # calamine also reads .xlsb and .ods from a zip, whose cells this check does not see; and two parts of one
    # name could give the reader another part than the one measured here.
    if "xl/workbook.xml" not in names or "xl/workbook.bin" in names or "content.xml" in names:
        raise SheetRefused("请上传 xlsx 格式的 Excel 文件（不支持 xlsb、ods）。")
    if len(set(names)) != len(names):
        raise SheetRefused(DAMAGED)
    extent = _Extent()
    for info, name in zip(infos, names, strict=True):
        if not name.endswith((".xml", ".rels", ".vml")):
            continue  # images and binary parts: no reader builds cells from them
        if not extent.scan(_inflate(data, info, extent, limits)):
            extent.positional(_inflate(data, info, _Extent(), limits))
    extent.check(limits)


class _Extent:
    """The furthest cell seen, the declared dimensions, shared strings and bytes unpacked so far."""

    def __init__(self) -> None:
        self.rows = self.columns = self.shared_strings = self.unpacked = 0
        self.declared, self.declared_rows, self.declared_columns = "", 0, 0

    def scan(self, chunks: Iterable[bytes]) -> bool:
        """Fast pass over one part; False if a cell has no position of its own (then positional() is needed).
        A pattern that may begin with a namespace prefix is tried at every '<' (seconds for a 100k-row sheet):
        those run only where a prefixed tag appears."""
        exact = True
        for text in _tags(chunks):
            if b"dimension" in text:
                for m in DIMENSION.finditer(text):
                    self._dimension(_attribute(m.group(1), b"ref") or "")
            if PREFIXED.search(text):
                patterns = (SHARED_STRING, CELL_TAG, CELL_REF)
            else:  # each starts with a literal, which the regex engine finds as fast as a substring search
                patterns = (PLAIN_SHARED_STRING, PLAIN_CELL_TAG, PLAIN_CELL_REF)
            self.shared_strings += len(patterns[0].findall(text))
            tags, refs = len(patterns[1].findall(text)), patterns[2].findall(text)
            if len(refs) != tags:
                exact = False
            if refs:
                letters, digits = zip(*refs, strict=True)
                self.columns = max(self.columns, *map(column_number, set(letters)))
                self.rows = max(self.rows, max(map(int, digits)))
        return exact

    def positional(self, chunks: Iterable[bytes]) -> None:
        """Cells without an r attribute follow the one before them, as readers place them."""
        row = column = 0
        for text in _tags(chunks):
            tags = 0
            for m in ROW_OR_CELL.finditer(text):
                tags += 1
                r = _attribute(m.group(2), b"r")
                if m.group(1) == b"row":
                    if r is not None and not r.isdigit():
                        raise SheetRefused(f"工作表中有无法识别的行号“{r}”。")
                    row, column = (int(r) if r is not None else row + 1), 0
                    continue
                if r is None:
                    column += 1
                else:
                    ref = REF.fullmatch(r)
                    if ref is None:
                        raise SheetRefused(f"工作表中有无法识别的单元格位置“{r}”。")
                    column, row = column_number(ref.group(1)), int(ref.group(2))
                self.rows, self.columns = max(self.rows, row), max(self.columns, column)
            if tags != len(CELL_TAG.findall(text)) + len(ROW_TAG.findall(text)):
                raise SheetRefused(DAMAGED)  # a row or cell tag that is not well-formed

    def _dimension(self, ref: str) -> None:
        corners = [REF.fullmatch(part) for part in ref.split(":")]
        if not all(corners):
            raise SheetRefused(f"工作表声明的范围“{ref}”无法识别。")
        rows = max(int(c.group(2)) for c in corners)
        columns = max(column_number(c.group(1)) for c in corners)
        if rows > self.declared_rows or columns > self.declared_columns:
            self.declared = ref
            self.declared_rows, self.declared_columns = max(rows, self.declared_rows), max(columns, self.declared_columns)

    def check(self, limits: Limits) -> None:
        allowed = f"超过允许的 {limits.rows} 行 × {limits.columns} 列（共不超过 {limits.cells} 个单元格）"
        advice = "请只导出需要导入的登记数据后重新上传。"
        if self.declared:
            rows, columns = self.declared_rows, self.declared_columns
            if rows > limits.rows or columns > limits.columns or rows * columns > limits.cells:
                raise SheetRefused(f"表格范围过大：工作表声明的范围为 {self.declared}（{rows} 行 × {columns} 列），"
                                   f"{allowed}。{advice}")
        rows, columns = self.rows, self.columns
        if rows > limits.rows or columns > limits.columns or rows * columns > limits.cells:
            raise SheetRefused(f"表格范围过大：最远的单元格在 {column_letters(columns)}{rows}（{rows} 行 × {columns} 列），"
                               f"{allowed}。{advice}")
        if self.shared_strings > limits.cells:
            raise SheetRefused(f"表格中的文字条目过多（{self.shared_strings} 条），超过允许的 {limits.cells} 条。{advice}")


def _attribute(attrs: bytes, name: bytes) -> str | None:
    """The first attribute of exactly this name (x:r is another attribute than r), as the readers take it."""
    for m in ATTR.finditer(attrs):
        if m.group(1) == name:
            return (m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8", "replace")
    return None


def _tags(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The text in pieces that each end before a '<': a tag never holds a '<' (a '>' may stand in an attribute
    value), so no tag is split between two pieces."""
    carry = b""
    first = True
    for chunk in chunks:
        if first:
            # Tags found as ASCII bytes are the tags a reader finds only if the text is ASCII-compatible.
            if chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:4]:
                raise SheetRefused("Excel 文件中的 XML 使用了不支持的编码（UTF-16/UTF-32）。")
            first = False
        text = carry + chunk
        if b"<!DOCTYPE" in text:
            # Entities declared in a DOCTYPE would put tags where no byte pattern sees them.
            raise SheetRefused(DAMAGED)
        cut = max(text.rfind(b"<"), 0)
        carry = text[cut:]
        if len(carry) > MAX_CARRY:
            raise SheetRefused(DAMAGED)
        if cut:
            yield text[:cut]
    if carry:
        yield carry


def _inflate(data: bytes, info: zipfile.ZipInfo, extent: _Extent, limits: Limits) -> Iterator[bytes]:
    """The part's decompressed bytes, counted as they come (not as the zip declares them)."""
    if info.flag_bits & 0x1:
        raise SheetRefused("Excel 文件已加密，请先取消密码保护后再导入。")
    start = info.header_offset
    header = data[start:start + 30]
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise SheetRefused(DAMAGED)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    raw = memoryview(data)[begin:begin + info.compress_size]
    budget = limits.unpacked_bytes

    def count(piece: bytes) -> bytes:
        extent.unpacked += len(piece)
        if extent.unpacked > budget:
            raise SheetRefused(f"Excel 文件解压后超过 {budget // (1 << 20)} MB，无法导入。"
                               "请只导出需要导入的登记数据后重新上传。")
        return piece

    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), OUT_CHUNK):
            yield count(bytes(raw[i:i + OUT_CHUNK]))
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise SheetRefused(DAMAGED)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for i in range(0, len(raw), IN_CHUNK):
            pending = bytes(raw[i:i + IN_CHUNK])
            while pending and not inflater.eof:
                out = inflater.decompress(pending, OUT_CHUNK)
                if out:
                    yield count(out)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        if rest := inflater.flush():
            yield count(rest)
    except zlib.error as exc:
        raise SheetRefused(DAMAGED) from exc


# ---------------------------------------------------------------- writing

# What Excel, LibreOffice and WPS take as the start of a formula in a typed cell or a CSV field (OWASP, "CSV
# Injection"); tab and carriage return because a spreadsheet program strips them and reads on.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def xlsx_bytes(workbook: Workbook) -> bytes:
    """The workbook as an .xlsx file, every string stored as a string: openpyxl types "=…" as a formula, and a
    string beginning with + - @ would become one when someone edits the cell (Excel's quote prefix stops that).
    The system writes no formulas of its own, so nothing here is one."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet program runs: text beginning like a formula gets an apostrophe first
    (OWASP); numbers, including negative ones, stay numbers."""
    return "'" + value if formula_like(value) else value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([csv_field(v) for v in row])
    return out.getvalue()
