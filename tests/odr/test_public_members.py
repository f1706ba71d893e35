"""The public disclosure of ODR businesses (issue 22.4): active members only, their commitments and the year's
settlement rate; nothing about any complaint or person."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client


@pytest.fixture
def page(odr_march) -> str:
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        r = Client().get("/disclosure/odr/")
    assert r.status_code == 200
    return r.content.decode()


def test_active_members_only(page):
    assert "曾都区鑫达电器商行" in page and "随州市好邻居超市有限公司" in page
    for name in ("曾都区老街餐馆", "曾都区已移出商贸有限公司", "曾都区待审核电子商务有限公司"):
        assert name not in page


def test_commitments_and_the_years_figures(page):
    row = page.split("曾都区鑫达电器商行", 1)[1].split("</tr>", 1)[0]
    assert "先行赔付、无理由退货" in row
    # 2026: forwarded 6, concluded 4 (two still with the business), settled 2.
    assert "<td>6</td><td>4</td><td>2</td><td>50.0%</td>" in row
    other = page.split("随州市好邻居超市有限公司", 1)[1].split("</tr>", 1)[0]
    assert "<td>—</td>" in other  # no commitment
    assert "2026年转企业处理" in page


def test_no_personal_data(page):
    # The complainants (tests/conftest.py complaint_body), the businesses' contact person and phone.
    for secret in ("张伟", "13800000001", "421302199001011234", "清河路", "王经理", "0722-3300000",
                   "不制冷", "退货并退还货款"):
        assert secret not in page


def test_the_public_pages_link_to_it(bureau):
    assert 'href="/disclosure/odr/"' in Client().get("/disclosure/").content.decode()


def test_no_member_yet(bureau):
    assert "暂无ODR企业" in Client().get("/disclosure/odr/").content.decode()
