"""The item on paper: a print view without navigation or actions, and the item's page printed leaves them out
too (issue 18, point 8)."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import complaint_for_nanjiao, login
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_handler_opens_the_print_view_of_an_item(page, staff):
    case = complaint_for_nanjiao(staff)
    login(page, "nanjiao")
    page.goto(f"/cases/{case.pk}/")
    reads = AuditEntry.objects.filter(action="read_personal", case_id=case.pk).count()
    page.locator("section.actions").get_by_role("link", name="打印").click()
    expect(page).to_have_url(f"{page.url.split('/cases/')[0]}/cases/{case.pk}/print/")
    expect(page.get_by_role("navigation", name="主导航")).to_have_count(0)
    expect(page.locator("[data-action]")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"投诉 {case.number}")
    expect(page.locator("#person")).to_contain_text("13800000001")
    expect(page.locator("main")).to_contain_text("受理决定")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    assert AuditEntry.objects.filter(action="read_personal", case_id=case.pk).count() == reads + 1

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="打印")).to_be_hidden()

    page.emulate_media(media="screen")
    page.get_by_role("link", name=f"返回 {case.number}").click()
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("section.actions")).to_be_hidden()
    expect(page.locator("#person")).to_be_visible()
