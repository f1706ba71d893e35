"""举报奖励 at intake (《市场监管领域重大违法行为举报奖励暂行办法》): the reporter's wish, and an anonymous reporter's
identity code and password — hashed, never stored clear, never shown — on the API, the portal and the staff form."""

import json

import pytest
import time_machine
from django.contrib.auth.hashers import check_password

from tests.conftest import complaint_body, report_body
from tests.portal.helpers import public, submit
from tests.web.test_pages import login, register_payload
from xiaobao.cases.models import Case

pytestmark = pytest.mark.django_db

ANONYMOUS_WISH = {"anonymous": True, "wants_reward": True, "reward_code": "青山绿水2026", "reward_password": "s3cret-pw"}


def test_reward_wish_of_an_anonymous_reporter_keeps_the_code_and_only_a_hash_of_the_password(api):
    clerk = api("xiaobao")
    r = clerk.post("/api/v1/cases", report_body(complainant=ANONYMOUS_WISH))
    assert r.status_code == 201, r.content
    person = Case.objects.get(pk=r.json()["id"]).complainant
    assert person.wants_reward and person.reward_code == "青山绿水2026"
    assert person.reward_password != "s3cret-pw" and check_password("s3cret-pw", person.reward_password)
    # Neither the code nor the password (nor its hash) is ever shown with the item.
    shown = clerk.get(f"/api/v1/cases/{r.json()['id']}").content.decode()
    assert "青山绿水2026" not in shown and "s3cret-pw" not in shown and person.reward_password not in shown
    assert "青山绿水2026" not in r.content.decode()


def test_reward_wish_of_a_named_reporter_needs_no_code(api):
    body = report_body()
    body["complainant"]["wants_reward"] = True
    r = api("xiaobao").post("/api/v1/cases", body)
    assert r.status_code == 201, r.content
    person = Case.objects.get(pk=r.json()["id"]).complainant
    assert person.wants_reward and person.reward_code == "" and person.reward_password == ""


def test_reward_wish_anonymous_without_code_or_password_is_refused_naming_both(api):
    r = api("xiaobao").post("/api/v1/cases", report_body(complainant={"anonymous": True, "wants_reward": True}))
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"complainant.reward_code", "complainant.reward_password"}


def test_reward_wish_only_on_reports(api):
    body = complaint_body()
    body["complainant"]["wants_reward"] = True
    r = api("xiaobao").post("/api/v1/cases", body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "complainant.wants_reward"


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_reward_wish_in_a_public_anonymous_report(bureau):
    body = report_body(complainant={**ANONYMOUS_WISH, "name": "不该保存的名字"})
    del body["channel"], body["received_at"]
    r = submit(public(), body)
    assert r.status_code == 201, r.content
    person = Case.objects.get(number=r.json()["number"]).complainant
    assert person.name == "" and person.anonymous and person.wants_reward and person.reward_code == "青山绿水2026"
    assert check_password("s3cret-pw", person.reward_password)
    assert "s3cret-pw" not in json.dumps(r.json())


def test_reward_wish_on_the_staff_registration_form(bureau):
    clerk = login("xiaobao")
    page = clerk.get("/cases/new/").content.decode()
    assert "要求举报奖励" in page and "奖励身份代码" in page
    data = register_payload(kind="report", complainant_anonymous="on", complainant_wants_reward="on",
                            complainant_name="", complainant_phone="", complainant_address="",
                            demand="", category="food_safety")
    r = clerk.post("/cases/new/", data)
    assert r.status_code == 422
    assert "匿名举报要求奖励的，请设置身份代码" in r.content.decode()
    r = clerk.post("/cases/new/", {**data, "complainant_reward_code": "ABCD-77", "complainant_reward_password": "pw-123456"})
    assert r.status_code == 302, r.content.decode()[:500]
    person = Case.objects.latest("id").complainant
    assert person.reward_code == "ABCD-77" and check_password("pw-123456", person.reward_password)


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_reward_wish_on_the_portal_report_form_keeps_what_was_typed_but_not_the_password(bureau):
    from django.test import Client

    from tests.portal.helpers import challenge_of, csrf_of

    c = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.23")
    page = c.get("/portal/new/report/").content.decode()
    assert "要求举报奖励" in page and "奖励身份代码" in page
    token, answer = challenge_of(page)
    data = {"csrfmiddlewaretoken": csrf_of(page), "challenge": token, "answer": answer, "website": "",
            "complainant_anonymous": "on", "complainant_wants_reward": "on", "complainant_reward_code": "ABCD-77",
            "complainant_reward_password": "", "respondent_name": "曾都区惠民副食批发部",
            "respondent_address": "曾都区南郊街道两水路5号", "facts": "该店销售过期食品，货架上有多件超过保质期的散装白酒。"}
    r = c.post("/portal/new/report/", data)
    page = r.content.decode()
    assert r.status_code == 422 and "匿名举报要求奖励的，请设置密码。" in page and 'value="ABCD-77"' in page
    token, answer = challenge_of(page)
    r = c.post("/portal/new/report/", {**data, "challenge": token, "answer": answer,
                                       "csrfmiddlewaretoken": csrf_of(page), "complainant_reward_password": "pw-123456"})
    assert r.status_code == 200, r.content.decode()[:500]
    assert "pw-123456" not in r.content.decode()
    person = Case.objects.get().complainant
    assert person.reward_code == "ABCD-77" and check_password("pw-123456", person.reward_password)
