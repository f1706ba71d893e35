"""Rules 二.1 and SAMR-2019 第十四条: an item waiting in 消保股's triage queue shows its routing period and the
national acceptance period from the bureau's receipt, in the queue and on the item's page (issue 17, point 6)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login
from tests.conftest import complaint_body
from xiaobao.cases import services
from xiaobao.clocks.models import Clock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_triage_queue_and_the_item_page_show_the_routing_and_national_clocks(page, staff):
    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(received_at=None))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    routing, national = (Clock.objects.get(case=case, name=n) for n in ("routing", "national_acceptance"))

    login(page, "xiaobao")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="分流").click()
    row = page.get_by_role("row").filter(has_text=case.number)
    expect(row).to_contain_text(f"分流 届满 {routing.due:%Y-%m-%d}")
    expect(row).to_contain_text(f"受理决定（自本局收到） 届满 {national.due:%Y-%m-%d}")
    assert_accessible(page)

    row.get_by_role("link", name=case.number).click()
    clocks = page.locator("section.card").filter(has=page.get_by_role("heading", name="期限"))
    expect(clocks.locator(".clock").first).to_contain_text("分流")  # the nearest due date first
    expect(clocks).to_contain_text("受理决定（自本局收到） 计时中")
    expect(clocks).to_contain_text(f"届满 {national.due:%Y-%m-%d}")
