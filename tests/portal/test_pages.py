"""The portal pages: choose what to do, fill in only what that needs, answer a small question, and get
a number and a query code; follow the item with them. No login; CSRF on."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, Api
from tests.portal.helpers import challenge_of, csrf_of
from xiaobao.cases.models import Case
from xiaobao.portal.models import Submission

pytestmark = pytest.mark.django_db


def browser(address: str = "198.51.100.20") -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def complaint_form(page: str, **overrides) -> dict:
    token, answer = challenge_of(page)
    data = {
        "csrfmiddlewaretoken": csrf_of(page), "challenge": token, "answer": answer, "website": "",
        "complainant_name": "张伟", "complainant_phone": "13800000001", "complainant_address": "曾都区南郊街道清河路8号",
        "complainant_id_type": "居民身份证", "complainant_id_number": "", "complainant_wants_reply": "on",
        "respondent_name": "曾都区鑫达电器商行", "respondent_address": "曾都区南郊街道白云大道18号",
        "respondent_phone": "", "facts": "2026年2月20日购买空调一台，安装后不制冷，商家拒绝退换。",
        "demand": "退货并退还货款", "amount": "3299.00", "consent_disclosure": "on",
    }
    data.update(overrides)
    return data


def test_the_landing_page_offers_complaint_report_and_inquiry_without_a_login(bureau):
    r = Client().get("/portal/")
    page = r.content.decode()
    assert r.status_code == 200
    for label, kind in (("投诉", "complaint"), ("举报", "report"), ("咨询", "inquiry")):
        assert f"我要{label}" in page and f'href="/portal/new/{kind}/"' in page
    assert "cdn" not in page.lower()


def test_each_form_asks_only_what_its_kind_needs(bureau):
    complaint = Client().get("/portal/new/complaint/").content.decode()
    report = Client().get("/portal/new/report/").content.decode()
    inquiry = Client().get("/portal/new/inquiry/").content.decode()
    assert 'name="consent_mediation"' in complaint and 'name="demand"' in complaint
    assert 'name="complainant_anonymous"' not in complaint
    assert 'name="complainant_anonymous"' in report and 'name="demand"' not in report
    assert 'name="respondent_name"' not in inquiry and 'name="demand"' not in inquiry
    assert Client().get("/portal/new/other/").status_code == 404


def test_posting_without_the_csrf_token_is_refused(bureau):
    c = browser()
    page = c.get("/portal/new/complaint/").content.decode()
    data = complaint_form(page)
    del data["csrfmiddlewaretoken"]
    assert c.post("/portal/new/complaint/", data).status_code == 403
    assert not Case.objects.exists()


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_a_wrong_answer_keeps_the_form_and_the_right_one_gives_the_number_and_code(bureau):
    c = browser()
    page = c.get("/portal/new/complaint/").content.decode()
    data = complaint_form(page)
    data["answer"] = str(int(data["answer"]) + 1)
    r = c.post("/portal/new/complaint/", data)
    page = r.content.decode()
    assert r.status_code == 422
    assert "验证题答案不正确" in page
    assert 'value="张伟"' in page and "退货并退还货款" in page and 'value="3299.00"' in page
    assert not Case.objects.exists()

    r = c.post("/portal/new/complaint/", complaint_form(page))
    page = r.content.decode()
    assert r.status_code == 200, page
    case = Case.objects.get()
    assert case.number in page and case.channel == "web"
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)
    assert "请立即记下" in page
    assert r["Cache-Control"].startswith("max-age=0") and "no-store" in r["Cache-Control"]
    stored = Submission.objects.get()
    assert stored.case.consent_disclosure is True and stored.case.consent_entrusted_mediation is False

    track_page = c.get("/portal/track/").content.decode()
    r = c.post("/portal/track/", {"csrfmiddlewaretoken": csrf_of(track_page), "number": case.number,
                                  "query_code": code})
    shown = r.content.decode()
    assert r.status_code == 200
    assert "已登记" in shown and "暂无答复" in shown and "13800000001" not in shown


def test_a_question_is_good_for_one_try(bureau):
    c = browser()
    page = c.get("/portal/new/complaint/").content.decode()
    data = complaint_form(page)
    assert c.post("/portal/new/complaint/", data).status_code == 200
    again = c.post("/portal/new/complaint/", data)
    assert again.status_code == 422 and "已使用过" in again.content.decode()
    assert Case.objects.count() == 1


def test_a_question_expires_after_ten_minutes(bureau):
    c = browser()
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        data = complaint_form(c.get("/portal/new/complaint/").content.decode())
        traveller.shift(timedelta(minutes=11))
        r = c.post("/portal/new/complaint/", data)
    assert r.status_code == 422 and "已过期" in r.content.decode()
    assert not Case.objects.exists()


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(bureau):
    c = browser()
    data = complaint_form(c.get("/portal/new/complaint/").content.decode(), website="http://spam.example")
    r = c.post("/portal/new/complaint/", data)
    assert r.status_code == 400 and "未被接受" in r.content.decode()
    assert not Case.objects.exists()


def test_missing_fields_are_named_in_place_with_everything_typed_kept(bureau):
    c = browser()
    data = complaint_form(c.get("/portal/new/complaint/").content.decode(), complainant_phone="", demand="")
    r = c.post("/portal/new/complaint/", data)
    page = r.content.decode()
    assert r.status_code == 422
    assert "请填写投诉人联系电话。" in page and "请填写投诉诉求。" in page
    assert 'value="张伟"' in page and 'value="曾都区鑫达电器商行"' in page
    assert 'name="consent_disclosure" id="id_consent_disclosure" checked' in page
    assert not Case.objects.exists()


def test_an_anonymous_report_through_the_form_keeps_no_identity(bureau):
    c = browser()
    page = c.get("/portal/new/report/").content.decode()
    token, answer = challenge_of(page)
    r = c.post("/portal/new/report/", {
        "csrfmiddlewaretoken": csrf_of(page), "challenge": token, "answer": answer, "website": "",
        "complainant_anonymous": "on", "complainant_name": "李娜", "complainant_phone": "13900000002",
        "respondent_name": "曾都区惠民副食批发部", "respondent_address": "曾都区南郊街道两水路5号",
        "facts": "该店销售过期食品。"})
    assert r.status_code == 200, r.content.decode()
    case = Case.objects.select_related("complainant").get()
    assert case.kind == "report" and case.complainant.anonymous and case.complainant.name == ""
    assert Submission.objects.get().case.consent_entrusted_mediation is None


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_the_track_page_shows_deadlines_and_replies_and_hides_a_wrong_code(bureau):
    c = browser()
    r = c.post("/portal/new/complaint/", complaint_form(c.get("/portal/new/complaint/").content.decode()))
    code = re.search(r'id="query-code">([^<]+)<', r.content.decode()).group(1)
    case = Case.objects.get()
    clerk, handler = Api("xiaobao"), Api("nanjiao")
    clerk.act(case.pk, "submit_for_triage")
    clerk.act(case.pk, "assign", {"unit": "st-nanjiao", "category": "appliances"})  # confirmed by the clerk
    handler.act(case.pk, "accept")
    handler.act(case.pk, "mediate", {"result": "agreed"})
    handler.act(case.pk, "reply", {"channel": "phone", "content": "已电话告知"})

    page = c.get("/portal/track/").content.decode()
    r = c.post("/portal/track/", {"csrfmiddlewaretoken": csrf_of(page), "number": case.number, "query_code": code})
    shown = r.content.decode()
    assert "已办结（调解成功）" in shown and "已电话告知" in shown and "电话" in shown
    assert "受理决定：2026-03-11 前" in shown and "回复：2026-03-05 前" in shown
    assert "nanjiao" not in shown and "南郊" not in shown

    r = c.post("/portal/track/", {"csrfmiddlewaretoken": csrf_of(page), "number": case.number,
                                  "query_code": "WRONG-CODE"})
    assert r.status_code == 404
    shown = r.content.decode()
    assert "编号或查询码不正确" in shown and f'value="{case.number}"' in shown and "WRONG-CODE" not in shown
    assert PASSWORD not in shown
