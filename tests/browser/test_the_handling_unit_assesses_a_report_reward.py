"""稽查分局 assesses the 举报奖励 of a report it filed and penalised, on the item's page: a missing condition is
named in place with what was typed kept, then the amount is shown (《市场监管领域重大违法行为举报奖励暂行办法》)."""

import io

import pytest
from playwright.sync_api import expect

from tests.browser.support import login
from tests.conftest import report_body
from tests.mediation.conftest import PDF
from xiaobao.cases import services
from xiaobao.intake import services as intake

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def penalised_report(staff):
    body = report_body(received_at=None)
    body["complainant"] = {**body["complainant"], "wants_reward": True}
    case, _ = services.register_case(actor=staff["xiaobao"], data=body)
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "jicha"})
    services.approve(actor=staff["fenguan"], case_id=case.pk, body={})
    services.begin_verification(actor=staff["jicha"], case_id=case.pk)
    services.perform(actor=staff["jicha"], case_id=case.pk, action="file",
                     body={"note": "立案调查", "penalty_case_number": "曾市监立〔2026〕12号"})
    services.approve(actor=staff["juzhang"], case_id=case.pk, body={"note": "同意立案"})
    pdf = io.BytesIO(PDF)
    pdf.name = "处罚决定书.pdf"
    attachment = intake.attach_file(actor=staff["jicha"], case_id=case.pk, upload=pdf, name="处罚决定书.pdf")
    services.perform(actor=staff["jicha"], case_id=case.pk, action="upload_penalty_decision",
                     body={"attachment": attachment.pk})
    return case


def test_the_handling_unit_assesses_a_report_reward(page, staff):
    case = penalised_report(staff)
    login(page, "jicha")
    page.goto(f"/cases/{case.pk}/")
    card = page.locator("#reward")
    expect(card.get_by_role("heading", name="认定举报奖励")).to_be_visible()
    card.get_by_label("奖励等级").select_option("1")
    card.get_by_label("罚没款（元）").fill("120000.00")
    for label in ("属于举报奖励范围的重大违法行为", "经查处结案并被行政处罚", "举报人为自然人", "举报人不是市场监督管理部门",
                  "举报人不是违法行为的直接受害人", "举报人不是违法行为人"):
        card.get_by_label(label).check()
    card.get_by_label("有明确的被举报对象").check()
    card.get_by_role("button", name="确认认定举报奖励").click()
    expect(card).to_contain_text("不符合奖励条件：举报内容事先未被市场监督管理部门掌握。")
    expect(card.get_by_label("罚没款（元）")).to_have_value("120000.00")  # what was typed is kept
    card.get_by_label("举报内容事先未被市场监督管理部门掌握").check()
    card.get_by_role("button", name="确认认定举报奖励").click()
    expect(card).to_contain_text("6000.00 元")
    expect(card).to_contain_text("待告知举报人")
    expect(card.get_by_role("heading", name="告知举报人")).to_be_visible()
