"""The documents panel of an item's page: issue, download, record a delivery; other units get 404."""

import time_machine
from django.test import Client

from tests.conftest import PASSWORD
from tests.documents import flows


def _login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_handler_issues_downloads_and_delivers_from_the_items_documents_panel(api):
    case_id = flows.accepted(api)
    page = _login("nanjiao")
    panel = page.get(f"/cases/{case_id}/documents/", HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    html = panel.content.decode()
    assert 'value="acceptance_notice"' in html and 'value="termination_decision"' not in html

    r = page.post(f"/cases/{case_id}/documents/", {"type": "acceptance_notice"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "曾市监投受〔2026〕1号" in r.content.decode()
    doc_id = api("nanjiao").get(f"/api/v1/cases/{case_id}/documents").json()[0]["id"]

    pdf = page.get(f"/documents/{doc_id}/file/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    r = page.post(f"/documents/{doc_id}/deliveries/", {"channel": "phone", "recipient": "complainant", "note": "电话告知"})
    assert r.status_code == 302
    assert "以电话送达投诉举报人" in page.get(f"/cases/{case_id}/documents/").content.decode()

    again = page.post(f"/cases/{case_id}/documents/", {"type": "acceptance_notice"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 409 and "不必重复制作" in again.content.decode()


@time_machine.travel(flows.FROZEN, tick=False)
def test_another_unit_gets_404_for_the_panel_and_the_files(api):
    case_id = flows.accepted(api)
    doc = flows.issue(api, case_id, "acceptance_notice")
    other = _login("dongcheng")
    assert other.get(f"/cases/{case_id}/documents/").status_code == 404
    assert other.get(f"/documents/{doc['id']}/file/docx/").status_code == 404
    assert other.post(f"/documents/{doc['id']}/deliveries/", {"channel": "sms", "recipient": "complainant"}).status_code == 404
