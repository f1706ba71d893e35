"""The older Excel format (.xls, read with xlrd): a real .xls written with xlwt, uploaded on the import page."""

import io
from datetime import datetime

import pytest
import time_machine
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.test_pages import login
from xiaobao.cases.models import Case, Event
from xiaobao.intake.models import ImportRun
from xiaobao.intake.sample import HEADERS, TITLE, rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_november_2026():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def _xls() -> bytes:
    """The sample's first twelve rows as the platform's old export writes them: a title row, the header row,
    登记时间 as Excel dates, and (row 4) the phone number typed as a number."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("登记信息")
    when = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    sheet.write(0, 0, TITLE)
    for c, header in enumerate(HEADERS):
        sheet.write(1, c, header)
    for r, row in enumerate(rows()[:12], start=2):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(r, c, value, when)
            elif r == 3 and HEADERS[c] == "联系电话":
                sheet.write(r, c, float(value))
            elif value != "":
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xls_export_is_imported_like_an_xlsx(bureau):
    data = _xls()
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # the old binary format, not a zip
    page = login("xiaobao")
    r = page.post("/intake/import/", {"file": SimpleUploadedFile("登记信息导出.xls", data)})
    assert r.status_code == 302
    run = ImportRun.objects.get()
    # Row 13 is the sample's complaint without a phone.
    assert (run.status, run.total_rows, run.created, run.failed) == ("done", 12, 11, 1)
    assert [(e["row"], e["column"], e["message"]) for e in run.errors] == [(13, "联系电话", "请填写投诉人联系电话。")]

    sample = rows()
    first = Case.objects.select_related("complainant", "respondent").get(external_id=sample[0][0])
    assert first.number == "TS-2026-000001" and first.kind == "complaint" and first.channel == "platform_12315"
    assert first.received_at == datetime.fromisoformat("2026-09-01 15:45+08:00")
    assert first.complainant.name == "张强" and first.respondent.name == "随州市曾都区鑫达电器商行"
    assert str(first.amount) == "3171.00" and first.category == "appliances"
    typed_as_number = Case.objects.select_related("complainant").get(external_id=sample[1][0])
    assert typed_as_number.complainant.phone == sample[1][4]  # 13313733477, not 13313733477.0
    report = Case.objects.get(external_id=sample[7][0])
    assert report.kind == "report" and report.number == "JB-2026-000001"
    assert Event.objects.filter(case=first, action="register").count() == 1

    html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert 'data-total="created">11<' in html and 'data-total="failed">1<' in html
