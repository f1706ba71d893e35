"""Demo mode says so on every page, staff's and the public's: the demo accounts share a known password and
nothing entered there reaches the bureau."""

import pytest
from django.test import Client

from tests.web.test_pages import login


@pytest.mark.parametrize("demo", [True, False])
def test_every_page_says_when_the_system_runs_in_demo_mode(bureau, settings, demo):
    settings.XIAOBAO_DEMO_MODE = demo
    pages = [Client().get("/login/"), login("xiaobao").get("/"), Client().get("/portal/")]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert ('id="demo-mode"' in html) is demo
    if demo:
        assert "演示账号使用同一个公开的密码" in pages[1].content.decode()
        assert "请勿填写真实的个人信息" in pages[2].content.decode()
