"""南郊所's handler opens 我的工作 and finds under 已逾期 only work still to do — not an item concluded and told
weeks ago — each row with its next due date and the working days past or left by the calendar; the list of items
leaves finished work out until 含已办结 is ticked (issue 18, point 2)."""

from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.support import assert_accessible, login
from tests.conftest import complaint_body
from xiaobao.cases import services
from xiaobao.clocks.calendar import get_calendar
from xiaobao.handling import services as handling
from xiaobao.lib import timeutil

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def routed(staff, name: str):
    body = complaint_body(received_at=None, respondent={"name": name, "address": "曾都区南郊街道白云大道18号"})
    case, _ = services.register_case(actor=staff["xiaobao"], data=body)
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    return services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao"})


def test_the_handler_sees_open_work_under_overdue_with_its_deadline(page, staff, screenshot):
    today = timeutil.today()
    with time_machine.travel(timeutil.now() - timedelta(days=30), tick=False):
        finished, owing, waiting = (routed(staff, name) for name in ("办结商行", "欠回复商行", "未签收商行"))
        ground = finished.rule_set.grounds("not_accepted")[0]["code"]
        for case in (finished, owing):
            services.not_accept(actor=staff["nanjiao"], case_id=case.pk, body={"ground": ground, "reason": "非本局职责"})
        handling.send_notice(actor=staff["xiaobao"], case_id=finished.pk, body={"channel": "phone", "content": "已告知"})
    due = waiting.clocks.get(name="sign_off").due
    late = -get_calendar().workdays_between(today, due)

    login(page, "nanjiao")
    overdue = page.locator("#inbox-overdue")
    expect(overdue.get_by_role("columnheader", name="期限")).to_be_visible()
    expect(overdue.get_by_role("link", name=waiting.number)).to_be_visible()
    expect(overdue.get_by_role("link", name=owing.number)).to_be_visible()  # concluded, the reply still owed
    expect(overdue.get_by_role("link", name=finished.number)).to_have_count(0)
    row = overdue.get_by_role("row").filter(has=page.get_by_role("link", name=waiting.number))
    expect(row.locator("td.deadline")).to_have_text(f"{due:%Y-%m-%d} 已逾期 {late} 个工作日")
    assert_accessible(page)
    screenshot(page, "inbox-open-work")

    page.get_by_role("link", name="全部件").click()
    rows = page.locator("#rows")
    expect(rows.get_by_role("link", name=waiting.number)).to_be_visible()
    expect(rows.get_by_role("link", name=finished.number)).to_have_count(0)
    page.get_by_label("含已办结").check()
    expect(rows.get_by_role("link", name=finished.number)).to_be_visible()
    expect(rows.get_by_role("row").filter(has=page.get_by_role("link", name=finished.number))
           .locator("td.deadline")).to_have_text("—")
