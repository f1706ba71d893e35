"""A consumer files a complaint on the public portal, answers its question, and tracks the item."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NUMERALS = "零一二三四五六七八九"


def answer(question: str) -> str:
    """The portal asks 「三加五等于几？」 in Chinese numerals (xiaobao/portal/challenge.py)."""
    a, b = re.match(r"([一二三四五六七八九])加([一二三四五六七八九])等于几", question).groups()
    return str(NUMERALS.index(a) + NUMERALS.index(b))


def test_a_consumer_files_a_complaint_and_tracks_it_with_the_number_and_query_code(page, screenshot):
    page.goto("/portal/")
    assert_accessible(page)
    page.get_by_role("link", name="我要投诉", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我要投诉")

    page.get_by_label("您的姓名").fill("赵敏")
    page.get_by_label("联系电话").fill("13700000003")
    page.get_by_label("联系地址").fill("曾都区东城街道沿江大道12号")
    page.get_by_label("证件号码").fill("421302198805054321")
    page.get_by_label("被投诉经营者名称").fill("曾都区美佳超市")
    page.get_by_label("经营者地址").fill("曾都区东城街道烈山大道66号")
    page.get_by_label("投诉事实").fill("2026年11月25日在该超市购买的牛奶已过保质期，要求退款被拒。")
    page.get_by_label("诉求").fill("退还货款并赔偿")
    page.get_by_label("涉及金额（元）").fill("59.80")
    assert_accessible(page)
    question = page.locator("label[for='id_answer']").inner_text()
    page.get_by_label(question).fill(answer(question))
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("您的投诉已提交")
    number = page.locator("#number").inner_text()
    query_code = page.locator("#query-code").inner_text()
    assert re.fullmatch(r"TS-\d{4}-\d{6}", number)
    assert query_code.strip()
    assert_accessible(page)

    page.get_by_role("link", name="查询办理进度").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("查询办理进度")
    page.get_by_label("编号").fill(number)
    page.get_by_label("查询码").fill(query_code)
    page.get_by_role("button", name="查询").click()
    result = page.locator("#result")
    expect(result.get_by_role("heading", level=2).first).to_have_text(f"投诉 {number}")
    expect(result).to_contain_text("暂无答复")
    assert_accessible(page)
    screenshot(page, "portal-track")


def test_a_wrong_query_code_shows_nothing_of_the_item(page):
    page.goto("/portal/track/")
    page.get_by_label("编号").fill("TS-2026-000001")
    page.get_by_label("查询码").fill("ABCD-EFGH")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#result")).to_have_count(0)
    assert_accessible(page)
