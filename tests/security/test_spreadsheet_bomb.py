"""Issue 16.2: a 5 KB .xlsx with one cell at A1 and one at XFD1048576 made the reader allocate the whole declared
grid (about 512 GiB); calamine's allocator aborted the process — the web worker on the import page, exit 134 in
manage.py import_12315. The attack is the file itself, built here byte by byte."""

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.web.test_pages import login
from xiaobao.intake.models import ImportRun

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook(sheet_data: str, dimension: str = "A1:XFD1048576", extra: dict[str, str] | None = None) -> bytes:
    """An .xlsx of one sheet: the header row of a 12315 export, then `sheet_data` (XML rows)."""
    header = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
                     for col, text in zip("ABC", ("登记编号", "登记时间", "类型"), strict=True))
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship '
                       f'Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
                           '<sheets><sheet name="登记信息" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
            f'<sheetData><row r="1">{header}</row>{sheet_data}</sheetData></worksheet>',
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


BOMB = workbook('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def _upload(data: bytes, name: str) -> io.BytesIO:
    """A file as a browser sends it, with its name."""
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.fixture(autouse=True)
def _late_november_2026():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def test_the_bomb_is_five_kilobytes_or_less():
    assert len(BOMB) < 5 * 1024


def test_posting_the_bomb_to_the_import_page_fails_the_run_with_the_cause_and_the_server_lives_on(bureau):
    page = login("xiaobao")
    r = page.post("/intake/import/", {"file": _upload(BOMB, "登记信息.xlsx")})
    run = ImportRun.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/intake/import/{run.pk}/"
    assert run.status == "failed" and run.finished_at is not None
    assert "表格范围过大" in run.message and "A1:XFD1048576" in run.message and "200000 行 × 200 列" in run.message
    html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert "导入失败" in html and "表格范围过大" in html
    assert page.get("/intake/import/").status_code == 200  # still serving


def test_the_command_ends_with_the_cause_instead_of_aborting(bureau, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(BOMB)
    with pytest.raises(CommandError, match="导入失败：表格范围过大"):
        call_command("import_12315", str(path))
    assert ImportRun.objects.get().status == "failed"


def test_a_process_reading_the_bomb_exits_normally_not_with_134(tmp_path):
    # What import_12315 does before any row is registered, in a process of its own: the abort killed the process.
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(BOMB)
    code = ("import django, pathlib, sys; django.setup(); from xiaobao.intake import importer\n"
            "try:\n    importer.read_table(pathlib.Path(sys.argv[1]).read_bytes())\n"
            "except importer.FileRefused as e:\n    print(e)\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xiaobao.settings"}
    done = subprocess.run([sys.executable, "-c", code, str(path)], env=env, cwd=ROOT, capture_output=True,  # noqa: S603
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "表格范围过大" in done.stdout


@pytest.mark.parametrize(("rows", "named"), [
    # No declared dimension help: the furthest cell alone.
    ('<row r="2"><c r="XFD2"><v>1</v></c></row>', "XFD2"),
    ('<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "C1048576"),  # the header reaches C
    # Cells without a position follow the one before them: 300 of them in one row are 300 columns.
    ('<row r="2">' + "<c><v>1</v></c>" * 300 + "</row>", "KN2"),
    # A namespace prefix hides nothing.
    ('<row r="2"><x:c xmlns:x="' + MAIN + '" r="XFD2"><x:v>1</x:v></x:c></row>', "XFD2"),
    # Nor does a decoy position: in another attribute's value, in a prefixed attribute, after a '>' in a value.
    ("<row r=\"2\"><c foo=' r=\"A2\"' r=\"XFD2\"><v>1</v></c></row>", "XFD2"),
    ('<row r="2"><c xmlns:x="urn:x" x:r="A2" r="XFD2"><v>1</v></c></row>', "XFD2"),
    ('<row r="2"><c foo=">" r="XFD2"><v>1</v></c></row>', "XFD2"),
])
def test_the_furthest_cell_counts_whatever_the_declared_dimension_says(bureau, rows, named):
    page = login("xiaobao")
    page.post("/intake/import/", {"file": _upload(workbook(rows, dimension="A1:C2"), "a.xlsx")})
    run = ImportRun.objects.get()
    assert run.status == "failed" and f"最远的单元格在 {named}" in run.message


def test_a_cell_position_a_reader_would_decode_differently_is_refused(bureau):
    # &#88; is "X": a reader decodes it to XFD2, which a byte pattern would not see.
    data = workbook('<row r="2"><c r="&#88;FD2"><v>1</v></c></row>', dimension="A1:C2")
    page = login("xiaobao")
    page.post("/intake/import/", {"file": _upload(data, "a.xlsx")})
    run = ImportRun.objects.get()
    assert run.status == "failed" and "无法识别的单元格位置" in run.message


def test_a_doctype_that_could_declare_tags_is_refused(bureau):
    data = workbook('<row r="2"><c r="A2"><v>1</v></c></row>', dimension="A1:C2",
                    extra={"xl/worksheets/sheet2.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY c '
                                                      '"<c r=\'XFD2\'/>">]><worksheet/>'})
    page = login("xiaobao")
    page.post("/intake/import/", {"file": _upload(data, "a.xlsx")})
    run = ImportRun.objects.get()
    assert run.status == "failed" and "已损坏" in run.message


def test_a_part_that_unpacks_beyond_the_limit_is_refused_by_its_real_size(bureau, settings):
    settings.XIAOBAO_IMPORT_MAX_UNPACKED_MB = 1
    padding = "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>" + "x" * (2 << 20) + "</t></is></c></row>"
    page = login("xiaobao")
    page.post("/intake/import/", {"file": _upload(workbook(padding, dimension="A1:C2"), "a.xlsx")})
    run = ImportRun.objects.get()
    assert run.status == "failed" and "解压后超过 1 MB" in run.message


def test_the_limits_come_from_the_settings(bureau, settings):
    settings.XIAOBAO_IMPORT_MAX_ROWS, settings.XIAOBAO_IMPORT_MAX_COLUMNS = 5, 3
    page = login("xiaobao")
    page.post("/intake/import/", {"file": _upload(workbook('<row r="6"><c r="A6"><v>1</v></c></row>',
                                                               dimension="A1:C6"), "a.xlsx")})
    run = ImportRun.objects.get()
    assert run.status == "failed" and "超过允许的 5 行 × 3 列" in run.message


@pytest.mark.parametrize("row", [
    '<row r="2"><c r="A2" t="inlineStr"><is><t>4213032026110100001</t></is></c><c r="C2" t="inlineStr"><is><t>投诉</t>'
    "</is></c></row>",
    # Other writers: r after the style, or no positions at all (each cell follows the one before it).
    '<row r="2"><c s="0" r="A2" t="inlineStr"><is><t>4213032026110100001</t></is></c><c s="0" r="C2" '
    't="inlineStr"><is><t>投诉</t></is></c></row>',
    '<row><c t="inlineStr"><is><t>4213032026110100001</t></is></c><c/><c t="inlineStr"><is><t>投诉</t></is></c></row>',
])
def test_an_ordinary_export_is_read_as_before(row):
    from xiaobao.intake.importer import read_table

    table = read_table(workbook(row, dimension="A1:C2"))
    assert table.rows == [(2, ("4213032026110100001", "", "投诉"))]
