"""The ODR scorecard (issue 22.4) over the March 2026 of tests/odr/conftest.py, through the API."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.test import Client

from tests.odr.conftest import browser
from xiaobao.odr.scorecard import GRADES, grade


def card(api, user: str = "xiaobao", **params) -> dict:
    r = api(user).get("/api/v1/odr/scorecard", **params)
    assert r.status_code == 200, r.content.decode()
    return r.json()


def rows(body: dict) -> dict[str, dict]:
    return {r["name"]: r for r in body["businesses"]}


def test_march_counts_forwardings_when_made_and_answers_when_given(api, odr_march):
    body = card(api, month="2026-03")
    assert body["period"] == "2026-03" and body["label"] == "2026年3月"
    assert (body["start"], body["end"]) == ("2026-03-01", "2026-03-31")
    xinda = rows(body)["曾都区鑫达电器商行"]
    # Forwarded 03-02 ×3 and 23:30 on 03-31 (Beijing time); not the one of 02-26, nor 00:30 on 04-01.
    assert xinda["forwarded"] == 4
    # The answer of 03-03 to February's forwarding counts in March.
    assert (xinda["settled"], xinda["not_settled"], xinda["timed_out"], xinda["escalated"]) == (2, 1, 1, 0)
    assert xinda["concluded"] == 4 and xinda["settlement_rate"] == 0.5
    assert xinda["amount_recovered"] == "800.50"
    assert xinda["late"] == 1  # the time-out
    # Working days, not calendar days: 4 (over the make-up Saturday 02-28), 2, 5.
    assert xinda["answered"] == 3 and xinda["average_days"] == 3.7
    assert xinda["commitments"] == ["advance_compensation", "no_reason_return"]

    haolinju = rows(body)["随州市好邻居超市有限公司"]
    assert (haolinju["forwarded"], haolinju["settled"], haolinju["escalated"], haolinju["concluded"]) == (2, 1, 1, 2)
    assert haolinju["late"] == 1  # answered 03-17, its due date was 03-16
    assert haolinju["average_days"] == 11.0 and haolinju["amount_recovered"] == "100.00"

    bureau = body["bureau"]
    assert bureau == {"forwarded": 6, "settled": 3, "not_settled": 1, "timed_out": 1, "escalated": 1,
                      "concluded": 6, "late": 2, "settlement_rate": 0.5, "amount_recovered": "900.50",
                      "answered": 4, "average_days": 5.5}


def test_the_rows_are_the_active_members_and_whoever_had_something_counted(api, odr_march):
    assert list(rows(card(api, month="2026-03"))) == ["曾都区鑫达电器商行", "随州市好邻居超市有限公司"]
    january = rows(card(api, month="2026-01"))
    assert january["曾都区老街餐馆"]["settled"] == 1 and january["曾都区老街餐馆"]["state_label"] == "暂停"
    assert "曾都区已移出商贸有限公司" not in january and "曾都区待审核电子商务有限公司" not in january


def test_the_rate_is_null_when_nothing_concluded(api, odr_march):
    body = card(api, month="2026-02")
    xinda = rows(body)["曾都区鑫达电器商行"]
    assert xinda["forwarded"] == 1 and xinda["concluded"] == 0
    assert xinda["settlement_rate"] is None and xinda["average_days"] is None
    assert xinda["grade"] is None and xinda["grade_label"] == "未评级"
    assert body["bureau"]["settlement_rate"] is None and body["bureau"]["amount_recovered"] == "0.00"
    april = card(api, month="2026-04")
    assert rows(april)["曾都区鑫达电器商行"]["forwarded"] == 1  # 00:30 on 04-01 is April in Beijing


def test_a_year_sums_its_months(api, odr_march):
    body = card(api, year="2026")
    assert body["period"] == "2026" and body["label"] == "2026年"
    assert (body["start"], body["end"]) == ("2026-01-01", "2026-12-31")
    assert body["bureau"]["forwarded"] == 9 and body["bureau"]["settled"] == 4
    assert body["bureau"]["amount_recovered"] == "950.50"
    assert rows(body)["曾都区鑫达电器商行"]["forwarded"] == 6


def test_grades_in_march(api, odr_march):
    march = rows(card(api, month="2026-03"))
    # 鑫达: rate 50 %, late 1 of 4 = 25 %: exactly the ceiling of 一般.
    assert (march["曾都区鑫达电器商行"]["grade"], march["曾都区鑫达电器商行"]["grade_label"]) == ("fair", "一般")
    # 好邻居: late 1 of 2.
    assert march["随州市好邻居超市有限公司"]["grade_label"] == "较差"
    assert [g["label"] for g in card(api, month="2026-03")["grades"]] == ["优秀", "良好", "一般", "较差"]


@pytest.mark.parametrize(("settled", "late", "concluded", "expected"), [
    (4, 0, 5, "优秀"),     # 80 % and none late: the floor of 优秀
    (79, 0, 100, "良好"),  # just under it
    (4, 1, 5, "一般"),     # 80 % but 20 % late: over 良好's 10 %
    (6, 1, 10, "良好"),    # 60 % and 10 % late: the floors of 良好
    (59, 0, 100, "一般"),
    (2, 0, 5, "一般"),     # 40 %: the floor of 一般
    (8, 3, 10, "较差"),    # 80 % but 30 % late
    (39, 0, 100, "较差"),
    (0, 1, 1, "较差"),
])
def test_grades_at_their_thresholds(settled, late, concluded, expected):
    assert grade(settled, late, concluded).label == expected


def test_no_grade_without_a_concluded_forwarding():
    assert grade(0, 0, 0) is None


def test_the_grading_rule_is_ordered_and_total():
    assert [g.min_rate for g in GRADES] == sorted((g.min_rate for g in GRADES), reverse=True)
    assert GRADES[-1].min_rate == 0 and GRADES[-1].max_late_share == Fraction(1)


@pytest.mark.parametrize(("params", "field"), [
    ({"month": "2026-13"}, "month"), ({"year": "26"}, "year"), ({}, "month"),
    ({"month": "2026-03", "year": "2026"}, "year"),
])
def test_a_bad_period_is_a_422_naming_the_field(api, bureau, params, field):
    r = api("xiaobao").get("/api/v1/odr/scorecard", **params)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [field]


@pytest.mark.parametrize("user", ["xiaobao", "fenguan", "juzhang", "auditor"])
def test_the_bureaus_statistics_roles_read_it(api, odr_march, user):
    assert card(api, user, month="2026-03")["bureau"]["forwarded"] == 6


@pytest.mark.parametrize("user", ["nanjiao", "dongcheng", "jicha", "archivist", "admin"])
def test_the_units_and_others_are_refused(api, odr_march, user):
    r = api(user).get("/api/v1/odr/scorecard", month="2026-03")
    assert r.status_code == 403
    assert "鑫达" not in r.content.decode()
    assert r.json() == {"error": "ODR企业成绩单只对消保股、局领导和审计员开放。"}


def test_no_token_is_a_401(api, bureau):
    assert Client().get("/api/v1/odr/scorecard", {"month": "2026-03"}).status_code == 401


BAD_MONTHS = ["9999-12", "0000-01", "2026-00", "2026-13", "99999-01", "2026-1", "１２３４-01", "-2026-01", "今天"]
BAD_YEARS = ["0", "-1", "1999", "3000", "9999", "10000", "２０２６", "2026-03", "9" * 40]


@pytest.mark.parametrize(("name", "value"), [*(("month", m) for m in BAD_MONTHS), *(("year", y) for y in BAD_YEARS)])
def test_every_bad_period_is_refused_without_a_server_error(api, bureau, name, value):
    r = api("xiaobao").get("/api/v1/odr/scorecard", **{name: value})
    assert r.status_code == 422, r.content.decode()
    assert r.json()["errors"][0]["field"] == name
    page = browser("xiaobao").get("/odr/scorecard/", {name: value})
    assert page.status_code == 422 and 'role="alert"' in page.content.decode()
