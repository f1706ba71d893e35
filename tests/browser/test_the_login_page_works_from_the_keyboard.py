"""The login page: labelled fields, a sensible tab order, a visible focus and readable text."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUSED = "() => { const e = document.activeElement; return e.id || e.textContent.trim(); }"
OUTLINE = "() => getComputedStyle(document.activeElement).outlineStyle"


def test_tab_goes_from_the_username_to_the_password_then_to_the_login_button(page):
    page.goto("/login/")
    assert_accessible(page)
    username = page.get_by_label("用户名")
    expect(username).to_be_focused()  # autofocus
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    assert page.evaluate(OUTLINE) != "none"
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="登录")).to_be_focused()
    assert page.evaluate(OUTLINE) != "none"


def test_a_wrong_password_is_told_in_chinese_and_keeps_the_form_accessible(page):
    page.goto("/login/")
    page.get_by_label("用户名").fill("xiaobao")
    page.get_by_label("密码").fill("wrong-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误，请重试。")
    assert_accessible(page)
