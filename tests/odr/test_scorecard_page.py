"""The scorecard page /odr/scorecard/ (issue 22.4): the same roles as the API, a month or a year, grades."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.odr.conftest import browser
from xiaobao.units.models import Role, Staff


def cells(page: str, name: str) -> list[str]:
    row = re.search(rf"<tr><td>{name}</td>(.*?)</tr>", page)
    assert row, f"no row for {name}"
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_the_dispatcher_sees_each_business_with_its_grade_and_the_totals(odr_march):
    r = browser("xiaobao").get("/odr/scorecard/", {"month": "2026-03"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "ODR企业先行和解成绩单：2026年3月" in page
    # 状态 转企业 和解成功 和解不成 逾期未处理 消费者不同意 先行和解率 挽回 逾期答复 平均用时 评级
    assert cells(page, "曾都区鑫达电器商行") == ["正常", "4", "2", "1", "1", "0", "50.0%", "800.50", "1", "3.7", "一般"]
    assert cells(page, "随州市好邻居超市有限公司")[-1] == "较差"
    assert "转企业</dt><dd>6 件" in page and "900.50 元" in page and "5.5 个工作日" in page
    assert "优秀：先行和解率不低于 80.0%，逾期答复占已结束件不超过 0.0%" in page
    # A month with nothing concluded: no rate, no grade.
    feb = browser("fenguan").get("/odr/scorecard/", {"month": "2026-02"}).content.decode()
    assert cells(feb, "曾都区鑫达电器商行")[6] == "—" and cells(feb, "曾都区鑫达电器商行")[-1] == "未评级"


def test_a_year(odr_march):
    page = browser("auditor").get("/odr/scorecard/", {"year": "2026"}).content.decode()
    assert "成绩单：2026年" in page
    assert cells(page, "曾都区老街餐馆")[:3] == ["暂停", "1", "1"]


def test_a_bad_month_is_explained_in_place(bureau):
    r = browser("juzhang").get("/odr/scorecard/", {"month": "2026-13"})
    assert r.status_code == 422
    page = r.content.decode()
    assert "统计月份“2026-13”无效" in page and 'role="alert"' in page
    assert 'name="month" value="2026-13"' in page


def test_without_a_period_it_shows_the_current_month(bureau, time_machine):
    time_machine.move_to("2026-05-20 10:00 +0800")
    page = browser("xiaobao").get("/odr/scorecard/").content.decode()
    assert "成绩单：2026年5月" in page


@pytest.mark.parametrize("user", ["nanjiao", "dongcheng", "archivist", "admin"])
def test_units_and_others_are_refused(odr_march, user):
    r = browser(user).get("/odr/scorecard/", {"month": "2026-03"})
    assert r.status_code == 403
    assert "鑫达" not in r.content.decode()


def test_a_business_account_is_refused(odr_march):
    Staff.objects.create(username="xinda", full_name="鑫达电器", roles=[Role.BUSINESS])
    r = browser("xinda").get("/odr/scorecard/", {"month": "2026-03"})
    assert r.status_code == 404  # a business reaches no staff page (odr.access)
    assert "好邻居" not in r.content.decode()


def test_a_login_is_needed(bureau):
    assert Client().get("/odr/scorecard/").status_code == 302


def test_the_navigation_leads_the_bureau_there(bureau):
    assert 'href="/odr/scorecard/"' in browser("fenguan").get("/stats/monthly/").content.decode()
    assert 'href="/odr/scorecard/"' not in browser("nanjiao").get("/stats/monthly/").content.decode()
