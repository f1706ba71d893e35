"""A business's account (issue 22, point 2): an outside user whose first password, shown once to 消保股, is
changed before anything else — on the API with POST /api/v1/auth/password, on the web through the forced change —
even in demo mode; it may add a TOTP second factor; after logging in it lands on its own page /business/."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client

from tests.odr.conftest import BUSINESS_PASSWORD, change_password, token_of
from xiaobao.records.models import AuditEntry
from xiaobao.units import totp
from xiaobao.units.models import Staff


@pytest.fixture(params=[False, True], ids=["production", "demo-mode"])
def mode(request, settings):
    settings.XIAOBAO_DEMO_MODE = request.param
    return request.param


def test_the_first_password_buys_no_token_until_it_is_changed(mode, registered):
    username, first = registered["username"], registered["password"]
    r = token_of(username, first)
    assert r.status_code == 403 and "/api/v1/auth/password" in r.json()["error"]

    assert change_password(username, "wrong-password-1", BUSINESS_PASSWORD).status_code == 401
    r = change_password(username, first, "84930217655")
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"new_password"}
    assert any("数字" in e["message"] for e in r.json()["errors"])
    r = change_password(username, first, "short1")
    assert r.status_code == 422 and "至少 10 个字符" in r.json()["errors"][0]["message"]
    r = change_password(username, first, first)
    assert r.status_code == 422 and "不能与原密码相同" in r.json()["errors"][0]["message"]
    assert Staff.objects.get(username=username).must_change_password

    r = change_password(username, first, BUSINESS_PASSWORD)
    assert r.status_code == 200 and "密码已修改" in r.json()["message"]
    account = Staff.objects.get(username=username)
    assert not account.must_change_password and account.check_password(BUSINESS_PASSWORD)
    assert AuditEntry.objects.filter(action="password_changed", object=f"user:{username}").exists()
    assert token_of(username, first).status_code == 401
    assert token_of(username, BUSINESS_PASSWORD).status_code == 200


def test_in_demo_mode_staff_keep_their_known_password_but_a_business_does_not(settings, bureau, registered):
    settings.XIAOBAO_DEMO_MODE = True
    Staff.objects.filter(username="nanjiao").update(must_change_password=True)
    assert not Staff.objects.get(username="nanjiao").password_change_pending
    assert Staff.objects.get(username=registered["username"]).password_change_pending


def test_the_password_endpoint_is_throttled_like_the_token(registered):
    for _ in range(5):
        assert change_password(registered["username"], "not-the-password", BUSINESS_PASSWORD).status_code == 401
    r = change_password(registered["username"], registered["password"], BUSINESS_PASSWORD)
    assert r.status_code == 429 and r.json()["error"]
    assert Staff.objects.get(username=registered["username"]).must_change_password


def test_staff_may_change_their_own_password_there_too(bureau):
    from tests.conftest import PASSWORD
    assert change_password("nanjiao", PASSWORD, "Nanjiao-new-2026!").status_code == 200
    assert token_of("nanjiao", "Nanjiao-new-2026!").status_code == 200


def web_login(username: str, password: str, **query) -> tuple[Client, object]:
    c = Client()
    path = "/login/" + (f"?next={query['next']}" if "next" in query else "")
    return c, c.post(path, {"username": username, "password": password})


def test_on_the_web_a_business_changes_its_password_then_lands_on_its_page(mode, registered):
    c, r = web_login(registered["username"], registered["password"])
    assert r.status_code == 302 and r["Location"] == "/business/"
    assert c.get("/business/", follow=False)["Location"] == "/account/password/"
    assert c.get("/cases/").status_code == 404  # never a staff page, not even a redirect to one
    page = c.get("/account/password/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "请先修改密码" in text and "全部件" not in text and "分流" not in text
    r = c.post("/account/password/", {"old_password": registered["password"], "new_password1": BUSINESS_PASSWORD,
                                      "new_password2": BUSINESS_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/business/"
    assert c.get("/")["Location"] == "/business/"

    c, r = web_login(registered["username"], BUSINESS_PASSWORD, next="/cases/")
    assert r["Location"] == "/business/"
    assert c.get("/login/")["Location"] == "/business/"
    c, r = web_login(registered["username"], BUSINESS_PASSWORD, next="/business/forwardings/3/")
    assert r["Location"] == "/business/forwardings/3/"


def test_staff_still_land_on_their_inbox(bureau):
    from tests.conftest import PASSWORD
    c, r = web_login("xiaobao", PASSWORD)
    assert r["Location"] == "/"
    page = c.get("/").content.decode()
    assert 'href="/odr/"' in page  # the register, in a dispatcher's navigation
    c, r = web_login("nanjiao", PASSWORD)
    assert 'href="/odr/"' not in c.get("/").content.decode()


@time_machine.travel("2026-03-02 09:00:15 +0800", tick=False)
def test_a_business_may_add_a_second_factor(business_token):
    c, r = web_login(business_token["username"], BUSINESS_PASSWORD)
    assert r["Location"] == "/business/"
    assert c.get("/account/2fa/").status_code == 200
    c.post("/account/2fa/", {"action": "start"})
    secret = Staff.objects.get(username=business_token["username"]).totp_device.sealed_secret
    code = totp.totp(totp.secret_bytes(totp.unseal(secret)), time.time())
    r = c.post("/account/2fa/", {"action": "confirm", "code": code})
    assert r.status_code == 302
    assert token_of(business_token["username"], BUSINESS_PASSWORD).status_code == 401  # the code is now needed
    c, r = web_login(business_token["username"], BUSINESS_PASSWORD)
    assert r["Location"] == "/login/otp/"


def test_a_suspended_business_is_logged_out_and_cannot_log_in(api, business_token):
    c, r = web_login(business_token["username"], BUSINESS_PASSWORD)
    assert c.get("/account/password/").status_code == 200
    r = api("xiaobao").post(f"/api/v1/odr/businesses/{business_token['id']}/suspend", {"reason": "逾期未处理"})
    assert r.status_code == 200
    assert c.get("/account/password/")["Location"].startswith("/login/")
    c, r = web_login(business_token["username"], BUSINESS_PASSWORD)
    assert r.status_code == 200 and "_auth_user_id" not in c.session
