"""The 南郊所 handler delivers the 受理通知书 to a complainant who agreed to electronic delivery: by SMS (sent by
the system, its message id kept), then by letter, which comes back; the panel offers another channel and the
call that reaches the person is recorded (SAMR-2026 总局令第121号: delivery and its proof recorded)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login
from tests.conftest import complaint_body
from xiaobao.cases import services
from xiaobao.documents import services as documents

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONSENTING = {**complaint_body()["complainant"], "e_delivery_consent": True, "e_delivery_email": "zhangwei@example.cn"}


def test_the_handler_delivers_by_sms_marks_a_letter_returned_and_delivers_again_by_phone(page, staff, screenshot):
    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None,
                                                                                 complainant=CONSENTING))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao", "note": "属地分流"})
    services.accept(actor=staff["nanjiao"], case_id=case.pk)
    notice = documents.issue_document(actor=staff["nanjiao"], case_id=case.pk, doc_type="acceptance_notice")

    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#e-delivery-consent")).to_contain_text("同意 · 短信 13800000001")
    panel = page.locator("#documents-panel")
    document = panel.locator(f"#document-{notice.pk}")
    form = document.locator("form.deliver-form")
    form.locator("select[name=channel]").select_option("sms")
    assert_accessible(page)
    form.get_by_role("button", name="送达").click()
    sms = document.locator(".delivery[data-channel='sms']")
    expect(sms).to_contain_text("以短信送达投诉举报人（13800000001）")
    expect(sms).to_contain_text("已送达")
    expect(sms).to_contain_text("凭证：消息编号 console-")

    form = document.locator("form.deliver-form")
    form.locator("select[name=channel]").select_option("letter")
    form.get_by_label("凭证").fill("EMS 1190000000009")
    form.locator("select[name=succeeded]").select_option("pending")
    form.get_by_role("button", name="送达").click()
    letter = document.locator(".delivery[data-channel='letter']")
    expect(letter).to_contain_text("待确认")
    outcome = letter.locator("form.outcome-form")
    outcome.locator("select[name=succeeded]").select_option("false")
    outcome.get_by_role("button", name="记录结果").click()
    expect(document.locator(".delivery[data-channel='letter'] [role='alert']")).to_contain_text("请填写退回原因")
    outcome = document.locator(".delivery[data-channel='letter'] form.outcome-form")
    outcome.get_by_label("回执或退回原因").fill("退回：查无此人")
    outcome.locator("select[name=succeeded]").select_option("false")
    outcome.get_by_role("button", name="记录结果").click()
    letter = document.locator(".delivery[data-channel='letter']")
    expect(letter).to_contain_text("未送达")
    expect(letter).to_contain_text("退回：查无此人")

    letter.get_by_role("link", name="改用其他方式送达").click()
    form = document.locator("form.deliver-form")
    expect(form).to_contain_text("改用其他方式送达")
    form.locator("select[name=channel]").select_option("phone")
    form.get_by_label("凭证").fill("通话记录 10:05")
    form.get_by_role("button", name="送达").click()
    call = document.locator(".delivery[data-channel='phone']")
    expect(call).to_contain_text("已送达")
    expect(call).to_contain_text("重新送达")
    expect(document.get_by_role("link", name="改用其他方式送达")).to_have_count(0)
    screenshot(page, "document-deliveries")
    page.reload()
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("（原信函送达未成功，改用电话）受理通知书")
    expect(timeline).to_contain_text("送达结果")
    expect(timeline).not_to_contain_text("清河路8号")  # the address stays off the timeline
