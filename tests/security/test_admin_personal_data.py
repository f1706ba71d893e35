"""The administrator runs the system, not the items: it gets 404 on every item, and no admin page shows it what
the item pages and the API would not (rules 三.5). The attack: log in as the administrator and open every
admin page of every registered model, looking for a reporter's name, phone, ID number and address."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.documents import flows
from xiaobao.cases.models import Case
from xiaobao.documents.models import Document
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = "2026-03-05 10:00 +0800"
REPORTER = {"name": "欧阳秀英", "phone": "13911112222", "address": "曾都区东城街道文化路101号",
            "id_type": "居民身份证", "id_number": "421302198807071234"}
AGENT = {"name": "司马代理", "phone": "13755556666"}


def login(username: str) -> Client:
    c = Client()
    r = c.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def _secrets() -> list[str]:
    return [REPORTER["name"], REPORTER["phone"], REPORTER["address"], REPORTER["id_number"],
            AGENT["name"], AGENT["phone"]]


@pytest.fixture
def paper_trail(api):
    """A report and a complaint, each with a registration form (the document that prints the person in full)
    and a delivery; the report archived, with an archive record."""
    with time_machine.travel(NOW, tick=False):
        report = flows.report_not_filed(api, complainant=REPORTER)
        complaint = flows.complaint(api, complainant=REPORTER, agent=AGENT, external_id="C-1")
        docs = [flows.issue(api, case_id, "registration_form", user="xiaobao")["id"]
                for case_id in (report, complaint)]
        for doc in docs:
            r = api("xiaobao").post(f"/api/v1/documents/{doc}/deliveries",
                                    {"channel": "phone", "recipient": "complainant",
                                     "note": f"电话告知{REPORTER['name']}（{REPORTER['phone']}）"})
            assert r.status_code in (200, 201), r.content.decode()
        r = api("archivist").post(f"/api/v1/cases/{report}/archive-record", {
            "classification": "report.not_filed", "retention": "30y",
            "note": f"举报人{REPORTER['name']}另交材料一份"})
        assert r.status_code == 201, r.content.decode()
    return {"cases": [report, complaint], "documents": docs}


def _admin_pages() -> list[str]:
    """Every list page and every object's change page of every registered ModelAdmin."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        for pk in model_admin.get_queryset(None).values_list("pk", flat=True)[:50]:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[pk]))
            pages.append(reverse("admin:{}_{}_history".format(*info), args=[pk]))
    return pages


def test_the_administrator_gets_404_on_the_items_themselves(api, paper_trail):
    for case_id in paper_trail["cases"]:
        assert api("admin").get(f"/api/v1/cases/{case_id}").status_code == 404


def test_the_document_admin_shows_the_administrator_no_reporter(paper_trail):
    c = login("admin")
    listing = c.get("/admin/documents/document/")
    assert listing.status_code == 200
    pages = [listing] + [c.get(f"/admin/documents/document/{doc}/change/") for doc in paper_trail["documents"]]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        for secret in _secrets():
            assert secret not in html, (page.request["PATH_INFO"], secret)
    assert "无权查看该件" in pages[1].content.decode()
    # The registration form exists and prints the reporter (the document itself is intact).
    assert REPORTER["id_number"] in str(Document.objects.get(pk=paper_trail["documents"][0]).data)


def test_no_admin_page_shows_the_administrator_a_reporter(paper_trail):
    c = login("admin")
    seen = 0
    for path in _admin_pages():
        r = c.get(path)
        assert r.status_code in (200, 302), (path, r.status_code)
        html = r.content.decode()
        for secret in _secrets():
            assert secret not in html, (path, secret)
        seen += 1
    assert seen > 20 and "/admin/archive/archiverecord/" in " ".join(_admin_pages())
    assert not AuditEntry.objects.filter(action="read_personal", actor__username="admin").exists()


def test_an_administrator_who_also_dispatches_reads_the_form_in_the_admin_audited(bureau, paper_trail):
    # The roles that see the person on the item's page see it in the admin too, and the read is audited there.
    admin_user = bureau["admin"]
    admin_user.roles = ["admin", "dispatcher"]
    admin_user.save()
    doc = paper_trail["documents"][1]
    html = login("admin").get(f"/admin/documents/document/{doc}/change/").content.decode()
    assert REPORTER["id_number"] in html
    read = AuditEntry.objects.get(action="read_personal", actor__username="admin", object=f"document:{doc}")
    assert read.case_id == paper_trail["cases"][1] and read.detail["via"] == "admin"


def test_a_deputy_director_made_administrator_sees_the_form_masked(bureau, paper_trail):
    # 分管局长 sees the items but not who filed them: the admin masks the form for them as the download does.
    user = bureau["admin"]
    user.roles = ["admin", "deputy_director"]
    user.save()
    c = login("admin")
    for doc in paper_trail["documents"]:
        html = c.get(f"/admin/documents/document/{doc}/change/").content.decode()
        assert Case.objects.get(documents=doc).number in html
        for secret in _secrets():
            assert secret not in html, secret
    assert not AuditEntry.objects.filter(action="read_personal", actor__username="admin").exists()
