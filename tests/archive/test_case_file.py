"""The whole case file as one PDF: cover, registration, parties (masked where the reader may not see them),
documents with their own pages, timeline; every export audited."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.documents import flows
from xiaobao.records.models import AuditEntry


def _pdf(api, user: str, case_id: int):
    return api(user).get(f"/api/v1/cases/{case_id}/case-file.pdf")


def test_an_archived_complaint_exports_as_one_pdf_with_its_documents_appended(api):
    case_id = flows.mediated(api)
    doc = flows.issue(api, case_id, "mediation_agreement")
    record = api("archivist").post(f"/api/v1/cases/{case_id}/archive-record",
                                   {"classification": "complaint.mediated", "retention": "10y"}).json()
    r = _pdf(api, "archivist", case_id)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    document_pages = len(PdfReader(io.BytesIO(flows.download(api, doc["id"], "pdf").content)).pages)
    assert len(reader.pages) >= 3 + document_pages
    text = flows.pdf_text(r.content)
    for expected in (record["number"], "投诉类·调解成功", "定期10年", "曾都区鑫达电器商行", doc["number"],
                     "调解书", "办理记录", "调解结果", "归档", "被投诉人为投诉人办理退货"):
        assert expected in text, expected
    row = AuditEntry.objects.filter(action="export_case_file", case_id=case_id).get()
    assert row.actor_name == "archivist" and row.detail["archive_number"] == record["number"]
    assert row.detail["documents"] == 1


def test_the_reporter_is_masked_for_the_archivist_and_shown_to_the_office(api):
    case_id = flows.report_filed(api)
    api("archivist").post(f"/api/v1/cases/{case_id}/archive-record",
                          {"classification": "report.filed", "retention": "30y"})
    archivist = flows.pdf_text(_pdf(api, "archivist", case_id).content)
    assert "李娜" not in archivist and "13900000002" not in archivist and "身份信息按保密规定隐去" in archivist
    office = flows.pdf_text(_pdf(api, "xiaobao", case_id).content)
    assert "李娜" in office and "13900000002" in office
    assert AuditEntry.objects.filter(action="export_case_file", case_id=case_id, detail__personal=True).count() == 1


def test_a_masked_reader_does_not_find_the_reporter_in_timeline_notes(api):
    case_id = flows.report_in_verification(api)
    api("nanjiao").act(case_id, "file", {"note": "经与举报人李娜（13900000002）核实后立案"})
    text = flows.pdf_text(_pdf(api, "nanjiao", case_id).content)
    assert "李娜" not in text and "13900000002" not in text and "经与举报人***（***）核实后立案" in text


def test_an_unarchived_item_exports_with_a_cover_saying_so(api):
    case_id = flows.accepted(api)
    text = flows.pdf_text(_pdf(api, "nanjiao", case_id).content)
    assert "（未归档）" in text and "张伟" in text


def test_a_user_who_may_not_see_the_item_gets_404_and_no_audit_row(api):
    case_id = flows.mediated(api)
    assert _pdf(api, "dongcheng", case_id).status_code == 404
    assert _pdf(api, "archivist", 999999).status_code == 404
    assert not AuditEntry.objects.filter(action="export_case_file").exists()


def test_the_archive_page_link_downloads_the_same_file(api, client, bureau):
    from xiaobao.units.models import Staff

    case_id = flows.mediated(api)
    client.force_login(Staff.objects.get(username="dongcheng"))
    assert client.get(f"/archive/{case_id}/case-file.pdf").status_code == 404
    client.force_login(Staff.objects.get(username="nanjiao"))
    r = client.get(f"/archive/{case_id}/case-file.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_the_case_file_holds_the_documents_as_served_and_names_the_category(api):
    # Issue 18 (4): the archive copy of the 调解书 printed "***" where the served one names the complainant, and
    # the cover printed the category's code ("appliances").
    case_id = flows.mediated(api)
    doc = flows.issue(api, case_id, "mediation_agreement")
    registration = flows.issue(api, case_id, "registration_form")
    api("archivist").post(f"/api/v1/cases/{case_id}/archive-record",
                          {"classification": "complaint.mediated", "retention": "10y"})
    served = flows.pdf_text(flows.download(api, doc["id"], "pdf").content)
    assert "张伟" in served
    text = flows.pdf_text(_pdf(api, "archivist", case_id).content)
    assert "家用电器" in text and "appliances" not in text
    after_cover = text[text.index(doc["number"]):]
    assert "张伟" in after_cover
    # The registration form prints the person in full; for the archivist it stays masked.
    assert registration["number"] in text and "13800000001" not in text and "421302199001011234" not in text
    row = AuditEntry.objects.filter(action="export_case_file", case_id=case_id).get()
    assert row.detail["personal"] is True
