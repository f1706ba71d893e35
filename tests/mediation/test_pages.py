"""The workspace through the pages: a handler records a session with a recusal, pauses for testing with who
pays and mediates with remedies; a station uploads a 处罚决定书 that 消保股 archives (Django test client)."""

import io

import pytest

from tests.mediation.conftest import PDF, PNG_HEAD, accepted_complaint, ok, verifying_report
from tests.web.test_pages import login
from xiaobao.cases.models import Case
from xiaobao.mediation.models import MediationAgreement, PenaltyDecision, Recusal

pytestmark = pytest.mark.usefixtures("clock")


def test_a_handler_works_a_complaint_from_the_item_page(api):
    case_id = accepted_complaint(api)
    page = login("nanjiao")
    html = page.get(f"/cases/{case_id}/").content.decode()
    assert f'hx-get="/mediation/cases/{case_id}/"' in html and "调解工作台" in html
    form = page.get(f"/cases/{case_id}/actions/record_session/", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="recused"' in form and 'name="lead"' in form

    r = page.post(f"/cases/{case_id}/actions/record_session/", {
        "mode": "remote", "lead": "nanjiao", "recused": "nanjiao", "recusal_reason": "与投诉人系同学"})
    assert r.status_code == 422 and "已申明回避，不能主持调解" in r.content.decode()
    assert not Recusal.objects.exists()

    r = page.post(f"/cases/{case_id}/actions/record_session/", {
        "mode": "on_site", "lead": "nanjiao", "place": "南郊所调解室", "summary": "双方同意送检后再谈"})
    assert r.status_code == 302
    r = page.post(f"/cases/{case_id}/actions/pause/", {"reason": "testing", "payer": "shared", "note": "空调送检"})
    assert r.status_code == 302
    panel = page.get(f"/mediation/cases/{case_id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "费用：双方分担" in panel and "南郊所调解室" in panel
    assert page.post(f"/cases/{case_id}/actions/resume/", {}).status_code == 302

    r = page.post(f"/cases/{case_id}/actions/mediate/", {
        "result": "agreed", "amount_recovered": "500.00", "remedies": ["repair", "compensation"],
        "agreement": "商家免费维修并赔偿500元"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case_id).outcome == "mediated"
    assert MediationAgreement.objects.get(case_id=case_id).remedy_labels == ["修理", "赔偿损失"]
    html = page.get(f"/cases/{case_id}/").content.decode()
    assert "调解记录" in html and "中止计时" in html


def _pdf(name: str, data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_a_station_uploads_the_penalty_decision_and_the_consumer_office_archives_it(api):
    case_id = verifying_report(api)
    station = login("jicha")
    assert station.post(f"/cases/{case_id}/actions/record_verification/",
                        {"method": "现场检查", "findings": "发现过期白酒3瓶"}).status_code == 302
    assert station.post(f"/cases/{case_id}/actions/file/",
                        {"penalty_case_number": "曾市监立〔2026〕12号"}).status_code == 302
    # The bureau head decides to file (《市场监督管理行政处罚程序规定》第十八条).
    assert login("juzhang").post(f"/cases/{case_id}/actions/approve/", {"note": "同意立案"}).status_code == 302
    panel = station.get(f"/mediation/cases/{case_id}/").content.decode()
    assert "曾市监立〔2026〕12号" in panel and "上报处罚决定书" in panel and "发现过期白酒3瓶" in panel

    url = f"/mediation/cases/{case_id}/penalty-decision/"
    r = station.post(url, {"number": "曾市监处罚〔2026〕5号", "file": _pdf("决定书.pdf", PNG_HEAD)})
    assert r.status_code == 422 and "处罚决定书应为 PDF 文件" in r.content.decode()
    assert not PenaltyDecision.objects.exists()
    r = station.post(url, {"number": "曾市监处罚〔2026〕5号", "file": _pdf("决定书.pdf", PDF)})
    assert r.status_code == 302
    assert login("dongcheng").post(url, {"file": _pdf("x.pdf", PDF)}).status_code == 404

    office = login("xiaobao")
    assert "待消保股存档" in office.get(f"/mediation/cases/{case_id}/").content.decode()
    assert office.post(f"/cases/{case_id}/actions/archive_penalty_decision/", {"note": "存档"}).status_code == 302
    panel = office.get(f"/mediation/cases/{case_id}/").content.decode()
    assert "已由消保股存档" in panel
    decision = PenaltyDecision.objects.get()
    assert decision.attachment.content_type == "application/pdf" and decision.archived_by.username == "xiaobao"
    assert ok(api("auditor").get(f"/api/v1/cases/{case_id}"))["events"][-1]["action"] == "archive_penalty_decision"


def test_a_fake_pdf_sent_from_the_item_page_comes_back_in_the_workspace_with_the_number_typed(api):
    case_id = verifying_report(api)
    station = login("jicha")
    ok(api("jicha").act(case_id, "file", {"penalty_case_number": "曾市监立〔2026〕12号"}))
    ok(api("juzhang").act(case_id, "approve", {"note": "同意立案"}))  # 处罚程序规定第十八条
    r = station.post(f"/mediation/cases/{case_id}/penalty-decision/",
                     {"number": "曾市监处罚〔2026〕5号", "file": _pdf("决定书.pdf", "这不是PDF".encode())},
                     HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 422 and "<html" not in html  # the workspace panel htmx swaps in, not a page
    form = html[html.index('hx-post="/mediation/cases/'):html.index("</form>")]
    assert '<p class="error" role="alert" id="pd-error">处罚决定书应为 PDF 文件。</p>' in form
    assert 'value="曾市监处罚〔2026〕5号"' in form and 'aria-describedby="pd-error"' in form
    assert "required" not in form  # the server says what is missing, not a browser tooltip
    assert not PenaltyDecision.objects.exists()
