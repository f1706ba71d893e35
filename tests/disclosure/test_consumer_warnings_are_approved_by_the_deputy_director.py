"""消费预警 (issue 20.5; DOMAIN.md "The 2026 national rules"): drafted by 消保股 from a market warning, approved
by the 分管局长 before anything is public, numbered per year, exportable as a document."""

from __future__ import annotations

import time_machine
from django.test import Client

from tests.documents.flows import pdf_text
from tests.stats.test_pages import browser
from tests.stats.test_warnings import NOW, PLANTED, spike  # noqa: F401  (the planted spike fixture)
from xiaobao.records.models import AuditEntry

TITLE = "消费警示：谨慎选购空调安装服务"
BODY = "近期涉及该商行空调安装的投诉明显增多。\n请消费者保留购物凭证，遇到纠纷拨打12315。"


def _business_spike(api):
    r = api("xiaobao").get("/api/v1/warnings")
    assert r.status_code == 200, r.content
    return next(s for s in r.json()["items"] if s["dimension"] == "business" and s["window_days"] == 7)


def _draft(api, **over):
    s = _business_spike(api)
    body = {"dimension": "business", "key": s["key"], "days": 7, "title": TITLE, "body": BODY, **over}
    return api("xiaobao").post("/api/v1/alerts", body)


def test_a_drafted_warning_is_not_public_until_the_deputy_director_approves_it(spike, api):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        r = _draft(api)
        assert r.status_code == 201, r.content
        alert = r.json()
        assert alert["status"] == "pending" and alert["status_label"] == "待审批" and alert["number"] == ""
        assert alert["source"]["label"] == PLANTED and alert["source"]["count"] == 6
        assert TITLE not in Client().get("/disclosure/alerts/").content.decode()

        # 消保股 cannot approve its own draft; a station's handler does not even see it.
        assert api("xiaobao").post(f"/api/v1/alerts/{alert['id']}/approve").status_code == 403
        assert api("nanjiao").get(f"/api/v1/alerts/{alert['id']}").status_code == 404
        assert api("nanjiao").post(f"/api/v1/alerts/{alert['id']}/approve").status_code == 403

        r = api("fenguan").post(f"/api/v1/alerts/{alert['id']}/approve")
        assert r.status_code == 200, r.content
        published = r.json()
        assert published["status"] == "published" and published["number"] == "2026年第1期"
        assert published["published_by"] and published["published_at"].startswith("2026-03-20")
        # Approved once: a second approval is a conflict, not a second number.
        assert api("fenguan").post(f"/api/v1/alerts/{alert['id']}/approve").status_code == 409
    public = Client().get("/disclosure/alerts/").content.decode()
    assert TITLE in public
    detail = Client().get(f"/disclosure/alerts/{alert['id']}/").content.decode()
    assert "请消费者保留购物凭证" in detail
    assert AuditEntry.objects.filter(action="publish_consumer_alert", object=f"alert:{alert['id']}").exists()


def test_the_numbers_run_per_year(spike, api):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        ids = [_draft(api, title=f"{TITLE}（{i}）").json()["id"] for i in range(2)]
        numbers = [api("fenguan").post(f"/api/v1/alerts/{i}/approve").json()["number"] for i in ids]
    assert numbers == ["2026年第1期", "2026年第2期"]


def test_a_warning_sent_back_needs_a_reason_and_is_revised_and_submitted_again(spike, api):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        alert_id = _draft(api).json()["id"]
        r = api("fenguan").post(f"/api/v1/alerts/{alert_id}/reject", {"reason": "  "})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        r = api("fenguan").post(f"/api/v1/alerts/{alert_id}/reject", {"reason": "请删去商行门牌号以外的细节。"})
        assert r.status_code == 200 and r.json()["status"] == "rejected"
        assert r.json()["rejection_reason"] == "请删去商行门牌号以外的细节。"
        # Only a sent-back warning is revised, only by 消保股; then it waits for approval again.
        assert api("fenguan").post(f"/api/v1/alerts/{alert_id}/revise", {"title": "x", "body": "y"}).status_code == 403
        r = api("xiaobao").post(f"/api/v1/alerts/{alert_id}/revise", {"title": TITLE, "body": "修改后的正文。"})
        assert r.status_code == 200 and r.json()["status"] == "pending" and r.json()["body"] == "修改后的正文。"
        assert api("xiaobao").post(f"/api/v1/alerts/{alert_id}/revise",
                                   {"title": TITLE, "body": "再改"}).status_code == 409


def test_the_deputy_director_approves_on_the_page_and_a_refusal_keeps_the_reason_form_open(spike, api):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        alert_id = _draft(api).json()["id"]
        fenguan = browser("fenguan")
        listing = fenguan.get("/stats/warnings/alerts/", {"status": "pending"}).content.decode()
        assert TITLE in listing and "待审批" in listing
        page = fenguan.get(f"/stats/warnings/alerts/{alert_id}/").content.decode()
        assert "批准发布" in page and "退回修改" in page and "请消费者保留购物凭证" in page
        r = fenguan.post(f"/stats/warnings/alerts/{alert_id}/reject/", {"reason": ""})
        assert r.status_code == 422 and "请填写退回理由" in r.content.decode()
        r = fenguan.post(f"/stats/warnings/alerts/{alert_id}/approve/")
        assert r.status_code == 302
        page = fenguan.get(r["Location"]).content.decode()
        assert "已发布" in page and "2026年第1期" in page and "批准发布：" not in page.split("<main")[0]
    # The dispatcher sees the outcome; a handler is told the page does not exist.
    assert "2026年第1期" in browser("xiaobao").get(f"/stats/warnings/alerts/{alert_id}/").content.decode()
    assert browser("nanjiao").get(f"/stats/warnings/alerts/{alert_id}/").status_code == 404
    assert browser("nanjiao").get("/stats/warnings/alerts/").status_code == 403


def test_the_warning_exports_as_a_document_with_its_number(spike, api):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        alert_id = _draft(api).json()["id"]
        draft_pdf = api("xiaobao").get(f"/api/v1/alerts/{alert_id}/document")
        api("fenguan").post(f"/api/v1/alerts/{alert_id}/approve")
        final = browser("fenguan").get(f"/stats/warnings/alerts/{alert_id}/document.pdf")
    assert draft_pdf.status_code == 200 and draft_pdf["Content-Type"] == "application/pdf"
    assert final.status_code == 200 and final["Content-Type"] == "application/pdf"
    draft_text = pdf_text(draft_pdf.content)
    assert "送审稿" in draft_text and "2026年第1期" not in draft_text
    final_text = pdf_text(b"".join(final.streaming_content))
    assert "消费预警" in final_text and "2026年第1期" in final_text and "请消费者保留购物凭证" in final_text
    assert "2026年3月20日" in final_text
    assert AuditEntry.objects.filter(action="export_consumer_alert").count() == 2
