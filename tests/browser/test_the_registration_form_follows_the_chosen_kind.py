"""The registration form shows the fields of the kind chosen first, and names its groups for that kind."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_choosing_a_report_hides_the_complaint_fields_and_names_the_reporter(page):
    login(page, "xiaobao")
    page.goto("/cases/new/")
    consents = page.get_by_role("group", name="同意事项与代理人（SAMR-2026 投诉登记）")
    expect(page.get_by_role("group", name="投诉人", exact=True)).to_be_visible()
    expect(consents).to_be_visible()
    expect(page.get_by_label("诉求", exact=True)).to_be_visible()

    page.get_by_role("radio", name="举报", exact=True).check()
    expect(page.get_by_role("group", name="举报人（可匿名）", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="投诉人", exact=True)).to_have_count(0)
    expect(consents).to_be_hidden()
    expect(page.get_by_label("诉求", exact=True)).to_be_hidden()
    expect(page.get_by_label("匿名（仅举报）")).to_be_visible()

    page.get_by_role("radio", name="咨询", exact=True).check()
    expect(page.get_by_role("group", name="咨询人", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="被投诉（举报）人")).to_be_hidden()
    assert_accessible(page)
