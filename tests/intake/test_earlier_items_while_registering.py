"""While the clerk types the caller's phone on the registration form, the caller's earlier items show (issue
18, point 5): number, kind, date, state and unit of the items the clerk may see whose person has that phone,
from the seventh digit on, each lookup audited as a read of personal data."""

import re

import pytest
import time_machine

from tests.conftest import Api, complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.cases.models import State
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def earlier(api):
    """The caller 13800000001 (张伟) has a complaint at 南郊所; 13900000002 (李娜) has
    a report at 南郊所."""
    clerk = api("xiaobao")
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        complaint = clerk.post("/api/v1/cases", complaint_body()).json()
        report = clerk.post("/api/v1/cases", report_body()).json()
        for case in (complaint, report):
            clerk.act(case["id"], "submit_for_triage")
            clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})
        Api("fenguan").act(report["id"], "approve", {"note": "同意"})
    return {"complaint": complaint, "report": report}


def lookup(client, phone: str):
    return client.post("/intake/earlier", {"complainant_phone": phone}, **HTMX)


def test_the_registration_form_asks_while_the_phone_is_typed(bureau):
    form = login("xiaobao").get("/cases/new/").content.decode()
    assert 'hx-post="/intake/earlier"' in form
    assert 'hx-trigger="keyup changed delay:400ms from:#id_complainant_phone"' in form


def test_the_clerk_sees_the_callers_earlier_item_with_its_kind_date_state_and_unit(earlier):
    r = lookup(login("xiaobao"), "138-0000-0001")
    html = r.content.decode()
    assert r.status_code == 200 and "该来电人此前的件（1 件）" in html
    row = re.search(r"<tr><td><a href=\"/cases/\d+/\"[^>]*>(.*?)</a></td>(.*?)</tr>", html, re.S)
    assert row.group(1) == earlier["complaint"]["number"]
    cells = re.findall(r"<td>(.*?)</td>", row.group(2), re.S)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells] == ["投诉", "2026-03-02", State.ASSIGNED.label, "南郊所"]
    audit = AuditEntry.objects.get(object="person-search")
    assert (audit.actor_name, audit.detail["person"], audit.detail["via"], audit.detail["cases"]) == (
        "xiaobao", "138****0001", "registration", [earlier["complaint"]["id"]])


def test_nothing_is_looked_up_before_the_seventh_digit(earlier):
    assert lookup(login("xiaobao"), "138000").content.decode().strip() == ""
    assert not AuditEntry.objects.filter(object="person-search").exists()


def test_a_station_sees_only_its_own_complainants_never_a_reporter(earlier):
    station = login("nanjiao")
    assert earlier["complaint"]["number"] in lookup(station, "13800000001").content.decode()
    # 南郊所 holds the report, but may not see who reported it (rules 三.5): the lookup shows nothing.
    assert lookup(station, "13900000002").content.decode().strip() == ""
    assert lookup(login("dongcheng"), "13800000001").content.decode().strip() == ""
    assert earlier["report"]["number"] in lookup(login("xiaobao"), "13900000002").content.decode()


@pytest.mark.parametrize("user", ["archivist", "fenguan"])
def test_staff_who_do_not_register_are_refused(earlier, user):
    assert lookup(login(user), "13800000001").status_code == 403
    assert not AuditEntry.objects.filter(object="person-search").exists()
