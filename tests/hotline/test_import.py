"""The hotline's work-order export imported (docs/12345-bridge.md): each row as through the API, idempotent by
the order number, every bad row named with its row and column; the file checked as the 12315 import checks it."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.test import Client
from openpyxl import Workbook

from tests.conftest import PASSWORD
from tests.hotline.conftest import ok
from tests.security.test_spreadsheet_bomb import BOMB

HEADER = ("工单编号", "派单时间", "工单类别", "工单标题", "工单内容", "诉求", "来电人", "来电号码", "来电人地址",
          "被反映对象", "被反映地址", "签收时限", "办结时限", "备注")
GOOD = ("SZ-0001", datetime(2026, 3, 2, 9, 0), "投诉", "空调不制冷", "来电人反映在某电器商行购买空调不制冷，商家拒绝退换。",
        "退货退款", "张伟", "13800000001", "曾都区南郊街道清河路8号", "曾都区鑫达电器商行", "曾都区南郊街道白云大道18号",
        datetime(2026, 3, 3, 9, 0), date(2026, 3, 16), "")


def export(*rows: tuple, title: bool = True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(("随州市12345政务服务便民热线工单导出",))
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, data: bytes, user: str = "xiaobao", name: str = "工单.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return api(user).client.post("/api/v1/hotline/import", {"file": f}, **api(user).headers)


def test_rows_become_items_once(api, clock):
    text_times = ("SZ-0002", "2026/03/02 09:30", "咨询", "七日无理由退货运费", "网购退货运费由谁承担？", "", "王芳",
                  "13700000003", "曾都区西城街道", "", "", "2026-03-03 09:30", "2026/3/6", "")
    result = ok(upload(api, export(GOOD, text_times)))
    assert (result["created"], result["existing"], result["failed"]) == (2, 0, [])
    item = ok(api("xiaobao").get("/api/v1/hotline/orders/SZ-0001"))
    assert item["kind"] == "complaint" and item["received_at"] == "2026-03-02T09:00:00+08:00"
    assert item["hotline"]["sign_due"] == "2026-03-03T09:00:00+08:00" and item["hotline"]["finish_due"] == "2026-03-16"
    inquiry = ok(api("xiaobao").get("/api/v1/hotline/orders/SZ-0002"))
    assert inquiry["kind"] == "inquiry" and inquiry["hotline"]["finish_due"] == "2026-03-06"
    again = ok(upload(api, export(GOOD, text_times)))
    assert (again["created"], again["existing"]) == (0, 2)
    assert ok(api("xiaobao").get("/api/v1/cases"))["count"] == 2


def test_a_bad_row_is_named_and_the_others_go_in(api, clock):
    bad = ("SZ-0003", "前天", "投诉", "", "内容", "", "李四", "", "", "某店", "某地", "", "2026-03-16", "")
    result = ok(upload(api, export(bad, GOOD)))
    assert result["created"] == 1 and len(result["failed"]) == 1
    failed = result["failed"][0]
    assert (failed["row"], failed["order_no"]) == (3, "SZ-0003")
    columns = {e["column"] for e in failed["errors"]}
    assert {"派单时间", "工单标题", "来电号码", "来电人地址", "签收时限"} <= columns


def test_a_file_that_is_not_an_order_export_is_refused(api, clock):
    r = upload(api, b"not a spreadsheet", name="x.xlsx")
    assert r.status_code == 422 and "12345" in r.json()["errors"][0]["message"]
    book = Workbook()
    book.active.append(("姓名", "电话"))
    out = io.BytesIO()
    book.save(out)
    r = upload(api, out.getvalue())
    assert r.status_code == 422 and "工单编号" in r.json()["errors"][0]["message"]


def test_the_spreadsheet_bomb_is_refused_before_it_is_read(api, clock):
    r = upload(api, BOMB, name="bomb.xlsx")
    assert r.status_code == 422 and "表格范围过大" in r.json()["errors"][0]["message"]


def test_only_dispatchers_import(api, clock):
    assert upload(api, export(GOOD), user="nanjiao").status_code == 403
    assert ok(api("xiaobao").get("/api/v1/cases"))["count"] == 0


def test_the_import_page(api, clock):
    client = Client()
    assert client.post("/login/", {"username": "xiaobao", "password": PASSWORD}).status_code == 302
    assert "12345工单导入" in client.get("/hotline/import/").content.decode()
    f = io.BytesIO(export(GOOD))
    f.name = "工单.xlsx"
    page = client.post("/hotline/import/", {"file": f}).content.decode()
    assert 'data-total="created">1<' in page


def test_the_bulk_path_registers_what_the_row_path_registers(api, clock, monkeypatch):
    from xiaobao.hotline import bulk, importer
    from xiaobao.units.models import Staff

    monkeypatch.setattr(bulk, "BATCH", 2)  # several batches, one repeat across a batch boundary
    report = ("{p}-3", datetime(2026, 3, 2, 8, 0), "举报", "销售过期食品", "某副食店销售过期散装白酒。", "", "", "", "",
              "曾都区惠民副食批发部", "曾都区南郊街道两水路5号", datetime(2026, 3, 3, 8, 0), date(2026, 3, 16), "")
    inquiry = ("{p}-4", "2026/03/02 09:30", "求助", "退货运费", "网购退货运费由谁承担？", "", "王芳", "13700000003",
               "曾都区西城街道", "", "", "2026-03-03 09:30", "2026/3/6", "")
    bad = ("{p}-5", "2026-03-02 09:00", "投诉", "缺电话", "内容", "", "李四", "", "地址", "某店", "某地",
           "2026-03-03 09:00", "2026-03-16", "")

    def rows(prefix: str) -> list[tuple]:
        good = (f"{prefix}-1", *GOOD[1:])
        out = [good, (f"{prefix}-2", *GOOD[1:]), good, report, inquiry, bad]
        return [(row[0].format(p=prefix), *row[1:]) for row in out]

    xiaobao = Staff.objects.get(username="xiaobao")
    results = {}
    for prefix, use_bulk in (("B", True), ("R", False)):
        r = importer.import_file(actor=xiaobao, file_name="x.xlsx", data=export(*rows(prefix)), bulk=use_bulk)
        results[prefix] = (len(r.created), sorted(r.existing), [(f["row"], [e["field"] for e in f["errors"]])
                                                                for f in r.failed])
    assert results["B"] == (4, ["B-1"], [(8, ["requester.phone"])])
    assert results["R"] == (4, ["R-1"], [(8, ["requester.phone"])])

    def seen(order_no: str) -> dict:
        item = ok(api("xiaobao").get(f"/api/v1/hotline/orders/{order_no}"))
        for key in ("id", "number", "external_id"):
            item.pop(key)
        item["hotline"].pop("order_no")
        item["events"] = [{k: v for k, v in e.items() if k != "note"} for e in item["events"]]
        return item

    for n in (1, 2, 3, 4):
        assert seen(f"B-{n}") == seen(f"R-{n}"), n
    # A report without a requester has no reporter at all, on both paths.
    assert seen("B-3")["complainant"] is None and seen("B-4")["kind"] == "inquiry"
