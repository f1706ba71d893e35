"""Refused input is shown where it was typed (issue 18, points 1 and 8): every action form of the item page, the
panels on it, the triage batch, the registration form and the portal answer a refusal with the server's Chinese
message beside the form, and keep what was typed."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import complaint_for_nanjiao, login, open_action, report_awaiting_routing_approval
from tests.browser.test_a_consumer_files_a_complaint_on_the_portal_and_tracks_it import answer
from tests.conftest import complaint_body
from xiaobao.cases import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PANEL = "#action-panel"
KEPT = "保留的文字"

# For each control of the open action form: whether the server requires it (its label ends with " *"), what it
# is, and whether it can be left empty (a select without an empty option always sends a value).
CONTROLS = """(panel) => Array.from(panel.querySelectorAll('.field')).map((field) => {
  const label = field.querySelector('label');
  const controls = Array.from(field.querySelectorAll('input, select, textarea'));
  const c = controls[0];
  return {
    label: label ? label.textContent.trim() : '', required: !!label && label.textContent.trim().endsWith('*'),
    id: c ? c.id : '', tag: c ? c.tagName.toLowerCase() : '', type: c ? (c.type || '') : '',
    group: controls.length > 1 && c.type === 'checkbox', searches: !!(c && c.getAttribute('hx-get')),
    blankable: !!c && (c.tagName !== 'SELECT' || c.options.length === 0
                       || Array.from(c.options).some((o) => o.value === '')),
  };
})"""


def walk_error_paths(page: Page) -> set[str]:
    """Open every action of the item's page; a form with a required field that can be left empty is sent with
    it empty and every optional text filled in. The panel must show the server's message beside the form with what was typed
    still there. Returns the actions walked."""
    walked = set()
    links = page.locator("section.actions a[data-action]")
    actions = [(links.nth(i).get_attribute("data-action"), links.nth(i).inner_text()) for i in range(links.count())]
    for action, label in actions:
        open_action(page, label)
        controls = page.locator(PANEL).evaluate(CONTROLS)
        if not any(c["required"] and c["blankable"] for c in controls):
            continue
        panel = page.locator(PANEL)
        typed = {}
        for c in controls:
            field = panel.locator(f"#{c['id']}")
            if c["required"] and c["blankable"]:
                if c["group"]:
                    boxes = panel.locator(f"input[name='{field.get_attribute('name')}']")
                    for i in range(boxes.count()):
                        boxes.nth(i).uncheck()
                elif c["tag"] == "select":
                    if field.locator("option").count():
                        field.select_option("")
                else:
                    field.fill("")
            elif not c["required"] and (c["tag"] == "textarea" or c["type"] == "text") and not c["searches"]:
                typed[c["id"]] = f"{KEPT}：{label}"
                field.fill(typed[c["id"]])
        page.get_by_role("button", name=f"确认{label}").click()
        error = panel.locator(".has-error .error[role=alert]").first
        expect(error).to_be_visible()
        expect(error).to_contain_text("必填")
        expect(panel.locator("h3")).to_have_text(label)
        for control_id, value in typed.items():
            expect(panel.locator(f"#{control_id}")).to_have_value(value)
        # The keyboard is put in the first field the server found wrong.
        expect(panel.locator(".has-error :is(input, select, textarea)").first).to_be_focused()
        walked.add(action)
    return walked


def test_every_action_form_of_the_item_page_shows_its_errors_in_place_and_keeps_what_was_typed(page, staff):
    # 消保股's clerk on an item in the triage queue, and on an inquiry.
    triage, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=triage.pk)
    inquiry, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(kind="inquiry", received_at=None))
    login(page, "xiaobao")
    walked = set()
    for case in (triage, inquiry):
        page.goto(f"/cases/{case.pk}/")
        walked |= walk_error_paths(page)
    page.get_by_role("button", name="退出").click()

    # The deputy director on a report waiting for the routing approval.
    report = report_awaiting_routing_approval(staff)
    login(page, "fenguan")
    page.goto(f"/cases/{report.pk}/")
    walked |= walk_error_paths(page)
    page.get_by_role("button", name="退出").click()

    # 南郊所's handler on a complaint assigned, then accepted; on the report being verified, then filed.
    complaint = complaint_for_nanjiao(staff)
    services.perform(actor=staff["fenguan"], case_id=report.pk, action="approve", body={})
    login(page, "nanjiao")
    page.goto(f"/cases/{complaint.pk}/")
    walked |= walk_error_paths(page)
    services.perform(actor=staff["nanjiao"], case_id=complaint.pk, action="accept", body={})
    page.goto(f"/cases/{complaint.pk}/")
    walked |= walk_error_paths(page)
    services.perform(actor=staff["nanjiao"], case_id=report.pk, action="begin_verification", body={})
    page.goto(f"/cases/{report.pk}/")
    walked |= walk_error_paths(page)
    services.perform(actor=staff["nanjiao"], case_id=report.pk, action="file", body={})
    services.perform(actor=staff["juzhang"], case_id=report.pk, action="approve", body={})  # filing is the head's
    page.goto(f"/cases/{report.pk}/")
    walked |= walk_error_paths(page)

    assert walked >= {
        "assign", "refer_elsewhere", "split", "answer", "reject_approval", "return", "record_contact",
        "open_consultation", "request_visit", "record_visit", "request_id", "open_report", "entrust",
        "decline_filing", "record_verification", "reply", "upload_penalty_decision", "assess_consumer_purpose",
        "follow_up",
    }


def test_the_four_refusals_of_issue_18_show_beside_their_fields(page, staff):
    """A mediation time in the future, an amount typed "2999元", 终止调解 without a ground, a fake PDF."""
    case = complaint_for_nanjiao(staff)
    services.perform(actor=staff["nanjiao"], case_id=case.pk, action="accept", body={})
    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    panel = page.locator(PANEL)

    open_action(page, "调解记录")
    panel.get_by_label("调解时间").fill("2099-01-01T10:00")
    panel.get_by_label("地点或平台").fill("南郊所调解室")
    page.get_by_role("button", name="确认调解记录").click()
    expect(panel.locator(".has-error")).to_contain_text("调解时间不能晚于现在")
    expect(panel.get_by_label("调解时间")).to_have_value("2099-01-01T10:00")
    expect(panel.get_by_label("地点或平台")).to_have_value("南郊所调解室")

    open_action(page, "调解结果")
    panel.get_by_label("调解结果").select_option(label="调解成功")
    panel.get_by_label("挽回经济损失（元）").fill("2999元")
    panel.get_by_label("调解协议内容").fill("商家退还货款2999元。")
    page.get_by_role("button", name="确认调解结果").click()
    expect(panel.locator(".has-error")).to_contain_text("挽回金额应为非负数字")
    expect(panel.get_by_label("挽回经济损失（元）")).to_have_value("2999元")
    expect(panel.get_by_label("调解协议内容")).to_have_value("商家退还货款2999元。")
    expect(panel.get_by_label("挽回经济损失（元）")).to_be_focused()

    panel.get_by_label("调解结果").select_option(label="终止调解")
    panel.get_by_label("挽回经济损失（元）").fill("")
    panel.get_by_label("调解协议内容").fill("")
    panel.get_by_label("说明").fill("被投诉人拒绝调解")
    page.get_by_role("button", name="确认调解结果").click()
    ground = panel.locator(".has-error", has=page.get_by_label("终止调解理由"))
    expect(ground.get_by_role("alert")).to_contain_text("请")
    expect(panel.get_by_label("说明")).to_have_value("被投诉人拒绝调解")
    expect(panel.get_by_label("调解结果")).to_have_value("terminated")
    expect(page.locator(".head .state")).to_have_text("办理中")  # nothing was concluded

    # An attachment sent without a file: the reason shows in the panel, not a browser tooltip.
    attachments = page.locator("#attachments")
    attachments.get_by_role("button", name="上传", exact=True).click()
    expect(attachments.get_by_role("alert")).to_have_text("请选择要上传的文件。")


def test_a_record_said_to_happen_in_the_future_is_refused_beside_its_time(page, staff):
    """Issue 18, point 6: records of facts take when they happened, never later than now; a pause goes back no
    further than the previous line of the timeline."""
    case = complaint_for_nanjiao(staff)
    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    panel = page.locator(PANEL)

    open_action(page, "联系记录")
    panel.get_by_label("联系内容").fill("电话联系投诉人，约定周三调解")
    panel.get_by_label("发生时间").fill("2099-01-01T10:00")
    page.get_by_role("button", name="确认联系记录").click()
    occurred = panel.locator(".has-error", has=page.get_by_label("发生时间"))
    expect(occurred.get_by_role("alert")).to_contain_text("发生时间不能晚于现在")
    expect(panel.get_by_label("发生时间")).to_have_value("2099-01-01T10:00")
    expect(panel.get_by_label("联系内容")).to_have_value("电话联系投诉人，约定周三调解")
    expect(panel.get_by_label("发生时间")).to_be_focused()

    # Before the item came in (its receipt is the registration, a minute ago at most): refused too.
    panel.get_by_label("发生时间").fill("2020-01-01T10:00")
    page.get_by_role("button", name="确认联系记录").click()
    expect(occurred.get_by_role("alert")).to_contain_text("发生时间不能早于该件的接收时间")

    # A decision asks no time: the server's.
    open_action(page, "受理")
    expect(panel.get_by_label("发生时间")).to_have_count(0)


def test_a_fake_pdf_sent_as_the_penalty_decision_is_refused_beside_the_form(page, staff):
    report = report_awaiting_routing_approval(staff)
    services.perform(actor=staff["fenguan"], case_id=report.pk, action="approve", body={})
    services.perform(actor=staff["nanjiao"], case_id=report.pk, action="begin_verification", body={})
    services.perform(actor=staff["nanjiao"], case_id=report.pk, action="file", body={})
    services.perform(actor=staff["juzhang"], case_id=report.pk, action="approve", body={})  # filing is the head's
    login(page, "nanjiao")
    page.goto(f"/cases/{report.pk}/")
    workspace = page.locator("#workspace")
    workspace.get_by_label("决定书文号").fill("曾市监处罚〔2026〕8号")
    workspace.get_by_label("处罚决定书（PDF）").set_input_files(
        files=[{"name": "处罚决定书.pdf", "mimeType": "application/pdf", "buffer": "这不是PDF".encode()}])
    workspace.get_by_role("button", name="上报处罚决定书").click()
    expect(workspace.get_by_role("alert")).to_have_text("处罚决定书应为 PDF 文件。")
    expect(workspace.get_by_label("决定书文号")).to_have_value("曾市监处罚〔2026〕8号")
    expect(page).to_have_url(re.compile(rf"/cases/{report.pk}/$"))  # still on the item's page
    expect(page.locator("#attachments")).not_to_contain_text("处罚决定书.pdf")


def test_a_form_answered_with_a_whole_error_page_says_why_and_keeps_the_form(page, staff):
    """The item went to another station meanwhile: the 404 page is not swapped in, its reason is shown on top
    of the open form, which keeps what was typed."""
    case = complaint_for_nanjiao(staff)
    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    open_action(page, "联系记录")
    page.get_by_label("联系内容").fill("电话联系投诉人，约定周三调解")
    services.perform(actor=staff["nanjiao"], case_id=case.pk, action="return", body={"reason": "不属本所辖区"})
    services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-dongcheng", "note": "改派东城所"})
    page.get_by_role("button", name="确认联系记录").click()
    panel = page.locator(PANEL)
    expect(panel.locator(".htmx-error")).to_have_text("未找到：未找到该页面或该件，或者您无权查看。")
    expect(page.get_by_label("联系内容")).to_have_value("电话联系投诉人，约定周三调解")
    expect(page.locator("header.top")).to_have_count(1)  # no page inside the page


def test_a_batch_with_an_item_routed_meanwhile_says_which_and_keeps_the_rest_ticked(page, staff):
    first, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=first.pk)
    login(page, "xiaobao")
    page.goto("/triage/")
    page.get_by_label(f"选择 {first.number}").check()
    page.get_by_label("分流意见").fill("属地分流，请尽快办理")
    services.assign(actor=staff["xiaobao"], case_id=first.pk, body={"unit": "st-dongcheng", "note": "已先分流"})
    page.get_by_role("button", name="分流所选件").click()
    alert = page.locator("form .error[role=alert]").first
    expect(alert).to_contain_text("未能分流 1 件")
    expect(alert).to_contain_text(first.number)
    expect(page.get_by_label("分流意见")).to_have_value("属地分流，请尽快办理")


def test_the_registration_form_shows_a_missing_phone_beside_the_field_and_keeps_the_rest(page, staff):
    login(page, "xiaobao")
    page.goto("/cases/new/")
    page.get_by_label("投诉举报人姓名").fill("张伟")
    page.get_by_label("被投诉（举报）人名称").fill("曾都区鑫达电器商行")
    page.get_by_label("事实与理由 / 咨询问题").fill("空调不制冷，商家拒绝退换。")
    page.get_by_label("涉案金额（元）").fill("3299元")
    page.get_by_role("button", name="保存并取号（Alt+S）").click()
    expect(page.locator(".has-error").first.get_by_role("alert")).to_be_visible()
    expect(page.locator(".has-error", has=page.locator("#id_complainant_phone"))).to_contain_text("联系电话")
    expect(page.get_by_label("投诉举报人姓名")).to_have_value("张伟")
    expect(page.get_by_label("事实与理由 / 咨询问题")).to_have_value("空调不制冷，商家拒绝退换。")
    expect(page.get_by_label("涉案金额（元）")).to_have_value("3299元")


def test_the_portal_complaint_form_shows_what_is_missing_and_keeps_what_was_typed(page):
    page.goto("/portal/")
    page.get_by_role("link", name="我要投诉", exact=True).click()
    page.get_by_label("您的姓名").fill("赵敏")
    page.get_by_label("投诉事实").fill("牛奶已过保质期，要求退款被拒。")
    page.get_by_label("涉及金额（元）").fill("59.8元")
    question = page.locator("label[for='id_answer']").inner_text()
    page.get_by_label(question).fill(answer(question))
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我要投诉")
    expect(page.locator(".has-error").first.get_by_role("alert")).to_be_visible()
    expect(page.locator(".has-error", has=page.get_by_label("联系电话"))).to_be_visible()
    expect(page.get_by_label("您的姓名")).to_have_value("赵敏")
    expect(page.get_by_label("投诉事实")).to_have_value("牛奶已过保质期，要求退款被拒。")
