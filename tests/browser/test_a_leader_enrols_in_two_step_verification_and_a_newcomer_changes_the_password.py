"""Account security in the browser (issue 8): outside demo mode an account with the shared demo password is
sent to change it first; the bureau head enrols a TOTP authenticator and then logs in with the 6-digit code."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_accessible
from tests.conftest import PASSWORD
from xiaobao.units import totp
from xiaobao.units.models import Staff, TotpDevice

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_PASSWORD = "Qingshui-he-2026"


def fill_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def next_code(username: str) -> str:
    """The code of the step after the last one accepted: fresh (no replay) and inside the ±1 step window."""
    device = TotpDevice.objects.get(staff__username=username)
    return totp.hotp(totp.secret_bytes(totp.unseal(device.sealed_secret)), device.last_step + 1)


def test_outside_demo_mode_the_shared_password_is_changed_before_any_work(page, staff, settings):
    settings.XIAOBAO_DEMO_MODE = False
    Staff.objects.filter(username="nanjiao").update(must_change_password=True)
    fill_login(page, "nanjiao")
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_text("请先修改密码")).to_be_visible()
    assert_accessible(page)
    page.goto("/cases/")
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()  # nothing else opens
    page.get_by_label("原密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill("duan")
    page.get_by_label("再次输入新密码").fill("duan")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码长度太短")).to_be_visible()
    page.get_by_label("原密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("密码已修改。")


def test_the_bureau_head_enrols_and_then_logs_in_with_the_code(page, staff):
    fill_login(page, "juzhang")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
    page.get_by_role("link", name="两步验证").click()
    page.get_by_role("button", name="开始启用").click()
    expect(page.locator("#totp-secret")).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$"))
    assert page.locator("svg.segno").count() == 1  # the QR code, drawn inline without any CDN
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(totp.totp(totp.secret_bytes(secret), time.time()))
    page.get_by_role("button", name="确认启用").click()
    expect(page.get_by_role("status")).to_contain_text("两步验证已启用")
    page.get_by_role("button", name="退出").click()

    fill_login(page, "juzhang")
    expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("验证码").fill("000000" if next_code("juzhang") != "000000" else "111111")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("验证码不正确")
    page.get_by_label("验证码").fill(next_code("juzhang"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="我的工作")).to_be_visible()
