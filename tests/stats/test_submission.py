"""A unit's monthly submission (rules 一.3(3), 二.6): review, pick typical cases, submit; 消保股 sees it."""

from __future__ import annotations

import subprocess
from io import BytesIO

from openpyxl import load_workbook

from tests.stats.test_pages import browser
from xiaobao.cases.models import Case
from xiaobao.records.models import AuditEntry
from xiaobao.stats.models import MonthlySubmission

PAGE = "/stats/submission/?month=2026-03&unit=st-nanjiao"
WRITE_UP = "空调安装后不制冷，经调解商家同意退货退款，挽回损失3299元。"


def submit(client, march, write_up: str = WRITE_UP, note: str = "本月无异常"):
    return client.post(PAGE, {"typical": [str(march.a)], f"write_up_{march.a}": write_up, "note": note})


def test_a_unit_reviews_its_month_and_submits_a_typical_case(march):
    nanjiao = browser("nanjiao")
    page = nanjiao.get(PAGE)
    assert page.status_code == 200
    # Only the unit's items concluded in March can be picked: A (mediated) and B (not accepted).
    assert [c.pk for c, _, _ in page.context["items"]] == [march.b, march.a]
    assert page.context["figures"]["received"]["total"] == 3

    r = submit(nanjiao, march)
    assert r.status_code == 302
    s = MonthlySubmission.objects.get()
    assert (s.unit.code, s.month, s.version, s.submitted_by.username) == ("st-nanjiao", "2026-03", 1, "nanjiao")
    assert s.figures["amount_recovered"] == "800.00"
    assert [(t.case_id, t.write_up) for t in s.typical_cases.all()] == [(march.a, WRITE_UP)]
    assert AuditEntry.objects.filter(action="submit_monthly_stats", object="stats:2026-03:st-nanjiao").exists()


def test_a_resubmission_is_a_new_version_and_keeps_the_first(march):
    nanjiao = browser("nanjiao")
    submit(nanjiao, march)
    submit(nanjiao, march, write_up="修改后的简介", note="补充说明")
    versions = list(MonthlySubmission.objects.order_by("version").values_list("version", "note"))
    assert versions == [(1, "本月无异常"), (2, "补充说明")]
    overview = browser("xiaobao").get("/stats/submissions/", {"month": "2026-03"})
    [(unit, current)] = [(u, s) for u, s in overview.context["rows"] if s]
    assert (unit.code, current.version) == ("st-nanjiao", 2)


def test_only_concluded_items_of_the_unit_can_be_typical(march):
    nanjiao = browser("nanjiao")
    for other in (march.c, march.i):  # C is still in mediation; the inquiry was 消保股's
        r = nanjiao.post(PAGE, {"typical": [str(other)], f"write_up_{other}": "x"})
        assert r.status_code == 422
        assert "只能从本单位当月办结的件中选取" in r.content.decode()
    r = nanjiao.post(PAGE, {"typical": [str(march.a)], f"write_up_{march.a}": ""})
    assert r.status_code == 422 and "请为选取的典型案例填写案例简介" in r.content.decode()
    assert not MonthlySubmission.objects.exists()


def test_the_dispatcher_sees_who_submitted_and_each_submission(march):
    submit(browser("nanjiao"), march)
    xiaobao = browser("xiaobao")
    overview = xiaobao.get("/stats/submissions/", {"month": "2026-03"})
    assert overview.status_code == 200
    page = overview.content.decode()
    assert "已上报 1 / " in page and "未上报" in page
    s = MonthlySubmission.objects.get()
    detail = xiaobao.get(f"/stats/submissions/{s.pk}/")
    assert detail.status_code == 200
    assert WRITE_UP in detail.content.decode() and Case.objects.get(pk=march.a).number in detail.content.decode()


def test_another_unit_can_neither_submit_nor_see_the_draft(march):
    dongcheng = browser("dongcheng")
    assert dongcheng.get(PAGE).status_code == 403
    assert submit(dongcheng, march).status_code == 403
    assert not MonthlySubmission.objects.exists()
    submit(browser("nanjiao"), march)
    assert dongcheng.get(f"/stats/submissions/{MonthlySubmission.objects.get().pk}/").status_code == 404
    assert dongcheng.get("/stats/submissions/", {"month": "2026-03"}).status_code == 403
    # Their own unit's page is theirs.
    assert dongcheng.get("/stats/submission/", {"month": "2026-03"}).status_code == 200


def test_the_bureau_workbook_lists_the_typical_cases(march):
    submit(browser("nanjiao"), march)
    r = browser("xiaobao").get("/stats/monthly.xlsx", {"month": "2026-03"})
    sheet = load_workbook(BytesIO(r.content))["典型案例"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(row[0], row[1], row[3], row[4]) for row in rows] == [
        ("南郊所", Case.objects.get(pk=march.a).number, "调解成功", WRITE_UP)]


def test_the_pdf_report_names_the_bureau_and_the_month(march, tmp_path):
    submit(browser("nanjiao"), march)
    r = browser("xiaobao").get("/stats/monthly.pdf", {"month": "2026-03"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],  # noqa: S603, S607
                          capture_output=True, text=True, check=True).stdout
    assert "曾都区市场监督管理局" in text
    assert "2026年3月" in text
    assert "挽回损失3299元" in text  # the typical case's write-up
    assert AuditEntry.objects.filter(action="export_stats", detail__format="pdf").exists()
