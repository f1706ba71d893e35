"""并案 in the browser: 消保股 finds on a new complaint's page the item of the same matter, merges it into that
primary — refused in place without the consumers' consent, then with it — sees the banner of the merged item, and undoes the merge."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, complaint_for_nanjiao, login
from tests.conftest import complaint_body
from xiaobao.cases import services
from xiaobao.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OTHER_CONSUMER = {"name": "王芳", "phone": "13700000003", "address": "曾都区南郊街道清河路9号", "wants_reply": True}


def test_the_clerk_merges_a_complaint_into_the_same_matter_and_undoes_it(page, staff, screenshot):
    primary = complaint_for_nanjiao(staff)
    other, _ = services.register_case(actor=staff["xiaobao"],
                                      data=complaint_body(received_at=None, complainant=OTHER_CONSUMER))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=other.pk)

    login(page, "xiaobao")
    page.goto(f"/cases/{other.pk}/")
    panel = page.locator("#merging")
    candidate = panel.locator(f'[data-candidate="{primary.number}"]')
    expect(candidate).to_contain_text("同一被投诉（举报）人")
    candidate.get_by_role("link", name="选为主件").click()
    expect(panel.get_by_label("主件编号")).to_have_value(primary.number)
    panel.get_by_label("并案理由").fill("同一商家同一批空调不制冷")
    # Without the consumers' consent the merge is refused in place, with what was typed kept.
    panel.locator('[data-action="merge"]').click()
    expect(panel.get_by_role("alert")).to_contain_text("不同消费者的投诉合并处理须经投诉人同意")
    expect(panel.get_by_label("并案理由")).to_have_value("同一商家同一批空调不制冷")
    panel.get_by_label("投诉人已同意合并处理（不同消费者的投诉须经同意）").check()
    assert_accessible(page)
    panel.locator('[data-action="merge"]').click()

    expect(page.locator(".flash").first).to_contain_text(f"已并案：{other.number}")
    expect(page.locator("#merging .merged-banner")).to_contain_text(f"已并入 {primary.number}")
    expect(page.locator("section.actions [data-action]")).to_have_count(1)  # only 撤销并案
    screenshot(page, "item-merged")
    assert Case.objects.get(pk=other.pk).state == "assigned"

    page.locator("#merging").get_by_label("撤销并案的理由").fill("并错了：不是同一台空调")
    page.locator('#merging [data-action="unmerge"]').click()
    expect(page.locator(".flash").first).to_contain_text(f"已撤销并案：{other.number}")
    expect(page.locator("#merging .merged-banner")).to_have_count(0)
    expect(page.locator('section.actions [data-action="assign"]')).to_be_visible()
    assert Case.objects.get(pk=other.pk).state == "triage"
