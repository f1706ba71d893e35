"""First impressions (issue 18, point 10): the demo bureau, loaded early on a Monday, holds no item received later
than that moment; the inquiry knowledge base ships standard answers with their legal basis, which the clerk
finds and inserts into an answer."""

import re
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import login, open_action
from tests.conftest import complaint_body
from xiaobao.cases import services
from xiaobao.demo.bureau import UNITS
from xiaobao.demo.history import Replay
from xiaobao.units.models import Role, Staff, Unit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LOADED_AT = "2026-03-02 08:30 +0800"  # a Monday before office hours: the demo once put items later that day


def demo_items(staff: dict, count: int) -> None:
    """What `manage.py load_demo` does after the accounts: a handler for every handling unit, then the replay."""
    for code, _, short, _ in UNITS:
        unit = Unit.objects.get(code=code)
        if unit.handles_items and not any(Role.HANDLER in s.roles for s in unit.staff.all()):
            staff[f"h-{code}"] = Staff.objects.create_user(f"h-{code}", password="x", full_name=f"{short}承办人",
                                                           unit=unit, roles=[Role.HANDLER])
    with time_machine.travel(LOADED_AT, tick=False):
        assert Replay(staff, seed=2026).run(count) > 0


def test_no_demo_item_was_received_later_than_the_moment_the_demo_was_loaded(page, staff):
    demo_items(staff, 40)
    loaded = datetime.fromisoformat("2026-03-02T08:30:00+08:00")
    login(page, "xiaobao")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="全部件").click()
    # The list shows open work by default (issue 18, point 2): tick 含已办结 for every item.
    page.get_by_label("含已办结").check()
    page.wait_for_url("**include_closed=1**")
    expect(page.locator("table.cases tbody tr").first).to_be_visible()
    received = []
    for _ in range(3):  # newest first: the first pages hold the latest
        cells = page.locator("table.cases tbody tr td:nth-child(6)").all_inner_texts()
        received += [timezone.make_aware(datetime.strptime(c, "%Y-%m-%d %H:%M")) for c in cells]
        following = page.get_by_role("link", name="下一页")
        if not following.count():
            break
        following.click()
    assert len(received) >= 30
    assert max(received) < loaded, f"an item received at {max(received):%Y-%m-%d %H:%M}, after the demo was loaded"
    assert received == sorted(received, reverse=True)
    # The timeline of the newest item holds nothing later than that moment either.
    page.goto("/cases/")
    page.locator("table.cases tbody tr td a").first.click()
    times = page.locator("ol.timeline time").evaluate_all("(ts) => ts.map((t) => t.getAttribute('datetime'))")
    assert times and all(datetime.fromisoformat(t) <= loaded for t in times), times


def test_the_knowledge_base_ships_standard_answers_with_their_legal_basis(page, staff):
    login(page, "xiaobao")
    page.goto("/knowledge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("咨询知识库")
    answers = page.locator(".kb-answer")
    assert answers.count() >= 10
    # Every standard answer says what it rests on.
    expect(answers.filter(has_not=page.locator(".muted", has_text="依据："))).to_have_count(0)
    for question, basis in (("七天无理由退货", "《中华人民共和国消费者权益保护法》第二十五条"),
                            ("退一赔三", "《中华人民共和国消费者权益保护法》第五十五条第一款"),
                            ("预付卡", "《中华人民共和国消费者权益保护法》第五十三条"),
                            ("三包", "《中华人民共和国消费者权益保护法》第二十四条"),
                            ("十倍赔偿", "《中华人民共和国食品安全法》第一百四十八条")):
        expect(answers.filter(has_text=question).first).to_contain_text(f"依据：{basis}")

    page.get_by_label("搜索").fill("七日无理由")
    results = page.locator("#kb-results")
    expect(results.locator(".kb-answer").first).to_contain_text("七日内退货")
    expect(results.locator(".kb-answer").first).to_contain_text("第二十五条")


def test_the_clerk_answers_an_inquiry_with_a_standard_answer(page, staff):
    inquiry, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(
        kind="inquiry", received_at=None, facts="网上买的衣服不合适，商家说拆了吊牌不能退，可以七天无理由退货吗？"))
    login(page, "xiaobao")
    page.goto(f"/cases/{inquiry.pk}/")
    open_action(page, "答复咨询")
    panel = page.locator("#action-panel")
    panel.get_by_label("插入标准答复（搜索咨询知识库）").fill("七日无理由")
    panel.get_by_role("button", name="插入此答复").first.click()
    answer = panel.get_by_label("答复内容")
    expect(answer).to_have_value(re.compile(r"七日内退货.*（依据：《中华人民共和国消费者权益保护法》第二十五条）$", re.S))
    page.get_by_role("button", name="确认答复咨询").click()
    expect(page.locator(".flash")).to_contain_text("已答复咨询")
    expect(page.locator("ol.timeline")).to_contain_text("第二十五条")
