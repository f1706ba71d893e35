"""The 举报奖励 panel on an item's page (htmx forms, errors in place), and the 举报奖励审批表 / 发放表 PDFs marked
工作秘密 — for the roles API-v1.md names only; 404 (and no card at all) for everyone else."""

import subprocess

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.mediation.conftest import ok
from tests.rewards.conftest import assess_body, filed_report, reward_url
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.usefixtures("clock")

HTMX = {"HTTP_HX_REQUEST": "true"}


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_reward_panel_assess_with_errors_in_place_then_through_the_procedure(api):
    case_id = filed_report(api)
    handler = login("jicha")
    page = handler.get(f"/cases/{case_id}/").content.decode()
    assert 'id="reward"' in page and "举报奖励" in page
    assert "举报奖励" not in handler.get(f"/cases/{case_id}/print/").content.decode()
    panel = handler.get(f"/rewards/cases/{case_id}/", **HTMX).content.decode()
    assert "认定举报奖励" in panel and "事先未被市场监督管理部门掌握" in panel

    form = {"assess-level": "1", "assess-fines": "120000.00", "assess-in_scope": "on", "assess-key_evidence": "on",
            "assess-penalised": "on", "assess-evidence": "进货单据", "assess-natural_person": "on",
            "assess-not_staff": "on", "assess-not_infringed_party": "on", "assess-not_violator": "on"}
    r = handler.post(f"/rewards/cases/{case_id}/actions/assess/", form, **HTMX)
    assert r.status_code == 422
    text = r.content.decode()
    assert "不符合奖励条件：举报内容事先未被市场监督管理部门掌握。" in text
    assert 'value="120000.00"' in text and "进货单据" in text  # what was typed is kept

    r = handler.post(f"/rewards/cases/{case_id}/actions/assess/", {**form, "assess-not_known": "on"}, **HTMX)
    assert r.status_code == 200
    text = r.content.decode()
    assert "6000.00 元" in text and "待告知举报人" in text and "告知举报人" in text

    clerk = login("xiaobao")
    ok_ = clerk.post(f"/rewards/cases/{case_id}/actions/notify/", {"notify-channel": "phone"}, **HTMX)
    assert ok_.status_code == 200 and "已告知，待申请" in ok_.content.decode()
    r = clerk.post(f"/rewards/cases/{case_id}/actions/apply/",
                   {"apply-payee_name": "别人", "apply-payee_id_number": "421302199001011234"}, **HTMX)
    assert r.status_code == 422 and "领取人姓名应与举报人一致" in r.content.decode()
    r = clerk.post(f"/rewards/cases/{case_id}/actions/apply/",
                   {"apply-payee_name": "李娜", "apply-payee_id_number": "421302199001011234"}, **HTMX)
    assert "奖审〔2026〕001号" in r.content.decode() and "下载举报奖励审批表" in r.content.decode()

    pdf = clerk.get(f"/rewards/cases/{case_id}/forms/approval.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "工作秘密" in text and "举报奖励审批表" in text and "奖审〔2026〕001号" in text and "6000.00" in text
    assert AuditEntry.objects.filter(action="reward_print", case_id=case_id).exists()
    assert clerk.get(f"/rewards/cases/{case_id}/forms/payment.pdf").status_code == 404  # not paid yet

    # Approval page by page: the wrong approver is told who approves.
    r = login("juzhang").post(f"/rewards/cases/{case_id}/actions/approve/", {}, **HTMX)
    assert r.status_code == 403 and "该奖励现由分管局长审批" in r.content.decode()
    assert "确认审批" not in r.content.decode()  # no form offered to the head yet
    login("fenguan").post(f"/rewards/cases/{case_id}/actions/approve/", {"approve-note": "拟同意"}, **HTMX)
    login("juzhang").post(f"/rewards/cases/{case_id}/actions/approve/", {"approve-note": "同意"}, **HTMX)
    r = clerk.post(f"/rewards/cases/{case_id}/actions/pay/",
                   {"pay-method": "bank_transfer", "pay-account_bank": "农行", "pay-account_number": "622848",
                    "pay-account_name": "李娜"}, **HTMX)
    assert r.status_code == 200 and "已发放" in r.content.decode()
    text = pdf_text(clerk.get(f"/rewards/cases/{case_id}/forms/payment.pdf").content)
    assert "举报奖励发放表" in text and "奖发〔2026〕001号" in text and "工作秘密" in text and "非现金" in text


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
                          input=content, capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("username", ["nanjiao", "archivist", "admin"])
def test_reward_pages_answer_404_to_everyone_not_named(api, username):
    case_id = filed_report(api)
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    ok(api("xiaobao").post(reward_url(case_id, "notify")))
    ok(api("xiaobao").post(reward_url(case_id, "apply"), {"payee_name": "李娜", "payee_id_number": "1"}))
    user = login(username)
    assert user.get(f"/rewards/cases/{case_id}/").status_code == 404
    assert user.get(f"/rewards/cases/{case_id}/forms/approval.pdf").status_code == 404
    assert user.post(f"/rewards/cases/{case_id}/actions/notify/", {"notify-channel": "phone"}).status_code == 404
    item = user.get(f"/cases/{case_id}/")
    if item.status_code == 200:  # the archivist sees the item, never its reward card
        assert "举报奖励" not in item.content.decode()


def test_reward_public_pages_have_no_reward(bureau):
    anonymous = Client()
    r = anonymous.get("/rewards/cases/1/")
    assert r.status_code == 302 and "/login/" in r["Location"]
