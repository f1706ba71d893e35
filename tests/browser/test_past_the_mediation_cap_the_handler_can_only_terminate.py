"""Rules 二.2, 二.4; SAMR-2026 第二十三条: a complaint accepted 75 days ago is past its 60-day cap. The 南郊所
handler who tries to record an agreement is told the cap's date, and ends mediation on the time-limit ground."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.support import complaint_for_nanjiao, confirm_action, login, open_action
from xiaobao.cases import services
from xiaobao.clocks.models import Clock
from xiaobao.lib import timeutil

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_past_the_cap_an_agreement_is_refused_and_mediation_ends_on_the_time_limit(page, staff):
    with timeutil.at(timeutil.now() - timedelta(days=75)):
        case = complaint_for_nanjiao(staff)
        services.accept(actor=staff["nanjiao"], case_id=case.pk)
    cap = Clock.objects.get(case=case, name="mediation_cap").due
    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"投诉 {case.number}")

    open_action(page, "调解结果")
    page.get_by_label("调解结果").select_option(label="调解成功")
    page.get_by_label("调解协议内容").fill("商家退还货款。")
    page.get_by_role("button", name="确认调解结果").click()
    refusal = page.locator("#action-panel .error")
    expect(refusal).to_contain_text(f"调解终结期限已于 {cap:%Y-%m-%d} 届满")
    expect(refusal).to_contain_text("终止调解")
    expect(page.locator(".head .state")).to_have_text("办理中")

    page.get_by_label("调解结果").select_option(label="终止调解")
    page.get_by_label("终止调解理由").select_option(value="time_limit")
    page.get_by_label("说明").fill("60日内未达成调解协议")
    confirm_action(page, "调解结果")
    head = page.locator(".head")
    expect(head.locator(".state")).to_have_text("已办结")
    expect(head).to_contain_text("终止调解")
