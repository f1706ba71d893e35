"""A handler of 东城所 reaches no item of 南郊所 by any route: API, search, actions, documents, case file,
identity reveal, audit, pages (rules 三.5). Every answer is 403 or 404 and never names the item."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.conftest import complaint_body, report_body
from tests.documents import flows
from xiaobao.cases.models import Case
from xiaobao.cases.services import all_actions
from xiaobao.units.models import Staff

FACTS = "南郊所独有的事实：白云大道18号门店出售翻新冰箱冒充新品"
RESPONDENT = "曾都区独一无二家电翻新店"


@pytest.fixture
def nanjiao_items(api):
    """A complaint and a report held by 南郊所, each with a document."""
    clerk = api("xiaobao")
    body = {"facts": FACTS, "respondent": {"name": RESPONDENT, "address": "曾都区南郊街道白云大道18号"}}
    complaint = clerk.post("/api/v1/cases", complaint_body(**body)).json()["id"]
    report = clerk.post("/api/v1/cases", report_body(**body)).json()["id"]
    for case_id in (complaint, report):
        assert clerk.act(case_id, "submit_for_triage").status_code == 200
        assert clerk.act(case_id, "assign", {"unit": "st-nanjiao"}).status_code == 200
    assert api("fenguan").act(report, "approve", {"note": "同意"}).status_code == 200
    assert api("nanjiao").act(complaint, "accept").status_code == 200
    documents = [flows.issue(api, case_id, "registration_form")["id"] for case_id in (complaint, report)]
    return [(case_id, doc) for case_id, doc in zip((complaint, report), documents, strict=True)]


def _secrets(case_id: int) -> list[str]:
    case = Case.objects.select_related("complainant").get(pk=case_id)
    return [case.number, FACTS, RESPONDENT, case.complainant.name, case.complainant.phone]


def _no_leak(response, case_id: int, allowed=(403, 404), echo: str = "") -> None:
    assert response.status_code in allowed, (response.request["PATH_INFO"], response.status_code)
    body = response.content.decode("utf-8", errors="replace")
    if echo:
        # The search form, and the form that saves the filter, show the user's own query back: not a leak.
        body = body.replace(f'value="{echo}"', "").replace(f'value="{urlencode({"q": echo})}"', "")
    for secret in _secrets(case_id):
        assert secret not in body, (response.request["PATH_INFO"], secret)


def test_the_api_hides_another_units_items(api, nanjiao_items):
    dongcheng = api("dongcheng")
    for case_id, doc in nanjiao_items:
        number = Case.objects.get(pk=case_id).number
        for path in (f"/api/v1/cases/{case_id}", f"/api/v1/cases/{case_id}/documents",
                     f"/api/v1/documents/{doc}/file", f"/api/v1/cases/{case_id}/case-file.pdf",
                     f"/api/v1/cases/{case_id}/archive-record", f"/api/v1/cases/{case_id}/suggestions",
                     f"/api/v1/cases/{case_id}/attachments", f"/api/v1/audit?case={case_id}"):
            _no_leak(dongcheng.get(path), case_id)
        _no_leak(dongcheng.get(f"/api/v1/documents/{doc}/file", format="docx"), case_id)
        for q in (number, FACTS[:8], RESPONDENT, ""):
            r = dongcheng.get("/api/v1/cases", q=q, unit="st-nanjiao")
            assert r.status_code == 200 and r.json()["count"] == 0
            _no_leak(r, case_id, allowed=(200,))
        for path, body in ((f"/api/v1/cases/{case_id}/reveal", {"reason": "想看看"}),
                           (f"/api/v1/cases/{case_id}/documents", {"type": "registration_form"}),
                           (f"/api/v1/documents/{doc}/deliveries", {"channel": "letter", "recipient": "respondent"}),
                           (f"/api/v1/cases/{case_id}/archive-record", {"classification": "complaint",
                                                                        "retention": "10y"})):
            _no_leak(dongcheng.post(path, body), case_id)
        for action in [*all_actions(), "no_such_action"]:
            _no_leak(dongcheng.act(case_id, action, {"note": "x", "reason": "x", "unit": "st-dongcheng"}), case_id)
    for case_id, _ in nanjiao_items:
        case = Case.objects.get(pk=case_id)
        assert case.unit.code == "st-nanjiao" and case.documents.count() == 1
        assert not case.events.filter(actor__username="dongcheng").exists()


def test_the_pages_hide_another_units_items(nanjiao_items):
    client = Client()
    client.force_login(Staff.objects.get(username="dongcheng"))
    for case_id, doc in nanjiao_items:
        number = Case.objects.get(pk=case_id).number
        for path in (f"/cases/{case_id}/", f"/cases/{case_id}/actions/accept/", f"/cases/{case_id}/documents/",
                     f"/documents/{doc}/file/pdf/", f"/documents/{doc}/file/docx/",
                     f"/archive/{case_id}/case-file.pdf", "/archive/", f"/cases/{case_id}/attachments/"):
            _no_leak(client.get(path), case_id)
        for path in (f"/cases/{case_id}/actions/accept/", f"/cases/{case_id}/actions/not_accept/",
                     f"/documents/{doc}/deliveries/", f"/archive/{case_id}/"):
            _no_leak(client.post(path, {"reason": "x", "ground": "x", "channel": "letter"}), case_id)
        for q in (number, RESPONDENT):
            _no_leak(client.get("/cases/", {"q": q}), case_id, allowed=(200,), echo=q)
    assert Case.objects.filter(state="in_progress").count() == 1


def test_nanjiao_itself_sees_them(api, nanjiao_items):
    """The routes above do reach the item for its own unit, so the refusals are about the unit."""
    for case_id, doc in nanjiao_items:
        assert api("nanjiao").get(f"/api/v1/cases/{case_id}").status_code == 200
        assert api("nanjiao").get(f"/api/v1/documents/{doc}/file").status_code == 200
        r = api("nanjiao").get("/api/v1/cases", q=RESPONDENT)
        assert r.json()["count"] == 2
