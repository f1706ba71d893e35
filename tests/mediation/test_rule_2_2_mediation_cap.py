"""Rules 二.2, 二.4; SAMR-2026 第二十三条: mediation ends within 60 days of acceptance, testing and appraisal time
excluded. Past the cap the only way on is 终止调解 on the time-limit ground; before the cap that ground is
refused (API-v1.md, "Law enforced on actions"). The handler and the unit's leaders are warned 10 and 3 days
ahead (issue 17, point 1).

The cast: a complaint received and accepted by 南郊所 on Wed 2026-05-06 under the 2026 rule set. Its cap:
05-06 + 60 days = Sun 07-05, a day off, so Mon 07-06."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import PASSWORD, complaint_body
from xiaobao.cases.errors import WrongState
from xiaobao.cases.models import Case
from xiaobao.mediation import services as mediation
from xiaobao.notify.models import Notification
from xiaobao.units.models import Role, Staff, Unit

from .conftest import ok

ACCEPTED = "2026-05-06 10:00 +0800"
CAP = "2026-07-06"


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 200
    with time_machine.travel(ACCEPTED, tick=False) as t:
        yield t


@pytest.fixture
def case_id(api, travel) -> int:
    clerk = api("xiaobao")
    case_id = ok(clerk.post("/api/v1/cases", complaint_body(received_at="2026-05-06T09:30:00+08:00")), 201)["id"]
    ok(clerk.act(case_id, "submit_for_triage"))
    ok(clerk.act(case_id, "assign", {"unit": "st-nanjiao"}))
    accepted = ok(api("nanjiao").act(case_id, "accept"))
    assert clock(accepted, "mediation_cap")["due"] == CAP
    return case_id


def clock(case: dict, name: str) -> dict:
    return next(c for c in case["clocks"] if c["name"] == name)


def mediate(api, case_id: int, **body):
    return api("nanjiao").act(case_id, "mediate", body)


def test_an_agreement_on_the_caps_last_day_is_recorded(api, case_id, travel):
    travel.move_to("2026-07-06 17:00 +0800")
    assert ok(mediate(api, case_id, result="agreed", agreement="退货退款"))["outcome"] == "mediated"


def test_an_agreement_the_day_after_the_cap_is_refused_naming_the_cap_date(api, case_id, travel):
    travel.move_to("2026-07-07 09:00 +0800")
    r = mediate(api, case_id, result="agreed", agreement="退货退款")
    assert r.status_code == 409
    assert CAP in r.json()["error"] and "终止调解" in r.json()["error"]
    assert r.json()["cap_due"] == CAP
    seen = ok(api("nanjiao").get(f"/api/v1/cases/{case_id}"))
    assert seen["state"] == "in_progress" and seen["outcome"] is None


def test_past_the_cap_only_the_time_limit_ground_ends_mediation(api, case_id, travel):
    travel.move_to("2026-08-10 09:00 +0800")  # day 96
    assert mediate(api, case_id, result="terminated", ground="no_agreement").status_code == 409
    assert mediate(api, case_id, result="withdrawn", reason="投诉人撤回").status_code == 409
    ended = ok(mediate(api, case_id, result="terminated", ground="time_limit", reason="60日内未达成调解协议"))
    assert ended["outcome"] == "mediation_terminated" and ended["ground"] == "time_limit"
    assert clock(ended, "termination_notice")["state"] == "running"


def test_the_time_limit_ground_before_the_cap_is_refused(api, case_id, travel):
    travel.move_to("2026-05-07 09:00 +0800")  # day 1
    r = mediate(api, case_id, result="terminated", ground="time_limit")
    assert r.status_code == 409 and CAP in r.json()["error"] and "尚未届满" in r.json()["error"]
    # Any other ground is for the handler to judge before the cap.
    assert ok(mediate(api, case_id, result="terminated", ground="no_agreement"))["outcome"] == "mediation_terminated"


def test_testing_time_moves_the_cap_and_an_open_testing_pause_holds_it(api, case_id, travel):
    # Testing from 05-11 to 05-21: the ten days 05-11 … 05-20 do not count, so the cap is 07-15.
    travel.move_to("2026-05-11 09:00 +0800")
    ok(api("nanjiao").act(case_id, "pause", {"reason": "testing", "note": "送检"}))
    travel.move_to("2026-05-21 09:00 +0800")
    resumed = ok(api("nanjiao").act(case_id, "resume"))
    assert clock(resumed, "mediation_cap")["due"] == "2026-07-15"
    # Appraisal from 07-10, still open on 07-20: every day of it so far is out of the count.
    travel.move_to("2026-07-10 09:00 +0800")
    ok(api("nanjiao").act(case_id, "pause", {"reason": "appraisal", "note": "鉴定"}))
    travel.move_to("2026-07-20 09:00 +0800")
    assert ok(mediate(api, case_id, result="agreed", agreement="鉴定后达成协议"))["outcome"] == "mediated"


def test_expert_review_time_does_not_move_the_cap(api, case_id, travel):
    travel.move_to("2026-05-11 09:00 +0800")
    ok(api("nanjiao").act(case_id, "pause", {"reason": "expert_review", "note": "专家论证"}))
    travel.move_to("2026-05-21 09:00 +0800")
    assert clock(ok(api("nanjiao").act(case_id, "resume")), "mediation_cap")["due"] == CAP
    travel.move_to("2026-07-07 09:00 +0800")
    assert mediate(api, case_id, result="agreed").status_code == 409


def test_no_mediation_session_after_the_cap(api, case_id, travel):
    travel.move_to("2026-07-08 09:00 +0800")
    late = api("nanjiao").act(case_id, "record_session", {"mode": "on_site", "at": "2026-07-07T10:00:00+08:00"})
    assert late.status_code == 409 and CAP in late.json()["error"]
    in_time = api("nanjiao").act(case_id, "record_session", {"mode": "remote", "at": "2026-07-06T10:00:00+08:00",
                                                              "summary": "最后一次调解"})
    assert in_time.status_code == 200


def test_the_service_refuses_what_the_api_refuses(api, case_id, bureau, travel):
    travel.move_to("2026-07-07 09:00 +0800")
    with pytest.raises(WrongState, match=CAP):
        mediation.mediate(actor=bureau["nanjiao"], case_id=case_id, body={"result": "agreed"})
    travel.move_to("2026-05-20 09:00 +0800")
    with pytest.raises(WrongState, match="尚未届满"):
        mediation.mediate(actor=bureau["nanjiao"], case_id=case_id, body={"result": "terminated", "ground": "time_limit"})
    assert Case.objects.get(pk=case_id).state == "in_progress"


def daily(on: str) -> str:
    out = StringIO()
    call_command("daily_clocks", "--on", on, stdout=out)
    return out.getvalue()


def test_the_handler_and_the_unit_leader_are_warned_ten_and_three_days_ahead(api, case_id, travel):
    leader = Staff.objects.create(username="nanjiao-leader", full_name="南郊所所长", roles=[Role.UNIT_LEADER],
                                  unit=Unit.objects.get(code="st-nanjiao"))
    leader.set_password(PASSWORD)
    leader.save()

    def warned() -> list[tuple[str, str]]:
        return list(Notification.objects.filter(kind="mediation_cap_soon").order_by("id")
                    .values_list("recipient__username", "title"))

    number = Case.objects.get(pk=case_id).number
    assert "调解终结期限将至已提醒 0 件" in daily("2026-06-25")  # 11 days ahead
    assert "调解终结期限将至已提醒 1 件" in daily("2026-06-26")  # 10 days ahead
    assert "调解终结期限将至已提醒 0 件" in daily("2026-06-27")
    title = f"调解终结期限将至：{number} 调解终结期限 {CAP}（还有 10 日）"
    assert warned() == [("nanjiao", title), ("nanjiao-leader", title)]
    assert "调解终结期限将至已提醒 1 件" in daily("2026-07-03")  # 3 days ahead
    assert "调解终结期限将至已提醒 0 件" in daily("2026-07-04")
    assert [t for _, t in warned()][2:] == [f"调解终结期限将至：{number} 调解终结期限 {CAP}（还有 3 日）"] * 2
    body = Notification.objects.filter(kind="mediation_cap_soon").first().body
    assert "自投诉受理之日起六十日内投诉人和被投诉人未能达成调解协议" in body


def test_a_cap_held_by_an_open_testing_pause_is_not_warned_about(api, case_id, travel):
    travel.move_to("2026-06-20 09:00 +0800")
    ok(api("nanjiao").act(case_id, "pause", {"reason": "testing", "note": "送检"}))
    assert "调解终结期限将至已提醒 0 件" in daily("2026-06-26")
