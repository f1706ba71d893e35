"""Accounts and headers: lockout after repeated failures, security headers on every page."""

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_hold_the_account_back_at_that_address_on_the_page_and_the_api(bureau):
    c = Client()
    for _ in range(5):
        assert c.post("/login/", {"username": "nanjiao", "password": "wrong"}).status_code == 200
    r = c.post("/login/", {"username": "nanjiao", "password": PASSWORD})
    assert r.status_code == 429 and "请 1 分钟后再试" in r.content.decode()
    api = Client().post("/api/v1/auth/token", json.dumps({"username": "nanjiao", "password": PASSWORD}),
                        content_type="application/json")  # the same address
    assert api.status_code == 429 and "连续登录失败 5 次" in api.json()["error"]
    # Other accounts are not affected.
    assert Client().post("/login/", {"username": "dongcheng", "password": PASSWORD}).status_code == 302


def test_a_good_login_clears_earlier_failures(bureau):
    c = Client()
    for _ in range(4):
        c.post("/login/", {"username": "nanjiao", "password": "wrong"})
    assert c.post("/login/", {"username": "nanjiao", "password": PASSWORD}).status_code == 302
    c2 = Client()
    for _ in range(4):
        c2.post("/login/", {"username": "nanjiao", "password": "wrong"})
    assert c2.post("/login/", {"username": "nanjiao", "password": PASSWORD}).status_code == 302


def test_pages_carry_a_strict_content_security_policy_and_no_store_when_logged_in(bureau):
    c = Client()
    r = c.get("/login/")
    assert "script-src 'self'" in r["Content-Security-Policy"] and r["X-Frame-Options"] == "DENY"
    c.post("/login/", {"username": "xiaobao", "password": PASSWORD})
    r = c.get("/")
    assert r["Cache-Control"] == "no-store" and "frame-ancestors 'none'" in r["Content-Security-Policy"]


def test_the_api_docs_load_nothing_from_a_cdn(bureau):
    page = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
