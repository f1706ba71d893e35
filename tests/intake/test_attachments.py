"""Attachments: what may be uploaded, by whom, and who may download it."""

import base64
import io
import zipfile

import pytest
import time_machine
from django.test import Client

from tests.conftest import complaint_body
from tests.web.test_pages import login
from xiaobao.cases.models import Event
from xiaobao.intake.models import Attachment
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        yield

# A valid 1x1 transparent PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56


def upload(api, username: str, case_id: int, name: str, data: bytes):
    a = api(username)
    return a.client.post(f"/api/v1/cases/{case_id}/attachments", {"file": _file(name, data)}, **a.headers)


def _file(name: str, data: bytes):
    f = io.BytesIO(data)
    f.name = name
    return f


def assigned_to_nanjiao(api) -> int:
    case_id = api("xiaobao").post("/api/v1/cases", complaint_body()).json()["id"]
    api("xiaobao").act(case_id, "submit_for_triage")
    assert api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao"}).status_code == 200
    return case_id


def test_a_handler_uploads_a_png_and_the_timeline_says_so(api):
    case_id = assigned_to_nanjiao(api)
    r = upload(api, "nanjiao", case_id, "收据.png", PNG)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "收据.png" and body["content_type"] == "image/png" and body["size"] == len(PNG)
    attachment = Attachment.objects.get(pk=body["id"])
    assert attachment.path.startswith("attachments/2026/") and "收据" not in attachment.path
    assert attachment.full_path.read_bytes() == PNG
    event = Event.objects.get(case_id=case_id, action="attach")
    assert event.data == {"attachment": body["id"], "name": "收据.png", "size": len(PNG)}
    listed = api("xiaobao").get(f"/api/v1/cases/{case_id}/attachments").json()
    assert [a["id"] for a in listed] == [body["id"]]


@pytest.mark.parametrize("payload", [ELF, PE], ids=["elf", "pe"])
def test_an_executable_renamed_photo_jpg_is_refused_naming_the_file_field(api, payload):
    case_id = assigned_to_nanjiao(api)
    r = upload(api, "nanjiao", case_id, "photo.jpg", payload)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "file"
    assert "可执行" in r.json()["errors"][0]["message"]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("name,data", [
    ("page.jpg", b"<html><script>alert(1)</script></html>"),
    ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ("docs.zip", None),
], ids=["html", "svg", "plain-zip"])
def test_markup_and_archives_are_refused_whatever_their_name(api, name, data):
    if data is None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("readme.txt", "hello")
        data = buf.getvalue()
    case_id = assigned_to_nanjiao(api)
    r = upload(api, "nanjiao", case_id, name, data)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"


def test_an_oversize_file_is_refused(api, settings):
    settings.XIAOBAO_ATTACHMENT_MAX_BYTES = 1024
    case_id = assigned_to_nanjiao(api)
    r = upload(api, "nanjiao", case_id, "big.txt", b"a" * 2048)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "file" and "过大" in r.json()["errors"][0]["message"]
    assert not Attachment.objects.exists()


def test_another_units_handler_gets_404_for_the_list_the_upload_and_the_download(api):
    case_id = assigned_to_nanjiao(api)
    attachment_id = upload(api, "nanjiao", case_id, "收据.png", PNG).json()["id"]
    assert api("dongcheng").get(f"/api/v1/attachments/{attachment_id}").status_code == 404
    assert api("dongcheng").get(f"/api/v1/cases/{case_id}/attachments").status_code == 404
    assert upload(api, "dongcheng", case_id, "x.png", PNG).status_code == 404
    assert login("dongcheng").get(f"/intake/attachments/{attachment_id}/").status_code == 404


def test_a_download_is_the_file_with_its_detected_type_nosniff_and_an_audit_row(api):
    case_id = assigned_to_nanjiao(api)
    attachment_id = upload(api, "nanjiao", case_id, "photo.jpg", PNG).json()["id"]
    r = api("auditor").get(f"/api/v1/attachments/{attachment_id}")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment;") and "photo.jpg.png" in r["Content-Disposition"]
    audit = AuditEntry.objects.filter(action="download_attachment").get()
    assert audit.actor_name == "auditor" and audit.case_id == case_id


def test_the_auditor_may_download_but_not_upload(api):
    case_id = assigned_to_nanjiao(api)
    assert upload(api, "auditor", case_id, "a.png", PNG).status_code == 403


def test_an_archived_item_refuses_uploads(api):
    case_id = api("xiaobao").post("/api/v1/cases", complaint_body(kind="inquiry", facts="请问七日无理由退货怎么算？")).json()["id"]
    assert api("xiaobao").act(case_id, "answer", {"answer": "自收货次日起算。"}).status_code == 200
    assert api("archivist").act(case_id, "archive").status_code == 200
    r = upload(api, "xiaobao", case_id, "a.png", PNG)
    assert r.status_code == 409


def test_the_file_is_not_reachable_under_static_or_media(api):
    case_id = assigned_to_nanjiao(api)
    attachment = Attachment.objects.get(pk=upload(api, "nanjiao", case_id, "收据.png", PNG).json()["id"])
    for prefix in ("/static/", "/media/", "/static/uploads/", "/uploads/"):
        for client in (Client(), login("nanjiao")):
            assert client.get(prefix + attachment.path).status_code == 404


def test_the_item_page_lists_attachments_and_uploads_through_htmx(api):
    case_id = assigned_to_nanjiao(api)
    page = login("nanjiao")
    html = page.get(f"/cases/{case_id}/").content.decode()
    assert "暂无附件" in html and 'hx-encoding="multipart/form-data"' in html
    r = page.post(f"/intake/cases/{case_id}/attachments/", {"file": _file("收据.png", PNG)}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "收据.png" in r.content.decode()
    r = page.post(f"/intake/cases/{case_id}/attachments/", {"file": _file("photo.jpg", ELF)}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "可执行" in r.content.decode()
    attachment = Attachment.objects.get()
    r = page.get(f"/intake/attachments/{attachment.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    auditor_page = login("auditor").get(f"/cases/{case_id}/").content.decode()
    assert "收据.png" in auditor_page and 'name="file"' not in auditor_page
