"""The administrators' calendar page: a year's holidays and make-up days, and publishing a year."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, complaint_body
from xiaobao.units.models import Staff

NOTICE_2027 = {"holidays": "2027-01-01\n2027-01-04", "workdays": "2027-02-06", "source": "国办发明电〔2026〕（测试）"}


def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_an_administrator_sees_the_holidays_and_make_up_days_of_2026(bureau):
    page = logged_in("admin").get("/calendar/", {"year": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "工作日历 · 2026 年" in html and "已发布" in html
    assert "<td>2026-02-16</td><td>一</td><td>法定节假日</td><td>春节</td>" in html
    assert "<td>2026-02-14</td><td>六</td><td><span class=\"badge warn\">调休上班</span></td><td>春节</td>" in html
    # 261 weekdays − 19 weekday holidays + 6 make-up Saturdays and Sundays.
    assert "全年工作日 248 天" in html


@pytest.mark.parametrize("username", ["xiaobao", "nanjiao", "auditor"])
def test_others_are_refused(bureau, username):
    client = logged_in(username)
    assert client.get("/calendar/").status_code == 403
    assert client.post("/calendar/?year=2027", NOTICE_2027).status_code == 403
    assert logged_in("admin").get("/calendar/", {"year": "2027"}).content.decode().count("未发布") >= 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(bureau):
    r = Client().get("/calendar/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


@time_machine.travel("2026-12-24 10:00 +0800", tick=False)
def test_publishing_2027_from_the_page_recomputes_the_provisional_deadlines(api):
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body(received_at="2026-12-24T09:30:00+08:00")).json()
    clerk.act(case["id"], "submit_for_triage")
    clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})

    admin = Client()
    admin.force_login(Staff.objects.get(username="admin"))
    page = admin.get("/calendar/").content.decode()
    # In December with 2026 published, the page opens on 2027 and warns.
    assert "工作日历 · 2027 年" in page and "未发布" in page
    # The unit's acceptance decision and the national acceptance period from the bureau's receipt beside it.
    assert "2027 年的工作日历尚未发布" in page and "2 项未完成期限" in page

    done = admin.post("/calendar/?year=2027", NOTICE_2027, follow=True)
    html = done.content.decode()
    assert done.status_code == 200
    assert "已发布 2027 年工作日历：节假日 2 天，调休上班 1 天；重新计算了 1 件的期限。" in html
    assert "<td>2027-01-04</td><td>一</td><td>法定节假日</td>" in html
    assert "国办发明电〔2026〕（测试）" in html
    assert "尚未发布" not in html

    acceptance = next(c for c in clerk.get(f"/api/v1/cases/{case['id']}").json()["clocks"]
                      if c["name"] == "acceptance")
    assert acceptance["due"] == "2027-01-06" and acceptance["provisional"] is False


def test_bad_dates_are_shown_in_place_and_nothing_is_published(bureau):
    admin = logged_in("admin")
    r = admin.post("/calendar/?year=2027", {"holidays": "2027-01-01\n2027-02-30", "workdays": "2027-02-08"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "节假日：日期“2027-02-30”格式不正确，应为 YYYY-MM-DD。" in html
    assert "调休上班日：2027-02-08 是周一至周五，不需要列为调休上班日。" in html
    assert "2027-01-01\n2027-02-30</textarea>" in html
    assert "未发布" in admin.get("/calendar/", {"year": "2027"}).content.decode()


@time_machine.travel("2026-11-29 10:00 +0800", tick=False)
def test_administrators_see_the_unpublished_year_banner_on_every_page(bureau):
    admin = Client()
    admin.post("/login/", {"username": "admin", "password": PASSWORD})
    page = admin.get("/").content.decode()
    assert "2027 年的工作日历尚未发布" in page and 'href="/calendar/"' in page
    clerk = Client()
    clerk.post("/login/", {"username": "xiaobao", "password": PASSWORD})
    assert "尚未发布" not in clerk.get("/").content.decode()


def test_the_administrator_enters_holidays_by_date_range_and_sees_the_estimate_first(bureau):
    # Issue 18 (9): a notice gives 春节 as "2月5日至11日放假调休"; the page takes that range as it is written.
    admin = logged_in("admin")
    before = admin.get("/calendar/", {"year": "2027"}).content.decode()
    assert 'id="cal-estimate"' in before and "2027-02-05（五，春节）" in before and "2027-09-15（三，中秋节）" in before
    done = admin.post("/calendar/?year=2027", {"holidays": "2027-01-01\n2027-02-05 至 2027-02-11",
                                               "workdays": "2027-02-20", "source": "测试通知"}, follow=True)
    html = done.content.decode()
    assert "已发布 2027 年工作日历：节假日 8 天，调休上班 1 天" in html
    assert "<td>2027-02-11</td><td>四</td><td>法定节假日</td>" in html
    assert 'id="cal-estimate"' not in html


def test_a_backwards_or_overlong_range_is_refused_in_place(bureau):
    admin = logged_in("admin")
    r = admin.post("/calendar/?year=2027", {"holidays": "2027-02-11~2027-02-05\n2027-01-01~2027-12-31",
                                            "workdays": ""})
    assert r.status_code == 422
    html = r.content.decode()
    assert "节假日：日期范围“2027-02-11~2027-02-05”的起日应不晚于止日，且不超过 31 天。" in html
    assert "节假日：日期范围“2027-01-01~2027-12-31”的起日应不晚于止日，且不超过 31 天。" in html
    assert "2027-02-11~2027-02-05\n2027-01-01~2027-12-31</textarea>" in html
    assert "未发布" in admin.get("/calendar/", {"year": "2027"}).content.decode()
