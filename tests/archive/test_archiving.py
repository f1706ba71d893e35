"""归档 (rules 二.7): the archivist classifies and numbers concluded items; archived items are read-only."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.documents import flows
from xiaobao.archive import services
from xiaobao.archive.models import ArchiveRecord
from xiaobao.cases.errors import NotPermitted, WrongState
from xiaobao.cases.models import Case
from xiaobao.cases.services import all_actions
from xiaobao.records.audit import verify
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Staff


def _archive(api, case_id: int, **body):
    body = {"classification": "complaint.mediated", "retention": "10y", **body}
    return api("archivist").post(f"/api/v1/cases/{case_id}/archive-record", body)


def test_the_archivist_archives_a_concluded_complaint_with_the_next_number(api):
    first, second = flows.mediated(api), flows.mediated(api)
    r = _archive(api, first, location="2026年第1盒第3卷")
    assert r.status_code == 201, r.content
    body = r.json()
    year = timezone.localdate().year
    assert body["number"] == f"{year}-TS-0001"
    assert body["classification_label"] == "投诉类·调解成功"
    assert body["retention"]["label"] == "定期10年" and "国家档案局令第8号" in body["retention"]["basis"]
    assert body["location"] == "2026年第1盒第3卷" and body["archived_by"] == "archivist"
    assert _archive(api, second).json()["number"] == f"{year}-TS-0002"

    case = api("archivist").get(f"/api/v1/cases/{first}").json()
    assert case["state"] == "archived"
    last = case["events"][-1]
    assert last["action"] == "archive" and last["from"] == "concluded" and last["to"] == "archived"
    assert f"档号 {year}-TS-0001" in last["note"]
    assert api("archivist").get(f"/api/v1/cases/{first}/archive-record").json()["number"] == f"{year}-TS-0001"
    assert verify()["ok"]


def test_reports_and_inquiries_are_numbered_in_their_own_series(api):
    year = timezone.localdate().year
    report = flows.report_filed(api)
    r = _archive(api, report, classification="report.filed", retention="30y")
    assert r.status_code == 201, r.content
    assert r.json()["number"] == f"{year}-JB-0001"
    inquiry = api("xiaobao").post("/api/v1/cases", {"kind": "inquiry", "channel": "phone",
                                                    "received_at": "2026-03-02T09:30:00+08:00",
                                                    "complainant": {"name": "王芳", "phone": "13700000003"},
                                                    "facts": "网购商品七日无理由退货的期限怎么算？"}).json()
    assert api("xiaobao").act(inquiry["id"], "answer", {"answer": "自收到商品之日起七日内。"}).status_code == 200
    r = _archive(api, inquiry["id"], classification="inquiry.answered")
    assert r.json()["number"] == f"{year}-ZX-0001"


def test_a_class_of_another_kind_or_an_unknown_retention_is_refused_and_nothing_is_stored(api):
    case_id = flows.mediated(api)
    r = _archive(api, case_id, classification="report.filed", retention="forever")
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"classification", "retention"}
    assert Case.objects.get(pk=case_id).state == "concluded"
    assert not ArchiveRecord.objects.exists()


def test_only_the_archivist_archives_and_only_concluded_items(api):
    case_id = flows.accepted(api)
    assert _archive(api, case_id).status_code == 409
    done = flows.mediated(api)
    assert api("xiaobao").post(f"/api/v1/cases/{done}/archive-record",
                               {"classification": "complaint.mediated", "retention": "10y"}).status_code == 403
    # The handling unit sees the item but is not the archive.
    assert api("nanjiao").post(f"/api/v1/cases/{done}/archive-record",
                               {"classification": "complaint.mediated", "retention": "10y"}).status_code == 403
    assert _archive(api, done).status_code == 201
    assert _archive(api, done).status_code == 409
    assert ArchiveRecord.objects.count() == 1


def test_a_refusal_leaves_no_number_used(api, bureau):
    case_id = flows.accepted(api)
    archivist = Staff.objects.get(username="archivist")
    with pytest.raises(WrongState):
        services.archive_item(actor=archivist, case_id=case_id, classification="complaint", retention="10y")
    with pytest.raises(NotPermitted):
        services.archive_item(actor=Staff.objects.get(username="xiaobao"), case_id=flows.mediated(api),
                              classification="complaint", retention="10y")
    r = _archive(api, flows.mediated(api))
    assert r.json()["number"].endswith("-TS-0001")


def test_get_before_archiving_is_404_and_the_schedule_lists_classes_and_retentions(api):
    case_id = flows.mediated(api)
    assert api("archivist").get(f"/api/v1/cases/{case_id}/archive-record").status_code == 404
    schedule = api("archivist").get("/api/v1/archive/schedule").json()
    assert {"code": "report.not_filed", "label": "举报类·不予立案"} in schedule["classifications"]
    assert [r["label"] for r in schedule["retentions"]] == ["永久", "定期30年", "定期10年"]


def test_every_action_on_an_archived_item_is_refused(api):
    case_id = flows.mediated(api)
    assert _archive(api, case_id).status_code == 201
    before = Case.objects.get(pk=case_id)
    events = before.events.count()
    for user in ("xiaobao", "nanjiao", "archivist", "fenguan", "juzhang"):
        for action in all_actions():
            r = api(user).act(case_id, action, {"note": "x", "reason": "x", "unit": "st-nanjiao"})
            assert r.status_code in (403, 409), (user, action, r.status_code)
    after = Case.objects.get(pk=case_id)
    assert after.state == "archived" and after.events.count() == events
    assert after.updated_at == before.updated_at


def test_an_archived_item_takes_no_new_document_delivery(api):
    case_id = flows.mediated(api)
    doc = flows.issue(api, case_id, "mediation_agreement")
    assert _archive(api, case_id).status_code == 201
    r = api("nanjiao").post(f"/api/v1/documents/{doc['id']}/deliveries", {"channel": "letter",
                                                                          "recipient": "complainant"})
    assert r.status_code == 409


def test_an_archived_item_takes_no_new_document(api):
    case_id = flows.mediated(api)
    assert _archive(api, case_id).status_code == 201
    r = api("nanjiao").post(f"/api/v1/cases/{case_id}/documents", {"type": "registration_form"})
    assert r.status_code == 409


def test_archiving_is_in_the_audit_trail(api):
    case_id = flows.mediated(api)
    number = _archive(api, case_id).json()["number"]
    row = AuditEntry.objects.filter(case_id=case_id, action="archive").get()
    assert row.actor_name == "archivist" and number in row.detail["note"]


def test_the_archive_page_lists_waiting_and_archived_items(api, client, bureau):
    waiting = flows.mediated(api)
    done = flows.mediated(api)
    _archive(api, done)
    client.force_login(Staff.objects.get(username="archivist"))
    page = client.get("/archive/").content.decode()
    waiting_number = Case.objects.get(pk=waiting).number
    assert waiting_number in page and ArchiveRecord.objects.get().number in page
    r = client.post(f"/archive/{waiting}/", {"classification": "complaint.mediated", "retention": "10y",
                                            "location": "第2盒"})
    assert r.status_code == 302
    assert ArchiveRecord.objects.get(case_id=waiting).location == "第2盒"
    page = client.get("/archive/").content.decode()
    assert len(set(re.findall(r"\d{4}-TS-\d{4}", page))) == 2


def test_the_archive_page_is_for_the_archivist(api, client, bureau):
    case_id = flows.mediated(api)
    client.force_login(Staff.objects.get(username="nanjiao"))
    assert client.get("/archive/").status_code == 403
    assert client.post(f"/archive/{case_id}/", {"classification": "complaint", "retention": "10y"}).status_code == 403
    assert Case.objects.get(pk=case_id).state == "concluded"


def test_the_archive_page_shows_errors_in_place(api, client, bureau):
    case_id = flows.mediated(api)
    client.force_login(Staff.objects.get(username="archivist"))
    r = client.post(f"/archive/{case_id}/", {"classification": "report", "retention": "30y", "location": "第2盒"})
    html = r.content.decode()
    assert r.status_code == 422 and "请选择该件的归档分类" in html
    form = html[html.index(f'action="/archive/{case_id}/"'):]
    form = form[:form.index("</form>")]
    assert 'value="第2盒"' in form and '<option value="30y" selected>' in form  # what was chosen and typed


def _answered_inquiry(api, question: str) -> int:
    inquiry = api("xiaobao").post("/api/v1/cases", {"kind": "inquiry", "channel": "phone",
                                                    "received_at": "2026-03-02T09:30:00+08:00",
                                                    "complainant": {"name": "王芳", "phone": "13700000003"},
                                                    "facts": question}).json()
    assert api("xiaobao").act(inquiry["id"], "answer", {"answer": "已答复。"}).status_code == 200
    return inquiry["id"]


def test_every_concluded_item_is_reachable_on_the_archive_page_and_counted_as_in_the_inbox(api, client, bureau,
                                                                                         monkeypatch):
    # Issue 18 (4): the page showed the oldest 100 only, so an item concluded later never appeared, and its
    # count disagreed with the archivist's inbox.
    from xiaobao.archive import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first, second = _answered_inquiry(api, "问题一"), _answered_inquiry(api, "问题二")
    latest = flows.mediated(api)
    client.force_login(Staff.objects.get(username="archivist"))
    page = client.get("/archive/").content.decode()
    assert re.search(r"待归档（已办结） <span class=\"count\">3</span>", page)
    inbox = client.get("/").content.decode()
    assert "<h2>待归档 <span class=\"count\">3</span></h2>" in inbox
    numbers = {pk: Case.objects.get(pk=pk).number for pk in (first, second, latest)}
    assert numbers[first] in page and numbers[latest] not in page
    assert "待归档第 1 / 2 页" in page
    page2 = client.get("/archive/", {"wpage": 2}).content.decode()
    assert numbers[latest] in page2 and numbers[first] not in page2
