"""Settling first through API v1 (API-v1.md "ODR businesses (settling first)"; DOMAIN.md "Settling first"): a
complaint against an ODR business goes to it from triage with the consumer's consent, its 10-working-day clock
runs and no bureau clock does; settled → concluded as 先行和解 with the amount; not settled, escalated or not
answered in time → back to triage with the acceptance period starting that day. The consumer is told each time."""

from __future__ import annotations

from datetime import date

import time_machine
from django.core.management import call_command

from tests.conftest import Api
from tests.odr.conftest import clock_of, complaint, forwarded, ok
from xiaobao.cases.models import Case
from xiaobao.clocks.models import ClockRun
from xiaobao.lib.outbound import ConsoleSmsBackend
from xiaobao.odr.models import Forwarding
from xiaobao.records.models import AuditEntry


def fresh():
    cache: dict[str, Api] = {}

    def as_user(username: str) -> Api:
        if username not in cache:
            cache[username] = Api(username)
        return cache[username]

    return as_user


def sms_to(phone: str) -> list[str]:
    return [text for to, text in ConsoleSmsBackend.sent if to == phone]


def test_forwarding_starts_the_business_clock_and_sets_the_bureau_clocks_aside(api, clock, xinda, django_capture_on_commit_callbacks):
    case_id = complaint(api)
    before = ok(api("xiaobao").get(f"/api/v1/cases/{case_id}"))
    assert "forward_to_business" in before["actions"]
    assert clock_of(before, "national_acceptance")["due"] == "2026-05-13"
    ConsoleSmsBackend.sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        case = ok(api("xiaobao").act(case_id, "forward_to_business",
                                     {"business": xinda.pk, "consent": True, "consent_note": "5月4日电话确认同意"}))
    assert case["state"] == "with_business"
    assert case["actions"] == ["escalate"]
    # 10 working days from Monday 2026-05-04 (that day not counted): Monday 2026-05-18.
    settlement = clock_of(case, "business_settlement")
    assert (settlement["start"], settlement["due"], settlement["state"]) == ("2026-05-04", "2026-05-18", "running")
    assert "10个工作日" in settlement["basis"]
    # No bureau clock runs while the business has it: routing met by the forwarding, the national acceptance
    # period set aside (kept as a superseded run, neither met nor missed).
    assert clock_of(case, "national_acceptance") is None
    assert clock_of(case, "routing")["state"] == "met"
    assert [c["name"] for c in case["clocks"] if c["state"] == "running"] == ["business_settlement"]
    run = ClockRun.objects.get(case_id=case_id, name="national_acceptance")
    assert run.met_on is None and "不计入本局期限" in run.reason
    fwd = Forwarding.objects.get(case_id=case_id)
    assert (fwd.business, fwd.state, fwd.due, fwd.consent_note) == (xinda, "with_business", date(2026, 5, 18),
                                                                   "5月4日电话确认同意")
    assert case["events"][-1]["label"] == "转ODR企业先行和解"
    assert AuditEntry.objects.filter(case_id=case_id, action="forward_to_business").exists()
    told = sms_to("13800000001")
    assert len(told) == 1 and "曾都区鑫达电器商行先行和解" in told[0] and "2026年05月18日" in told[0]


def test_settled_concludes_as_settled_by_business_with_the_amount(api, clock, xinda, django_capture_on_commit_callbacks):
    case_id = forwarded(api, xinda)
    ConsoleSmsBackend.sent.clear()
    clock.shift(3600)
    with django_capture_on_commit_callbacks(execute=True):
        seen = ok(api("odr-xinda").act(case_id, "business_answer",
                                       {"result": "settled", "detail": "为消费者更换新空调并补偿300元", "amount": "300.00"}))
    # The business gets its own view of the item, with its answer; nothing of the staff's view.
    assert seen["answer"]["result"] == "settled" and seen["answer"]["amount"] == "300.00"
    assert set(seen) == {"id", "number", "received_on", "consumer", "facts", "demand", "due", "contacts", "answer"}
    case = ok(api("xiaobao").get(f"/api/v1/cases/{case_id}"))
    assert (case["state"], case["outcome"], case["amount_recovered"]) == ("concluded", "settled_by_business", "300.00")
    assert clock_of(case, "business_settlement")["state"] == "met"
    assert case["events"][-1]["label"] == "企业答复和解结果"
    assert case["events"][-1]["actor"] == "odr-xinda"
    fwd = Forwarding.objects.get(case_id=case_id)
    assert (fwd.state, fwd.amount, fwd.detail) == ("settled", 300, "为消费者更换新空调并补偿300元")
    assert fwd.closed_at is not None and fwd.answered_at is not None
    assert any("先行和解办结" in t for t in sms_to("13800000001"))
    # The item has left the business: 404 on everything of it.
    assert api("odr-xinda").get(f"/api/v1/odr/inbox/{case_id}").status_code == 404
    assert ok(api("odr-xinda").get("/api/v1/odr/inbox"))["count"] == 0


def test_not_settled_goes_back_to_triage_and_the_acceptance_period_starts_that_day(api, clock, xinda, django_capture_on_commit_callbacks):
    case_id = forwarded(api, xinda)
    clock.move_to("2026-05-11 15:00 +0800")
    api = fresh()  # tokens lapse over a week
    ConsoleSmsBackend.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ok(api("odr-xinda").act(case_id, "business_answer",
                                {"result": "not_settled", "detail": "消费者要求退货，企业只同意维修"}))
    case = ok(api("xiaobao").get(f"/api/v1/cases/{case_id}"))
    assert (case["state"], case["outcome"]) == ("triage", None)
    acceptance = clock_of(case, "national_acceptance")
    # 7 working days from Monday 2026-05-11: Wednesday 2026-05-20 (the days with the business not counted).
    assert (acceptance["start"], acceptance["due"], acceptance["state"]) == ("2026-05-11", "2026-05-20", "running")
    assert clock_of(case, "routing")["start"] == "2026-05-11"
    assert clock_of(case, "business_settlement")["state"] == "met"
    assert "forward_to_business" not in case["actions"]  # back for the normal path, not forwarded again
    assert "assign" in case["actions"]
    fwd = Forwarding.objects.get(case_id=case_id)
    assert (fwd.state, fwd.close_reason, fwd.amount) == ("not_settled", "消费者要求退货，企业只同意维修", None)
    assert any("按正常程序" in t for t in sms_to("13800000001"))
    assert api("odr-xinda").get(f"/api/v1/odr/inbox/{case_id}").status_code == 404
    assert api("odr-xinda").act(case_id, "business_answer",
                                {"result": "settled", "detail": "又和解了", "amount": "1"}).status_code == 404
    # The normal path goes on: routed, the unit's acceptance clock runs from its receipt.
    ok(api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao"}))
    assert ok(api("nanjiao").act(case_id, "accept"))["state"] == "in_progress"


def test_the_consumer_objecting_escalates_it_back_to_triage(api, clock, xinda, django_capture_on_commit_callbacks):
    case_id = forwarded(api, xinda)
    clock.move_to("2026-05-06 09:00 +0800")
    api = fresh()
    r = api("xiaobao").act(case_id, "escalate", {})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["reason"]
    assert api("nanjiao").act(case_id, "escalate", {"reason": "x"}).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        case = ok(api("xiaobao").act(case_id, "escalate", {"reason": "消费者来电表示不同意企业先行和解"}))
    assert case["state"] == "triage"
    assert clock_of(case, "national_acceptance")["start"] == "2026-05-06"
    fwd = Forwarding.objects.get(case_id=case_id)
    assert (fwd.state, fwd.close_reason) == ("escalated", "消费者来电表示不同意企业先行和解")
    assert any("不同意由企业先行和解" in t for t in sms_to("13800000001"))
    assert api("odr-xinda").act(case_id, "business_answer",
                                {"result": "not_settled", "detail": "—"}).status_code == 404


def test_an_unanswered_forwarding_comes_back_with_the_daily_job(api, clock, xinda, django_capture_on_commit_callbacks):
    case_id = forwarded(api, xinda)  # due Monday 2026-05-18
    with time_machine.travel("2026-05-18 23:00 +0800", tick=False):
        call_command("daily_clocks")
        assert Case.objects.get(pk=case_id).state == "with_business"  # the last day is the business's
    with time_machine.travel("2026-05-19 06:00 +0800", tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("daily_clocks")
        case = ok(Api("xiaobao").get(f"/api/v1/cases/{case_id}"))
        assert case["state"] == "triage"
        line = case["events"][-1]
        assert line["label"] == "企业逾期未处理，转入正常程序" and line["actor"] is None
        assert "2026-05-18" in line["note"] and "曾都区鑫达电器商行" in line["note"]
        settlement = clock_of(case, "business_settlement")
        assert settlement["met_on"] == "2026-05-19" and settlement["late"] is True
        assert clock_of(case, "national_acceptance")["start"] == "2026-05-19"
        assert Forwarding.objects.get(case_id=case_id).state == "timed_out"
        call_command("daily_clocks")  # again: nothing more
        assert Case.objects.get(pk=case_id).events.filter(action="odr_timeout").count() == 1


def test_forwarded_just_before_national_day_the_clock_skips_the_holiday(api, xinda):
    # 2026-10-01…10-07 are off (国庆节、中秋节), Saturday 10-10 is a make-up working day: from Monday 09-28, the
    # 10 working days are 09-29, 09-30, 10-08, 10-09, 10-10, 10-12 … 10-16.
    with time_machine.travel("2026-09-28 10:00 +0800", tick=False):
        case_id = complaint(api, received_at="2026-09-28T09:00:00+08:00")
        case = ok(api("xiaobao").act(case_id, "forward_to_business", {"business": xinda.pk, "consent": True}))
    assert clock_of(case, "business_settlement")["due"] == "2026-10-16"
    assert Forwarding.objects.get(case_id=case_id).due == date(2026, 10, 16)


def test_consent_missing_is_a_422_naming_it_and_nothing_changes(api, clock, xinda):
    case_id = complaint(api)
    for body in ({"business": xinda.pk}, {"business": xinda.pk, "consent": False}):
        r = api("xiaobao").act(case_id, "forward_to_business", body)
        assert r.status_code == 422, r.content
        assert [e["field"] for e in r.json()["errors"]] == ["consent"]
        assert "同意" in r.json()["errors"][0]["message"]
    r = api("xiaobao").act(case_id, "forward_to_business", {})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"business", "consent"}
    assert Case.objects.get(pk=case_id).state == "triage" and not Forwarding.objects.exists()


def test_only_the_business_the_respondent_is_and_only_an_active_one(api, clock, xinda, huimin):
    case_id = complaint(api)
    r = api("xiaobao").act(case_id, "forward_to_business", {"business": huimin.pk, "consent": True})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "business"
    assert "不符" in r.json()["errors"][0]["message"]
    xinda.state = "suspended"
    xinda.save()
    r = api("xiaobao").act(case_id, "forward_to_business", {"business": xinda.pk, "consent": True})
    assert r.status_code == 422 and "暂停" in r.json()["errors"][0]["message"]
    assert "forward_to_business" not in ok(api("xiaobao").get(f"/api/v1/cases/{case_id}"))["actions"]


def test_the_respondent_matches_by_credit_code_too(api, clock, xinda):
    case_id = complaint(api, respondent={"name": "鑫达电器", "address": "曾都区白云大道18号",
                                         "credit_code": "91420000177570439L"})
    assert ok(api("xiaobao").act(case_id, "forward_to_business",
                                 {"business": xinda.pk, "consent": True}))["state"] == "with_business"


def test_a_non_dispatcher_may_not_forward(api, clock, xinda):
    case_id = complaint(api)
    assert api("nanjiao").act(case_id, "forward_to_business", {"business": xinda.pk, "consent": True}).status_code == 404
    assert api("fenguan").act(case_id, "forward_to_business", {"business": xinda.pk, "consent": True}).status_code == 403
    assert api("odr-xinda").act(case_id, "forward_to_business", {"business": xinda.pk, "consent": True}).status_code == 404
    assert Case.objects.get(pk=case_id).state == "triage"


def test_a_report_or_an_item_outside_triage_is_not_forwarded(api, clock, xinda):
    case_id = complaint(api)
    ok(api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao"}))
    assert api("xiaobao").act(case_id, "forward_to_business", {"business": xinda.pk, "consent": True}).status_code == 409


def test_staff_cannot_answer_for_the_business(api, clock, xinda):
    case_id = forwarded(api, xinda)
    assert api("xiaobao").act(case_id, "business_answer", {"result": "settled", "detail": "x",
                                                           "amount": "1"}).status_code == 403
    assert api("nanjiao").act(case_id, "business_answer", {"result": "settled", "detail": "x",
                                                           "amount": "1"}).status_code == 404
    assert Case.objects.get(pk=case_id).state == "with_business"


def test_the_answer_names_every_bad_field(api, clock, xinda):
    case_id = forwarded(api, xinda)
    r = api("odr-xinda").act(case_id, "business_answer", {"result": "maybe"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"result", "detail"}
    r = api("odr-xinda").act(case_id, "business_answer", {"result": "settled", "detail": "退款", "amount": "-3"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount"
    r = api("odr-xinda").act(case_id, "business_answer", {"result": "settled", "detail": "退款"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount"
    assert Case.objects.get(pk=case_id).state == "with_business"
