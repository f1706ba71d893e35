"""The documents part of API v1: listing, issuing, refusals, downloads in the audit trail, deliveries."""

import time_machine

from tests.documents import flows
from xiaobao.records.models import AuditEntry


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_document_that_does_not_fit_the_state_is_refused_with_409(api):
    case_id = flows.complaint(api)
    r = api("nanjiao").post(f"/api/v1/cases/{case_id}/documents", {"type": "acceptance_notice"})
    assert r.status_code == 409
    assert r.json()["state"] == "assigned" and "受理通知书" in r.json()["error"]
    for wrong in ("non_acceptance_notice", "termination_decision", "report_result_notice", "non_filing_record"):
        assert api("nanjiao").post(f"/api/v1/cases/{case_id}/documents", {"type": wrong}).status_code == 409


@time_machine.travel(flows.FROZEN, tick=False)
def test_an_unknown_type_is_a_422_and_the_same_document_twice_a_409(api):
    case_id = flows.accepted(api)
    r = api("nanjiao").post(f"/api/v1/cases/{case_id}/documents", {"type": "penalty_decision"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "type"
    first = flows.issue(api, case_id, "acceptance_notice")
    again = api("nanjiao").post(f"/api/v1/cases/{case_id}/documents", {"type": "acceptance_notice"})
    assert again.status_code == 409 and first["number"] in again.json()["error"]


@time_machine.travel(flows.FROZEN, tick=False)
def test_another_units_handler_gets_404_for_the_items_documents_and_files(api):
    case_id = flows.accepted(api)
    doc = flows.issue(api, case_id, "acceptance_notice")
    other = api("dongcheng")
    assert other.get(f"/api/v1/cases/{case_id}/documents").status_code == 404
    assert other.post(f"/api/v1/cases/{case_id}/documents", {"type": "registration_form"}).status_code == 404
    assert other.get(f"/api/v1/documents/{doc['id']}/file", format="pdf").status_code == 404
    assert other.get(f"/api/v1/documents/{doc['id']}/file", format="docx").status_code == 404
    assert other.post(f"/api/v1/documents/{doc['id']}/deliveries",
                      {"channel": "sms", "recipient": "complainant"}).status_code == 404
    assert api("nanjiao").get("/api/v1/documents/999999/file").status_code == 404
    assert not AuditEntry.objects.filter(action="download_document", actor_name="dongcheng").exists()


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_reader_without_a_role_in_the_item_cannot_issue(api):
    case_id = flows.accepted(api)
    r = api("auditor").post(f"/api/v1/cases/{case_id}/documents", {"type": "registration_form"})
    assert r.status_code == 403


@time_machine.travel(flows.FROZEN, tick=False)
def test_issuing_is_on_the_timeline_and_every_download_in_the_audit_trail(api):
    case_id = flows.accepted(api)
    doc = flows.issue(api, case_id, "acceptance_notice")
    listed = api("nanjiao").get(f"/api/v1/cases/{case_id}/documents").json()
    assert [(d["id"], d["type"], d["number"], d["delivered"]) for d in listed] == [
        (doc["id"], "acceptance_notice", doc["number"], [])]
    item = api("nanjiao").get(f"/api/v1/cases/{case_id}").json()
    assert item["events"][-1]["action"] == "issue_document" and doc["number"] in item["events"][-1]["note"]

    flows.download(api, doc["id"], "docx")
    flows.download(api, doc["id"], "docx", "xiaobao")
    rows = AuditEntry.objects.filter(action="download_document", object=f"document:{doc['id']}")
    assert [(a.actor_name, a.case_id, a.detail["format"]) for a in rows.order_by("id")] == [
        ("nanjiao", case_id, "docx"), ("xiaobao", case_id, "docx")]


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_bad_format_is_a_422(api):
    doc = flows.issue(api, flows.complaint(api), "registration_form")
    assert flows.download(api, doc["id"], "odt").status_code == 422


def test_the_openapi_document_declares_every_response_code(api):
    paths = api("xiaobao").get("/api/v1/openapi.json").json()["paths"]
    create = paths["/api/v1/cases/{case_id}/documents"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(create)
    assert {"200", "401", "404"} <= set(paths["/api/v1/cases/{case_id}/documents"]["get"]["responses"])
    file = paths["/api/v1/documents/{document_id}/file"]["get"]["responses"]
    assert {"200", "401", "404", "422"} <= set(file)
    assert "application/pdf" in file["200"]["content"]
    deliveries = paths["/api/v1/documents/{document_id}/deliveries"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(deliveries)


def test_without_a_token_it_is_401(bureau):
    from django.test import Client

    assert Client().get("/api/v1/cases/1/documents").status_code == 401
    assert Client().get("/api/v1/documents/1/file").status_code == 401
