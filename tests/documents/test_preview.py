"""A document is previewed before it is issued: same checks, same content, no number used up (issue 18, 3)."""

import time_machine

from tests.documents import flows
from tests.web.test_pages import login
from xiaobao.documents.models import Document
from xiaobao.records.models import AuditEntry


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_preview_shows_the_document_without_using_a_number(api):
    case_id = flows.accepted(api)
    r = api("nanjiao").get(f"/api/v1/cases/{case_id}/documents/preview?type=acceptance_notice")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = flows.pdf_text(r.content)
    assert "受理通知书" in text and "决定予以受理" in text and "预览件，未编号，不得送达" in text
    assert not Document.objects.exists()
    assert AuditEntry.objects.filter(action="preview_document", case_id=case_id).count() == 1
    # Previewing used no number: the first document issued is still number 1.
    assert flows.issue(api, case_id, "acceptance_notice")["number"] == "曾市监投受〔2026〕1号"


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_preview_is_refused_like_issuing_and_hidden_from_other_units(api):
    case_id = flows.complaint(api)
    r = api("nanjiao").get(f"/api/v1/cases/{case_id}/documents/preview?type=acceptance_notice")
    assert r.status_code == 409 and "受理通知书" in r.json()["error"]
    assert api("nanjiao").get(f"/api/v1/cases/{case_id}/documents/preview?type=nope").status_code == 422
    assert api("dongcheng").get(
        f"/api/v1/cases/{case_id}/documents/preview?type=registration_form").status_code == 404


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_documents_panel_offers_a_preview_of_each_document_it_may_issue(api):
    case_id = flows.accepted(api)
    page = login("nanjiao")
    panel = page.get(f"/cases/{case_id}/documents/").content.decode()
    link = f'/cases/{case_id}/documents/preview/?type=acceptance_notice'
    assert link in panel and "先预览（不编号）" in panel
    r = page.get(link)
    assert r.status_code == 200 and "预览件，未编号，不得送达" in flows.pdf_text(r.content)
    assert not Document.objects.exists()
