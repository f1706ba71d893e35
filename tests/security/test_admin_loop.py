"""Issue 16, point 10: a signed-in member of staff who is not an administrator opens /admin/ and is bounced
between the admin's login and ours for ever."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_staff_who_are_not_administrators_get_a_403_page_not_a_redirect_loop(bureau):
    c = Client()
    assert c.post("/login/", {"username": "nanjiao", "password": PASSWORD}).status_code == 302
    r = c.get("/admin/", follow=True)
    assert len(r.redirect_chain) <= 2
    assert r.status_code == 403 and "系统管理只对系统管理员开放" in r.content.decode()


def test_the_administrator_still_reaches_the_admin_and_strangers_still_go_to_our_login(bureau):
    admin = Client()
    admin.post("/login/", {"username": "admin", "password": PASSWORD})
    assert admin.get("/admin/").status_code == 200
    r = Client().get("/admin/", follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0].startswith("/login/")
