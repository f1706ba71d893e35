"""Registering is for 消保股's dispatchers and the handling units' staff (rules 一.1, 一.3(2); API-v1.md, "Who may
register"). The attack: every other role posts a registration through the API and through the page."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.conftest import PASSWORD, complaint_body
from xiaobao.cases.errors import NotPermitted
from xiaobao.cases.models import Case
from xiaobao.cases.services import register_case
from xiaobao.intake.sample import SAMPLE_PATH
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

REGISTRANTS = ["xiaobao", "nanjiao", "shipin", "jicha"]
OTHERS = ["auditor", "admin", "archivist", "fenguan", "juzhang"]
NOW = "2026-03-02 10:00 +0800"


def login(username: str) -> Client:
    c = Client()
    r = c.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def page_form(**overrides) -> dict:
    body = complaint_body()
    data = {
        "kind": "complaint", "channel": "phone", "received_at": "", "external_id": "", "tier": "general",
        "complainant_name": body["complainant"]["name"], "complainant_phone": body["complainant"]["phone"],
        "complainant_address": body["complainant"]["address"], "complainant_id_type": "居民身份证",
        "complainant_id_number": "", "complainant_wants_reply": "on",
        "respondent_name": body["respondent"]["name"], "respondent_address": body["respondent"]["address"],
        "respondent_phone": "", "respondent_credit_code": "", "facts": body["facts"], "demand": body["demand"],
        "amount": "3299.00", "category": "appliances",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", OTHERS)
def test_a_role_that_does_not_register_gets_403_from_the_api_and_nothing_is_stored(api, username):
    r = api(username).post("/api/v1/cases", complaint_body(external_id=f"X-{username}"))
    assert r.status_code == 403, r.content.decode()
    assert "登记" in r.json()["error"]
    assert not Case.objects.exists()
    assert not AuditEntry.objects.filter(action="register").exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", OTHERS)
def test_a_role_that_does_not_register_is_refused_the_page_and_not_offered_the_link(bureau, username):
    c = login(username)
    assert c.get("/cases/new/").status_code == 403
    r = c.post("/cases/new/", page_form())
    assert r.status_code == 403
    assert not Case.objects.exists()
    home = c.get("/cases/").content.decode()
    assert 'href="/cases/new/"' not in home


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", REGISTRANTS)
def test_dispatchers_and_unit_staff_register_through_the_api(api, username):
    r = api(username).post("/api/v1/cases", complaint_body(external_id=f"X-{username}"))
    assert r.status_code == 201, r.content.decode()
    assert Case.objects.get(external_id=f"X-{username}").registered_by.username == username


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", REGISTRANTS)
def test_dispatchers_and_unit_staff_register_through_the_page_and_see_the_link(bureau, username):
    c = login(username)
    assert 'href="/cases/new/"' in c.get("/cases/").content.decode()
    assert c.get("/cases/new/").status_code == 200
    r = c.post("/cases/new/", page_form(external_id=f"P-{username}"))
    assert r.status_code == 302, r.content.decode()[:800]
    assert Case.objects.get(external_id=f"P-{username}").registered_by.username == username


def test_the_service_refuses_a_role_that_does_not_register_whatever_calls_it(bureau):
    # Imports and other callers go through the same check as the page and the API.
    with pytest.raises(NotPermitted):
        register_case(actor=bureau["auditor"], data=complaint_body(), channel="phone")
    assert not Case.objects.exists()


@time_machine.travel("2026-11-25 10:00 +0800", tick=False)
def test_the_12315_import_cannot_register_as_a_role_that_does_not_register(bureau):
    with pytest.raises(CommandError, match="只有消保股分流员和承办单位的工作人员可以登记"):
        call_command("import_12315", str(SAMPLE_PATH), "--as", "auditor", stdout=io.StringIO())
    assert not Case.objects.exists()
