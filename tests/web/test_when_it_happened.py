"""When it happened, on the item's page (issue 18, point 6): the forms of the records of facts ask 发生时间 (blank
for now), refuse a moment in the future beside the field and keep what was typed, the timeline shows both times
("发生于 … · 录入于 …"), decisions ask no time, and the 回访 form chooses no satisfaction for the clerk."""

import re

import pytest
import time_machine

from tests.conftest import complaint_body
from tests.web.test_pages import login
from xiaobao.cases import services
from xiaobao.cases.models import Case
from xiaobao.clocks.models import Pause

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _field(html: str, name: str) -> str:
    """The form's field holding the control named `name` (from its <div class="field"> to the next one)."""
    for chunk in html.split('<div class="field')[1:]:
        if f'name="{name}"' in chunk:
            return '<div class="field' + chunk.split("</div>\n")[0]
    raise AssertionError(f"no field {name} in the form")


def accepted(staff) -> Case:
    case, _ = services.register_case(actor=staff["xiaobao"],
                                     data=complaint_body(received_at="2026-05-06T09:30:00+08:00"))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao"})
    services.perform(actor=staff["nanjiao"], case_id=case.pk, action="accept", body={})
    return case


@pytest.fixture
def staff(bureau):
    return bureau


def test_a_contact_entered_later_shows_both_times_on_the_timeline(staff):
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        case = accepted(staff)
    with time_machine.travel("2026-05-08 10:05 +0800", tick=False):
        nanjiao = login("nanjiao")
        form = nanjiao.get(f"/cases/{case.pk}/actions/record_contact/", **HTMX).content.decode()
        occurred = _field(form, "occurred_at")
        assert "发生时间" in occurred and 'type="datetime-local"' in occurred and "留空即为现在" in occurred
        assert "发生时间 *" not in occurred  # optional
        r = nanjiao.post(f"/cases/{case.pk}/actions/record_contact/", {
            "with_whom": "complainant", "channel": "phone", "content": "电话联系投诉人，约定调解",
            "occurred_at": "2026-05-07T15:00"}, **HTMX)
        assert r.status_code == 200, r.content.decode()[:800]
        page = nanjiao.get(f"/cases/{case.pk}/").content.decode()
    line = re.search(r"<li>[^<]*<span class=\"when\">.*?</li>", page, re.S).group(0)
    text = re.sub(r"<[^>]+>", "", line)
    assert "发生于 2026-05-07 15:00 · 录入于 2026-05-08 10:05" in text and "联系记录" in text
    # The lines entered when they happened show one time.
    assert page.count('class="when"') == 1


def test_a_future_time_is_refused_beside_the_field_with_what_was_typed(staff):
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        case = accepted(staff)
    with time_machine.travel("2026-05-08 10:00 +0800", tick=False):
        r = login("nanjiao").post(f"/cases/{case.pk}/actions/record_visit/", {
            "officers": "王强、李明", "findings": "门店已下架该型号空调", "occurred_at": "2026-05-09T09:00"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422 and "<html" not in html
    occurred = _field(html, "occurred_at")
    assert 'class="field has-error"' in occurred and 'value="2026-05-09T09:00"' in occurred
    assert re.search(r'<div id="id_occurred_at_error"><p class="error" role="alert">发生时间不能晚于现在', occurred)
    assert 'value="王强、李明"' in _field(html, "officers")
    assert not Case.objects.get(pk=case.pk).site_visits.exists()


def test_a_pause_entered_in_the_form_stops_the_clocks_from_the_day_it_happened(staff):
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        case = accepted(staff)
    with time_machine.travel("2026-05-13 10:00 +0800", tick=False):
        nanjiao = login("nanjiao")
        r = nanjiao.post(f"/cases/{case.pk}/actions/pause/", {"reason": "testing", "note": "送检",
                                                               "occurred_at": "2026-05-11T09:00"}, **HTMX)
        assert r.status_code == 200, r.content.decode()[:800]
        assert str(Pause.objects.get(case=case).start) == "2026-05-11"
        # Going back before the pause's own line is refused beside the field.
        r = nanjiao.post(f"/cases/{case.pk}/actions/resume/", {"occurred_at": "2026-05-10T09:00"}, **HTMX)
        assert r.status_code == 422
        assert "不能早于办理记录的上一条（2026-05-11 09:00）" in _field(r.content.decode(), "occurred_at")
        assert Pause.objects.get(case=case).end is None


def test_decisions_ask_no_time_and_the_follow_up_chooses_no_satisfaction(staff):
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        case, _ = services.register_case(actor=staff["xiaobao"],
                                         data=complaint_body(received_at="2026-05-06T09:30:00+08:00"))
        services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
        services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao"})
        nanjiao = login("nanjiao")
        for decision in ("accept", "not_accept", "return"):
            form = nanjiao.get(f"/cases/{case.pk}/actions/{decision}/", **HTMX).content.decode()
            assert 'name="occurred_at"' not in form and "发生时间" not in form, decision
        services.perform(actor=staff["nanjiao"], case_id=case.pk, action="accept", body={})
        services.perform(actor=staff["nanjiao"], case_id=case.pk, action="mediate",
                         body={"result": "agreed", "amount_recovered": "3299.00", "agreement": "退货退款"})
        clerk = login("xiaobao")
        form = clerk.get(f"/cases/{case.pk}/actions/follow_up/", **HTMX).content.decode()
        satisfaction = _field(form, "satisfaction")
        assert "selected" not in re.sub(r'<option value="" selected>', "", satisfaction)
        assert "满意" in satisfaction and 'name="occurred_at"' in form
        r = clerk.post(f"/cases/{case.pk}/actions/follow_up/", {"channel": "phone", "note": "电话回访"}, **HTMX)
    assert r.status_code == 422
    assert "has-error" in _field(r.content.decode(), "satisfaction")
    assert "电话回访" in _field(r.content.decode(), "note")
    assert not Case.objects.get(pk=case.pk).follow_ups.exists()
