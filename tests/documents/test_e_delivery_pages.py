"""Electronic delivery in the pages: consent at registration (staff form and the public portal), shown on the item
page (masked for who may not see the person), and the documents panel's delivery forms with their errors in place
(SAMR-2026 总局令第121号: delivery by internet, phone, SMS, e-mail or letter, with its proof)."""

from __future__ import annotations

import re

import time_machine
from django.test import Client

from tests.conftest import report_body
from tests.documents import flows
from tests.portal.helpers import challenge_of, csrf_of
from tests.web.test_pages import login, register_payload
from xiaobao.cases.models import Case

HTMX = {"HTTP_HX_REQUEST": "true"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_registration_page_records_the_consent_and_the_item_page_shows_it(bureau):
    clerk = login("xiaobao")
    r = clerk.post("/cases/new/", register_payload(complainant_e_delivery_consent="on",
                                                    complainant_e_delivery_email="zhangwei@example.cn"), follow=True)
    assert r.status_code == 200
    person = Case.objects.get().complainant
    assert (person.e_delivery_consent, person.e_delivery_phone, person.e_delivery_email) == (
        True, "13800000001", "zhangwei@example.cn")
    assert "电子送达 同意 · 短信 13800000001 · 邮箱 zhangwei@example.cn" in _text(r.content.decode())


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_consent_without_an_address_comes_back_on_the_registration_page_with_the_field_named(bureau):
    r = login("xiaobao").post("/cases/new/", register_payload(complainant_phone="0722-3301234",
                                                              complainant_e_delivery_consent="on"))
    page = r.content.decode()
    assert r.status_code == 422 and "同意电子送达的，请填写接收短信的手机号码或电子邮箱" in page
    assert 'name="complainant_e_delivery_consent" id="id_complainant_e_delivery_consent" checked' in page
    assert Case.objects.count() == 0


def test_the_portal_form_records_the_consent_to_electronic_delivery(bureau):
    c = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.30")
    page = c.get("/portal/new/complaint/").content.decode()
    assert "同意以短信、电子邮件或网上方式接收文书（电子送达）" in page
    token, answer = challenge_of(page)
    r = c.post("/portal/new/complaint/", {
        "csrfmiddlewaretoken": csrf_of(page), "challenge": token, "answer": answer, "website": "",
        "complainant_name": "张伟", "complainant_phone": "13800000001", "complainant_address": "曾都区南郊街道清河路8号",
        "complainant_id_type": "居民身份证", "complainant_wants_reply": "on", "complainant_e_delivery_consent": "on",
        "complainant_e_delivery_email": "zhangwei@example.cn",
        "respondent_name": "曾都区鑫达电器商行", "respondent_address": "曾都区南郊街道白云大道18号",
        "facts": "2026年2月20日购买空调一台，安装后不制冷，商家拒绝退换。", "demand": "退货并退还货款"})
    assert r.status_code == 200, r.content.decode()[:300]
    person = Case.objects.get().complainant
    assert (person.e_delivery_consent, person.e_delivery_phone, person.e_delivery_email) == (
        True, "13800000001", "zhangwei@example.cn")


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_item_page_masks_a_reporters_delivery_addresses_for_the_unit(api):
    reporter = {**report_body()["complainant"], "e_delivery_consent": True}
    case_id = flows.report_in_verification(api, complainant=reporter)
    page = _text(login("nanjiao").get(f"/cases/{case_id}/").content.decode())
    assert "电子送达 同意（送达地址 ***（已保密） ）" in page and "13900000002" not in page
    assert "短信 13900000002" in _text(login("xiaobao").get(f"/cases/{case_id}/").content.decode())


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_panel_delivers_by_sms_refuses_without_consent_in_place_and_offers_another_channel(api):
    case_id = flows.accepted(api)
    doc = flows.issue(api, case_id, "acceptance_notice")
    handler = login("nanjiao")
    url = f"/documents/{doc['id']}/deliveries/"
    r = handler.post(url, {"recipient": "complainant", "channel": "sms", "note": "首次送达"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 409
    form = html[html.index(f'action="{url}"'):]
    form = form[:form.index("</form>")]
    assert "投诉举报人未同意电子送达" in form and 'value="首次送达"' in form
    assert '<option value="sms" selected>' in form and html.count('role="alert"') == 1
    # A call that nobody answered, then the retry the page offers.
    r = handler.post(url, {"recipient": "complainant", "channel": "phone", "succeeded": "false", "proof": "无人接听"},
                     **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and "以电话送达投诉举报人（13800000001）： 未送达" in _text(html)
    failed = re.search(r'data-retry="(\d+)"', html).group(1)
    assert "改用其他方式送达" in html
    r = handler.get(f"/cases/{case_id}/documents/?retry={failed}", **HTMX)
    html = r.content.decode()
    assert f'name="retry_of" value="{failed}"' in html and '<option value="letter" selected>' in html
    r = handler.post(url, {"recipient": "complainant", "channel": "letter", "succeeded": "pending",
                           "proof": "EMS 1190000000003", "retry_of": failed}, **HTMX)
    html = r.content.decode()
    assert "待确认" in html and "改用其他方式送达" not in html  # the failed one is followed
    delivery = re.search(r'action="/deliveries/(\d+)/outcome/"', html).group(1)
    r = handler.post(f"/deliveries/{delivery}/outcome/", {"succeeded": "false", "proof": ""}, **HTMX)
    assert r.status_code == 422 and "请填写退回原因" in r.content.decode()
    r = handler.post(f"/deliveries/{delivery}/outcome/", {"succeeded": "false", "proof": "退回：地址不详"}, **HTMX)
    assert "未送达 （退回：地址不详）" in _text(r.content.decode()) and "改用其他方式送达" in r.content.decode()
    assert login("dongcheng").post(url, {"recipient": "complainant", "channel": "phone"}).status_code == 404
    assert login("dongcheng").post(f"/deliveries/{delivery}/outcome/", {"succeeded": "true"}).status_code == 404
