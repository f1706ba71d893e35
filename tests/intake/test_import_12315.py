"""The 12315 platform import: the shipped sample, idempotent re-import, updates, the command, the pages."""

import io

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from tests.web.test_pages import login
from xiaobao.cases.models import Case, Event
from xiaobao.intake.importer import import_file
from xiaobao.intake.models import ImportRun
from xiaobao.intake.sample import BAD_ROWS, HEADERS, SAMPLE_PATH
from xiaobao.units.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_november_2026():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def _import(data: bytes | None = None, name: str = "12315-sample.xlsx") -> ImportRun:
    return import_file(actor=Staff.objects.get(username="xiaobao"), file_name=name,
                       data=data if data is not None else SAMPLE_PATH.read_bytes())


def test_the_sample_registers_47_items_and_reports_the_3_bad_rows_by_row_number(bureau):
    run = _import()
    assert (run.status, run.total_rows, run.created, run.updated, run.unchanged, run.failed) == ("done", 50, 47, 0, 0, 3)
    assert Case.objects.filter(channel="platform_12315").count() == 47
    assert {e["row"] for e in run.errors} == set(BAD_ROWS) == {13, 25, 38}
    by_row = {e["row"]: e for e in run.errors}
    assert by_row[13]["field"] == "complainant.phone" and by_row[13]["message"] == "请填写投诉人联系电话。"
    assert by_row[25]["field"] == "kind" and "建议" in by_row[25]["message"]
    assert by_row[38]["field"] == "received_at" and "2026-09-31" in by_row[38]["message"]
    case = Case.objects.get(external_id="421303202609050100004")
    assert case.kind == "complaint" and case.complainant.phone == "13872260001" and case.category == "beauty"
    assert case.respondent.name == "随州市曾都区丽人坊美容美发店" and str(case.amount) == "2623.00"


def test_the_error_report_lists_the_bad_rows_in_excel(bureau):
    run = _import()
    r = login("xiaobao").get(f"/intake/import/{run.pk}/errors.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("行号", "登记编号", "列", "错误说明")
    assert sorted({row[0] for row in rows[1:]}) == [13, 25, 38]
    assert any(row[2] == "联系电话" for row in rows[1:])


def test_importing_the_same_file_again_changes_nothing(bureau):
    _import()
    counts = (Case.objects.count(), Event.objects.count())
    run = _import()
    assert (run.created, run.updated, run.unchanged, run.failed) == (0, 0, 47, 3)
    assert (Case.objects.count(), Event.objects.count()) == counts


def _one_row_file(**changes) -> bytes:
    row = {"登记编号": "4213032026110100001", "登记时间": "2026-11-01 09:30", "类型": "投诉", "投诉人姓名": "王芳",
           "联系电话": "13972210001", "联系地址": "随州市曾都区西城街道烈山大道1号", "被投诉人名称": "随州市曾都区万和生活超市",
           "被投诉人地址": "随州市曾都区洛阳镇洛阳街49号", "统一社会信用代码": "", "投诉内容": "购买的牛奶已过保质期。",
           "诉求": "退货退款", "涉案金额": "59.00", "商品服务类别": "食品"}
    row.update(changes)
    wb = Workbook()
    wb.active.append(HEADERS)
    wb.active.append([row[h] for h in HEADERS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_changed_row_updates_a_registered_item_with_an_import_update_event(bureau):
    _import(_one_row_file())
    run = _import(_one_row_file(投诉内容="购买的牛奶已过保质期，另有一盒胀袋。", 涉案金额="118.00"))
    assert (run.created, run.updated, run.unchanged) == (0, 1, 0)
    case = Case.objects.get(external_id="4213032026110100001")
    assert case.facts == "购买的牛奶已过保质期，另有一盒胀袋。" and str(case.amount) == "118.00"
    event = Event.objects.get(case=case, action="import_update")
    assert event.data["changes"]["amount"] == {"old": "59.00", "new": "118.00"}


def test_an_item_already_in_handling_is_left_as_it_is_and_reported(bureau, api):
    _import(_one_row_file())
    case = Case.objects.get(external_id="4213032026110100001")
    assert api("xiaobao").act(case.pk, "submit_for_triage").status_code == 200
    run = _import(_one_row_file(投诉内容="平台上改过的内容"))
    assert (run.updated, run.unchanged) == (0, 1)
    assert "已在办理中" in run.notes[0]["message"]
    case.refresh_from_db()
    assert case.facts == "购买的牛奶已过保质期。"


def test_a_file_that_is_not_an_export_fails_as_a_whole(bureau):
    run = _import(b"not an excel file", name="x.csv")
    assert run.status == "failed" and "Excel" in run.message


def test_the_command_runs_the_same_import(bureau):
    out = io.StringIO()
    call_command("import_12315", str(SAMPLE_PATH), "--as", "xiaobao", stdout=out)
    assert "新登记 47" in out.getvalue() and "失败 3" in out.getvalue() and "第 13 行" in out.getvalue()
    run = ImportRun.objects.get()
    assert run.started_by.username == "xiaobao" and run.created == 47
    call_command("import_12315", str(SAMPLE_PATH), stdout=io.StringIO())
    assert Case.objects.filter(channel="platform_12315").count() == 47


def test_the_import_page_runs_a_small_file_and_shows_the_totals(bureau):
    page = login("xiaobao")
    with SAMPLE_PATH.open("rb") as f:
        r = page.post("/intake/import/", {"file": f})
    assert r.status_code == 302
    run = ImportRun.objects.get()
    assert r["Location"] == f"/intake/import/{run.pk}/"
    html = page.get(r["Location"]).content.decode()
    assert 'data-total="created">47<' in html and 'data-total="failed">3<' in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert "下载错误报告" in html


def test_a_running_import_polls_for_progress(bureau):
    run = ImportRun.objects.create(file_name="big.xlsx", started_at="2026-11-25T10:00:00+08:00", total_rows=1000,
                                   rows_done=250)
    page = login("xiaobao")
    html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html and "250" in html
    fragment = page.get(f"/intake/import/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="import-progress"')


def test_only_dispatchers_may_import(bureau):
    assert login("nanjiao").get("/intake/import/").status_code == 403
