"""Issue 8, accounts: outside demo mode a known password must be changed before anything else; leadership and
administrators may add a TOTP second factor (which an administrator may require), on the pages and the API."""

import json
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tests.conftest import PASSWORD
from xiaobao.demo.bureau import create_bureau
from xiaobao.records.models import AuditEntry
from xiaobao.units import totp
from xiaobao.units.models import ApiToken, Staff, TotpDevice

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qingshui-he-2026"
T0 = "2026-03-02 09:00:15 +0800"  # 15 s into a TOTP step


@pytest.fixture
def production(settings):
    settings.XIAOBAO_DEMO_MODE = False
    return settings


@pytest.fixture
def loaded(production):
    """The demo bureau as the demo loader leaves it: every account's password is the shared one."""
    return create_bureau(PASSWORD, must_change_password=True)


def login(username: str, password: str = PASSWORD) -> tuple[Client, object]:
    c = Client()
    return c, c.post("/login/", {"username": username, "password": password})


def token(username: str, password: str = PASSWORD, **extra):
    return Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": password, **extra}),
                         content_type="application/json")


def audit(action: str, username: str) -> int:
    return AuditEntry.objects.filter(action=action, object=f"user:{username}").count()


# ---------------------------------------------------------------- forced password change


def test_the_demo_loader_marks_every_account_it_creates(monkeypatch):
    monkeypatch.setenv("XIAOBAO_DEMO_PASSWORD", "Demo-pass-2026")
    call_command("load_demo", "--items", "0", stdout=StringIO())
    assert Staff.objects.count() > 10
    assert not Staff.objects.filter(must_change_password=False).exists()


def test_outside_demo_mode_a_demo_account_must_change_its_password_before_anything_else(loaded):
    c, r = login("nanjiao")
    assert r.status_code == 302
    r = c.get("/cases/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"
    assert c.get("/admin/").status_code == 302
    htmx = c.get("/cases/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == "/account/password/"
    page = c.get("/account/password/").content.decode()
    assert "请先修改密码" in page and "退出登录" in page

    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"})
    assert r.status_code == 422 and "密码长度太短" in r.content.decode()
    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": PASSWORD,
                                      "new_password2": PASSWORD})
    assert r.status_code == 422 and "新密码不能与原密码相同" in r.content.decode()
    assert c.get("/").status_code == 302

    r = c.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                      "new_password2": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"
    inbox = c.get("/")
    assert inbox.status_code == 200 and "密码已修改" in inbox.content.decode()  # still logged in, free to work
    user = Staff.objects.get(username="nanjiao")
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert audit("password_changed", "nanjiao") == 1
    assert login("nanjiao", NEW_PASSWORD)[0].get("/cases/").status_code == 200
    # Other demo accounts still have to change theirs.
    assert login("dongcheng")[0].get("/cases/")["Location"] == "/account/password/"


def test_the_api_refuses_a_token_until_the_password_is_changed(loaded):
    r = token("nanjiao")
    assert r.status_code == 403 and "修改密码" in r.json()["error"]
    assert AuditEntry.objects.filter(action="login_refused", object="user:nanjiao").exists()
    c, _ = login("nanjiao")
    c.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                  "new_password2": NEW_PASSWORD})
    assert token("nanjiao", NEW_PASSWORD).status_code == 200


def test_in_demo_mode_the_demo_accounts_keep_their_password(settings):
    settings.XIAOBAO_DEMO_MODE = True
    create_bureau(PASSWORD, must_change_password=True)
    c, _ = login("nanjiao")
    assert c.get("/cases/").status_code == 200
    raw = token("nanjiao").json()["token"]
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    # Leaving demo mode: the token issued with the shared password stops working, the pages send to the change.
    settings.XIAOBAO_DEMO_MODE = False
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert c.get("/cases/")["Location"] == "/account/password/"


def test_an_account_an_administrator_creates_or_resets_must_change_its_password(production, bureau):
    admin, _ = login("admin")
    r = admin.post("/admin/units/staff/add/", {"username": "xinren", "usable_password": "true",
                                               "password1": "Chushi-mima-2026", "password2": "Chushi-mima-2026"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Staff.objects.get(username="xinren").must_change_password
    assert login("xinren", "Chushi-mima-2026")[0].get("/")["Location"] == "/account/password/"

    raw = token("nanjiao").json()["token"]
    nanjiao = Staff.objects.get(username="nanjiao")
    r = admin.post(f"/admin/units/staff/{nanjiao.pk}/password/",
                   {"password1": "Chongzhi-mima-2026", "password2": "Chongzhi-mima-2026", "usable_password": "true"})
    assert r.status_code == 302
    assert Staff.objects.get(username="nanjiao").must_change_password
    assert not ApiToken.objects.filter(staff=nanjiao).exists() and raw
    assert AuditEntry.objects.filter(action="password_reset", object="user:nanjiao", actor_name="admin").exists()
    assert AuditEntry.objects.filter(action="account_created", object="user:xinren").exists()
    assert token("nanjiao", "Chongzhi-mima-2026").status_code == 403
    assert login("admin")[0].get("/admin/").status_code == 200  # the administrator's own account is untouched


# ---------------------------------------------------------------- TOTP


def secret_on(page: str) -> str:
    return re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")


def code(secret: str, at: float | None = None) -> str:
    import time

    return totp.totp(totp.secret_bytes(secret), time.time() if at is None else at)


def enrol(username: str) -> tuple[Client, str]:
    c, _ = login(username)
    c.post("/account/2fa/", {"action": "start"})
    secret = secret_on(c.get("/account/2fa/").content.decode())
    r = c.post("/account/2fa/", {"action": "confirm", "code": code(secret)})
    assert r.status_code == 302
    return c, secret


@time_machine.travel(T0, tick=False)
def test_the_bureau_head_enrols_with_the_secret_shown_as_text_and_a_qr_code(bureau):
    c, _ = login("juzhang")
    page = c.get("/account/2fa/").content.decode()
    assert "未启用" in page and "开始启用" in page
    c.post("/account/2fa/", {"action": "start"})
    page = c.get("/account/2fa/").content.decode()
    secret = secret_on(page)
    assert f"otpauth://totp/%E6%B6%88%E4%BF%9D%3Ajuzhang?secret={secret}" in page and "<svg" in page
    device = TotpDevice.objects.get(staff__username="juzhang")
    assert secret not in device.sealed_secret and device.confirmed_at is None

    r = c.post("/account/2fa/", {"action": "confirm", "code": "000000" if code(secret) != "000000" else "111111"})
    assert r.status_code == 422 and "验证码不正确" in r.content.decode()
    assert audit("totp_failed", "juzhang") == 1
    r = c.post("/account/2fa/", {"action": "confirm", "code": code(secret)})
    assert r.status_code == 302
    page = c.get("/account/2fa/").content.decode()
    assert "已启用" in page and secret not in page.replace(" ", "")
    assert audit("totp_enrolled", "juzhang") == 1
    # The administrator sees whether it is on, never the secret.
    admin_pages = login("admin")[0]
    listing = admin_pages.get("/admin/units/staff/").content.decode()
    form = admin_pages.get(f"/admin/units/staff/{device.staff_id}/change/").content.decode()
    assert "已启用" in listing and secret not in listing and secret not in form
    assert device.sealed_secret not in form
    assert admin_pages.get("/admin/units/totpdevice/").status_code == 404


def test_only_leadership_and_administrators_use_a_second_factor(bureau):
    c, _ = login("nanjiao")
    r = c.get("/account/2fa/")
    assert r.status_code == 403 and "只有局领导和系统管理员" in r.content.decode()
    c.post("/account/2fa/", {"action": "start"})
    assert not TotpDevice.objects.exists()
    assert login("fenguan")[0].get("/account/2fa/").status_code == 200
    assert login("admin")[0].get("/account/2fa/").status_code == 200


def test_the_admin_site_login_goes_through_the_login_page(bureau):
    r = Client().get("/admin/login/")
    assert r.status_code == 302 and r["Location"] == "/login/?next=%2Fadmin%2F"
    r = Client().get("/admin/units/staff/")
    assert r.status_code == 302 and r["Location"] == "/admin/login/?next=/admin/units/staff/"
    r = Client().get(r["Location"])
    assert r["Location"] == "/login/?next=%2Fadmin%2Funits%2Fstaff%2F"
    # Logging in there ends on the page asked for; LoginView refuses a next that leaves the site.
    r = Client().post(r["Location"], {"username": "admin", "password": PASSWORD, "next": "/admin/units/staff/"})
    assert r["Location"] == "/admin/units/staff/"


def test_once_enrolled_the_page_login_asks_for_the_code_and_a_code_works_only_once(bureau):
    with time_machine.travel(T0, tick=False) as clock:
        enrol("juzhang")
        secret = totp.unseal(TotpDevice.objects.get().sealed_secret)
        clock.shift(30)  # the enrolment used this step's code
        c, r = login("juzhang")
        assert r.status_code == 302 and r["Location"] == "/login/otp/"
        assert c.get("/").status_code == 302 and c.get("/")["Location"].startswith("/login/")  # not logged in yet
        page = c.get("/login/otp/").content.decode()
        assert "两步验证" in page and "6 位数字" in page
        r = c.post("/login/otp/", {"code": "12345"})
        assert r.status_code == 200 and "验证码不正确" in r.content.decode()
        good = code(secret)
        r = c.post("/login/otp/", {"code": good})
        assert r.status_code == 302 and r["Location"] == "/"
        assert c.get("/").status_code == 200
        assert AuditEntry.objects.filter(action="login", object="user:juzhang",
                                         detail__second_factor=True).exists()
        # Someone who watched the code type it again within its 30 seconds: refused.
        thief, _ = login("juzhang")
        r = thief.post("/login/otp/", {"code": good})
        assert "验证码不正确或已使用过" in r.content.decode() and thief.get("/").status_code == 302
        clock.shift(30)
        assert thief.post("/login/otp/", {"code": code(secret)}).status_code == 302


@time_machine.travel(T0, tick=False)
def test_wrong_codes_count_towards_the_lockout(bureau):
    enrol("fenguan")
    c, _ = login("fenguan")
    for _ in range(5):
        c.post("/login/otp/", {"code": "000000"})
    assert audit("totp_failed", "fenguan") == 5
    r = c.post("/login/otp/", {"code": "000000"})
    assert r.status_code == 429 and "连续登录失败 5 次" in r.content.decode()
    r = Client().post("/login/", {"username": "fenguan", "password": PASSWORD})  # the same address
    assert r.status_code == 429 and "连续登录失败 5 次" in r.content.decode()


def test_the_code_must_follow_the_password_within_five_minutes(bureau):
    with time_machine.travel(T0, tick=False) as clock:
        enrol("juzhang")
        c, _ = login("juzhang")
        clock.shift(301)
        r = c.post("/login/otp/", {"code": "000000"})
        assert r.status_code == 302 and r["Location"] == "/login/"
        assert "登录已超时" in c.get("/login/").content.decode()


def test_the_token_endpoint_requires_the_code_as_otp(bureau):
    with time_machine.travel(T0, tick=False) as clock:
        _, secret = enrol("juzhang")
        clock.shift(30)
        r = token("juzhang")
        assert r.status_code == 401 and "otp" in r.json()["error"] and "两步验证" in r.json()["error"]
        r = token("juzhang", otp="000000" if code(secret) != "000000" else "111111")
        assert r.status_code == 401 and "两步验证码不正确" in r.json()["error"]
        good = code(secret)
        assert token("juzhang", otp=good).status_code == 200
        assert token("juzhang", otp=good).status_code == 401  # replay
        assert token("juzhang", "wrong-password", otp=code(secret)).status_code == 401
        assert token("xiaobao").status_code == 200  # accounts without a second factor are unchanged


def test_the_schema_documents_otp_and_the_refusal(bureau):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/auth/token"]["post"]
    assert "403" in operation["responses"] and "401" in operation["responses"]
    assert "otp" in schema["components"]["schemas"]["TokenIn"]["properties"]


@time_machine.travel(T0, tick=False)
def test_disabling_needs_a_current_code(bureau):
    c, secret = enrol("admin")
    r = c.post("/account/2fa/", {"action": "disable", "code": code(secret)})  # the code enrolment just used
    assert r.status_code == 422 and "未停用" in r.content.decode()
    with time_machine.travel("2026-03-02 09:00:45 +0800", tick=False):
        r = c.post("/account/2fa/", {"action": "disable", "code": code(secret)})
    assert r.status_code == 302 and not TotpDevice.objects.exists()
    assert audit("totp_disabled", "admin") == 1
    assert login("admin")[1]["Location"] == "/"


@time_machine.travel(T0, tick=False)
def test_an_administrator_resets_a_lost_second_factor(bureau):
    enrol("juzhang")
    admin, _ = login("admin")
    juzhang = Staff.objects.get(username="juzhang")
    r = admin.post("/admin/units/staff/", {"action": "reset_second_factor", "_selected_action": [juzhang.pk]})
    assert r.status_code == 302 and not TotpDevice.objects.exists()
    assert AuditEntry.objects.filter(action="totp_reset", object="user:juzhang", actor_name="admin").exists()
    assert login("juzhang")[1]["Location"] == "/"


def test_when_required_leadership_must_enrol_first(production, bureau):
    production.XIAOBAO_REQUIRE_TOTP_FOR = ["leadership"]
    c, _ = login("fenguan")
    assert c.get("/cases/")["Location"] == "/account/2fa/"
    page = c.get("/account/2fa/").content.decode()
    assert "系统管理员要求您的角色使用两步验证" in page
    r = token("fenguan")
    assert r.status_code == 403 and "两步验证" in r.json()["error"]
    assert login("nanjiao")[0].get("/cases/").status_code == 200
    assert login("admin")[0].get("/cases/").status_code == 200  # only "leadership" was named
    with time_machine.travel(T0, tick=False):
        c.post("/account/2fa/", {"action": "start"})
        secret = secret_on(c.get("/account/2fa/").content.decode())
        c.post("/account/2fa/", {"action": "confirm", "code": code(secret)})
        assert c.get("/cases/").status_code == 200
        with time_machine.travel("2026-03-02 09:00:45 +0800", tick=False):
            r = c.post("/account/2fa/", {"action": "disable", "code": code(secret)})
        assert r.status_code == 409 and "不能停用" in r.content.decode()
        assert TotpDevice.objects.filter(confirmed_at__isnull=False).exists()
