"""The duplicate hint and the repeat filers never match on a person the user may not see (rules 三.5). The
attack: a station handling a report asks /intake/duplicates whether a phone number is its masked — even
anonymous — reporter's; the answer must not say so. Whoever may see the person gets the match, audited."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, complaint_body, report_body
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

REPORTER_PHONE = "13911112222"
COMPLAINANT_PHONE = "13833334444"
NOW = "2026-03-05 10:00 +0800"


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def login(username: str) -> Client:
    c = Client()
    r = c.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def _at_nanjiao(api, body: dict, *, approve: bool = False) -> str:
    clerk = api("xiaobao")
    r = clerk.post("/api/v1/cases", body)
    assert r.status_code == 201, r.content.decode()
    case = r.json()
    assert clerk.act(case["id"], "submit_for_triage").status_code == 200
    assert clerk.act(case["id"], "assign", {"unit": "st-nanjiao"}).status_code == 200
    if approve:
        assert api("fenguan").act(case["id"], "approve", {"note": "同意"}).status_code == 200
    return case["number"]


@pytest.fixture
def reports(api):
    """Two reports handled by 南郊所, one named and one anonymous, both with the reporter's phone on file."""
    named = _at_nanjiao(api, report_body(complainant={"name": "李娜", "phone": REPORTER_PHONE,
                                                       "address": "曾都区东城街道文化路1号"}), approve=True)
    anonymous = _at_nanjiao(api, report_body(
        complainant={"name": "", "phone": REPORTER_PHONE, "anonymous": True},
        respondent={"name": "曾都区另一家副食店", "address": "曾都区南郊街道两水路9号"}), approve=True)
    return [named, anonymous]


def _duplicates(c: Client, **params) -> str:
    r = c.get("/intake/duplicates", params, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    return r.content.decode()


def test_the_handler_of_a_report_cannot_ask_whether_a_phone_is_its_reporters(api, reports):
    nanjiao = login("nanjiao")
    assert api("nanjiao").get("/api/v1/cases").json()["count"] == 2  # it handles both reports
    for params in ({"phone": REPORTER_PHONE}, {"complainant_phone": REPORTER_PHONE}):
        html = _duplicates(nanjiao, **params)
        assert "同一联系电话" not in html
        for number in reports:
            assert number not in html
    assert not AuditEntry.objects.filter(action="read_personal", actor__username="nanjiao").exists()


def test_the_answer_for_a_masked_reporters_phone_is_the_answer_for_an_unknown_phone(api, reports):
    nanjiao = login("nanjiao")
    assert _duplicates(nanjiao, phone=REPORTER_PHONE) == _duplicates(nanjiao, phone="13000000000")


def test_the_dispatcher_who_sees_reporters_gets_the_match_and_it_is_audited(api, reports):
    html = _duplicates(login("xiaobao"), phone=REPORTER_PHONE)
    assert "同一联系电话" in html
    assert all(number in html for number in reports)
    read = AuditEntry.objects.get(action="read_personal", object="duplicates", actor__username="xiaobao")
    assert len(read.detail["cases"]) == 2 and "complainant.phone" in read.detail["fields"]


def test_a_handler_matches_the_complainants_of_its_own_complaints_audited(api, reports):
    # The unit mediating a complaint sees its complainant (rules 二.3): the hint may use the phone there.
    number = _at_nanjiao(api, complaint_body(complainant={"name": "张伟", "phone": COMPLAINANT_PHONE,
                                                          "address": "曾都区南郊街道清河路8号"}))
    html = _duplicates(login("nanjiao"), phone=COMPLAINANT_PHONE)
    assert "同一联系电话" in html and number in html
    assert AuditEntry.objects.filter(action="read_personal", object="duplicates",
                                     actor__username="nanjiao").count() == 1


def test_another_unit_matches_nothing_of_it(api, reports):
    html = _duplicates(login("dongcheng"), phone=REPORTER_PHONE)
    assert html.strip() == ""


def test_repeat_filers_are_grouped_only_over_people_the_user_sees_and_audited(api, reports):
    # A third item from the same phone makes the reporter a repeat filer (一人多次) for 消保股.
    _at_nanjiao(api, report_body(complainant={"name": "李娜", "phone": REPORTER_PHONE, "address": "文化路1号"},
                                 respondent={"name": "曾都区第三家店", "address": "曾都区两水路1号"}),
                approve=True)
    r = api("xiaobao").get("/api/v1/intake/repeats")
    assert r.status_code == 200
    persons = r.json()["persons"]
    assert [p["count"] for p in persons if p["phone_masked"] == "139****2222"] == [3]
    assert AuditEntry.objects.filter(action="read_personal", object="repeat-persons",
                                     actor__username="xiaobao").exists()
    # Nobody else may ask (and the selector itself groups nothing the handler may not see).
    assert api("nanjiao").get("/api/v1/intake/repeats").status_code == 403
    from xiaobao.intake.selectors import repeat_persons
    from xiaobao.units.models import Staff

    assert repeat_persons(Staff.objects.get(username="nanjiao"), minimum=2) == []
