"""A refused form comes back with the server's Chinese message beside the field and what was typed (issue 18,
points 1 and 8), as the fragment htmx swaps in and as a whole page without htmx."""

import re

import pytest
import time_machine
from django.test import Client

from tests.conftest import complaint_body
from tests.documents import flows
from tests.web.test_pages import login
from xiaobao.cases.models import Case

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _field(html: str, name: str) -> str:
    """The form's field holding the control named `name` (from its <div class="field"> to the next one)."""
    for chunk in html.split('<div class="field')[1:]:
        if f'name="{name}"' in chunk:
            return '<div class="field' + chunk
    raise AssertionError(f"no field {name} in the form")


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_mediation_session_in_the_future_comes_back_with_the_reason_linked_to_the_field(api):
    case_id = flows.accepted(api)
    r = login("nanjiao").post(f"/cases/{case_id}/actions/record_session/", {
        "mode": "on_site", "lead": "nanjiao", "at": "2099-01-01T10:00", "place": "南郊所调解室"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422 and "<html" not in html  # the fragment the action panel swaps in
    at = _field(html, "at")
    assert 'class="field has-error"' in at and 'value="2099-01-01T10:00"' in at
    assert re.search(r'aria-describedby="id_at_helptext id_at_error"', at)
    assert '<small class="muted" id="id_at_helptext">留空即为现在</small>' in at
    assert re.search(r'<div id="id_at_error"><p class="error" role="alert">调解时间不能晚于现在', at)
    assert 'value="南郊所调解室"' in _field(html, "place")


@time_machine.travel(flows.FROZEN, tick=False)
def test_without_htmx_the_same_refusal_is_a_whole_page_with_the_form(api):
    case_id = flows.accepted(api)
    r = login("nanjiao").post(f"/cases/{case_id}/actions/mediate/", {
        "result": "agreed", "amount_recovered": "2999元", "agreement": "退还货款"})
    html = r.content.decode()
    assert r.status_code == 422 and "<html" in html
    amount = _field(html, "amount_recovered")
    assert 'value="2999元"' in amount and "挽回金额应为非负数字。" in amount
    assert "退还货款" in _field(html, "agreement")
    assert Case.objects.get(pk=case_id).state == "in_progress"


@time_machine.travel(flows.FROZEN, tick=False)
def test_ending_mediation_without_a_ground_names_the_ground_field_and_keeps_the_explanation(api):
    case_id = flows.accepted(api)
    r = login("nanjiao").post(f"/cases/{case_id}/actions/mediate/", {
        "result": "terminated", "ground": "", "reason": "被投诉人拒绝调解"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422
    assert 'class="field has-error"' in _field(html, "ground") and 'role="alert"' in _field(html, "ground")
    assert "被投诉人拒绝调解" in _field(html, "reason")
    assert '<option value="terminated" selected>' in html


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_refused_delivery_stays_beside_its_document_with_what_was_chosen_and_typed(api):
    case_id = flows.accepted(api)
    flows.issue(api, case_id, "acceptance_notice")
    doc_id = api("nanjiao").get(f"/api/v1/cases/{case_id}/documents").json()[0]["id"]
    r = login("nanjiao").post(f"/documents/{doc_id}/deliveries/", {
        "recipient": "complainant", "channel": "pigeon", "note": "托人带去"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422
    form = html[html.index(f'action="/documents/{doc_id}/deliveries/"'):]
    form = form[:form.index("</form>")]
    assert '<p class="error" role="alert">送达方式应为' in form
    assert 'value="托人带去"' in form and '<option value="complainant" selected>' in form
    assert html.count('role="alert"') == 1  # said once, beside the form it belongs to


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_a_refused_row_of_a_triage_batch_stays_ticked_with_its_reason_and_the_note(api):
    clerk = api("xiaobao")
    good = clerk.post("/api/v1/cases", complaint_body()).json()["id"]
    bad = clerk.post("/api/v1/cases", complaint_body(external_id="x-2", channel="platform_12315")).json()["id"]
    for case_id in (good, bad):
        clerk.act(case_id, "submit_for_triage")
    r = login("xiaobao").post("/triage/", {"case": [good, bad], f"unit-{good}": "st-nanjiao",
                                           f"unit-{bad}": "st-nowhere", "note": "属地分流"})
    html = r.content.decode()
    assert r.status_code == 422
    assert f"已分流 1 件：{Case.objects.get(pk=good).number}" in html
    assert "未能分流 1 件" in html
    row = html[html.index(f'value="{bad}"'):]
    row = row[:row.index("</tr>")]
    assert "checked" in row and f'id="route-error-{bad}">承办单位“st-nowhere”不存在或不能承办。' in row
    assert 'value="属地分流"' in html
    assert Case.objects.get(pk=bad).state == "triage"


def test_the_login_page_names_an_empty_field_instead_of_leaving_it_to_the_browser(bureau):
    r = Client().post("/login/", {"username": "", "password": "x"})
    html = r.content.decode()
    assert "请填写用户名。" in html and '<form method="post" novalidate>' in html
