"""Issue 16, point 8: the login lockout as a weapon. An attacker who types wrong passwords for someone else's
account, or sprays one address with guesses, must not keep the bureau's staff out; a guesser must still be slowed
down whatever address they claim."""

import json

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD
from xiaobao.notify.models import Notification

pytestmark = pytest.mark.django_db

T0 = "2026-03-02 10:00 +0800"
ATTACKER, OFFICE, HOME = "203.0.113.66", "198.51.100.7", "192.0.2.20"
PROXY = "10.0.0.2"


def page_login(client: Client, username: str, password: str) -> int:
    return client.post("/login/", {"username": username, "password": password}).status_code


def token(client: Client, username: str, password: str):
    return client.post("/api/v1/auth/token", json.dumps({"username": username, "password": password}),
                       content_type="application/json")


def via_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


@time_machine.travel(T0, tick=False)
def test_an_attackers_wrong_passwords_do_not_keep_the_user_out_from_another_address(bureau):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(30):
        page_login(attacker, "nanjiao", "guess")
        token(attacker, "nanjiao", "guess")
    assert page_login(attacker, "nanjiao", PASSWORD) == 429  # the attacker is slowed down ...
    assert page_login(Client(REMOTE_ADDR=OFFICE), "nanjiao", PASSWORD) == 302  # ... the user is not
    assert token(Client(REMOTE_ADDR=OFFICE), "nanjiao", PASSWORD).status_code == 200


@time_machine.travel(T0, tick=False)
def test_behind_the_trusted_proxy_each_client_is_told_apart_by_x_forwarded_for(bureau, settings):
    settings.XIAOBAO_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # The attacker writes the user's address into the header; the proxy appends the address it really saw.
    attacker = via_proxy(f"{OFFICE}, {ATTACKER}")
    for _ in range(30):
        page_login(attacker, "nanjiao", "guess")
    assert page_login(attacker, "nanjiao", PASSWORD) == 429
    assert page_login(via_proxy(OFFICE), "nanjiao", PASSWORD) == 302


@time_machine.travel(T0, tick=False)
def test_x_forwarded_for_from_a_client_that_is_not_a_listed_proxy_is_ignored(bureau, settings):
    settings.XIAOBAO_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # A new made-up address with every guess does not buy new guesses ...
    for i in range(5):
        assert page_login(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"), "nanjiao", "guess") == 200
    assert page_login(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99"), "nanjiao", PASSWORD) == 429
    # ... and claiming the user's address does not slow the user down there.
    for _ in range(10):
        page_login(Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OFFICE), "dongcheng", "guess")
    assert page_login(via_proxy(OFFICE), "dongcheng", PASSWORD) == 302


def test_each_further_wrong_password_at_one_address_waits_twice_as_long(bureau):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            assert page_login(attacker, "nanjiao", "guess") == 200
        r = attacker.post("/login/", {"username": "nanjiao", "password": "guess"})
        assert r.status_code == 429 and "请 1 分钟后再试" in r.content.decode()
        clock.shift(61)
        assert page_login(attacker, "nanjiao", "guess") == 200  # the sixth failure: two minutes now
        clock.shift(61)
        r = attacker.post("/login/", {"username": "nanjiao", "password": "guess"})
        assert r.status_code == 429 and "请 1 分钟后再试" in r.content.decode()
        clock.shift(60)
        assert page_login(attacker, "nanjiao", "guess") == 200  # the seventh: four minutes
        clock.shift(3 * 60)
        assert page_login(attacker, "nanjiao", PASSWORD) == 429
        clock.shift(61)
        assert page_login(attacker, "nanjiao", PASSWORD) == 302  # the owner, after all, at that address


@time_machine.travel(T0, tick=False)
def test_spraying_one_address_with_guesses_does_not_keep_out_colleagues_who_log_in_there(bureau):
    office = Client(REMOTE_ADDR=OFFICE)
    assert page_login(office, "nanjiao", PASSWORD) == 302  # a colleague's usual computer (behind one NAT)
    for i in range(20):
        page_login(Client(REMOTE_ADDR=OFFICE), f"user{i}", "guess")
    assert page_login(Client(REMOTE_ADDR=OFFICE), "dongcheng", PASSWORD) == 429  # not known at this address
    assert page_login(Client(REMOTE_ADDR=OFFICE), "nanjiao", PASSWORD) == 302
    assert page_login(Client(REMOTE_ADDR=HOME), "dongcheng", PASSWORD) == 302  # elsewhere as usual


@time_machine.travel(T0, tick=False)
def test_a_guesser_spread_over_many_addresses_is_stopped_while_the_user_logs_in_where_they_always_do(bureau):
    assert page_login(Client(REMOTE_ADDR=OFFICE), "nanjiao", PASSWORD) == 302
    for i in range(50):
        page_login(Client(REMOTE_ADDR=f"203.0.113.{i + 100}"), "nanjiao", "guess")
    assert page_login(Client(REMOTE_ADDR="203.0.113.200"), "nanjiao", PASSWORD) == 429
    assert page_login(Client(REMOTE_ADDR=OFFICE), "nanjiao", PASSWORD) == 302


@time_machine.travel(T0, tick=False)
def test_the_administrators_are_told_once_when_an_account_is_held_back(bureau):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(4):
        page_login(attacker, "nanjiao", "guess")
    assert not Notification.objects.filter(kind="login_throttled").exists()
    for _ in range(6):
        page_login(attacker, "nanjiao", "guess")
    page_login(Client(REMOTE_ADDR=HOME), "nanjiao", "guess")
    alerts = Notification.objects.filter(kind="login_throttled")
    assert [(n.recipient.username, n.title) for n in alerts] == [("admin", "账号 nanjiao 登录失败次数过多，已限制登录")]
    admin = Client()
    admin.post("/login/", {"username": "admin", "password": PASSWORD})
    assert "账号 nanjiao 登录失败次数过多" in admin.get("/notifications/").content.decode()
    attempts = admin.get("/admin/units/loginattempt/", {"success__exact": "0"}).content.decode()
    assert "nanjiao" in attempts and "6 登录尝试" in attempts
