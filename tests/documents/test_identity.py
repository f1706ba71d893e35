"""Reporter identity, and a complainant's phone and ID number, never reach a document addressed to the
business or a reader who may not see them (rules 二.3, 三.5)."""

import pytest
import time_machine

from tests.documents import flows

REPORTER = ["李娜", "13900000002", "曾都区东城街道文化路1号"]
COMPLAINANT_SECRETS = ["13800000001", "421302199001011234"]


def _texts(api, document_id: int, user: str) -> list[str]:
    return [flows.pdf_text(flows.download(api, document_id, "pdf", user).content),
            flows.docx_text(flows.download(api, document_id, "docx", user).content)]


@pytest.mark.parametrize("make", [flows.report_filed, flows.report_not_filed])
@time_machine.travel(flows.FROZEN, tick=False)
def test_a_report_result_notice_never_shows_the_reporter_even_to_the_dispatcher(api, make):
    case_id = make(api, facts="该店销售过期食品。举报人李娜，电话13900000002，可随时联系。")
    doc = flows.issue(api, case_id, "report_result_notice", user="xiaobao")
    for text in _texts(api, doc["id"], "xiaobao"):
        assert "曾都区惠民副食批发部" in text
        for secret in REPORTER:
            assert flows.flat(secret) not in text


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_termination_decision_names_the_complainant_but_never_the_phone_or_id(api):
    # Issue 18 (3): addressed to both parties, the complainant by name, as the official form is.
    doc = flows.issue(api, flows.terminated(api), "termination_decision")
    for text in _texts(api, doc["id"], "xiaobao"):
        assert "曾都区鑫达电器商行" in text and "坚持三倍赔偿" in text
        assert "投诉人张伟、被投诉人曾都区鑫达电器商行" in text
        for secret in COMPLAINANT_SECRETS:
            assert secret not in text


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_mediation_agreement_names_the_complainant_but_never_the_phone_or_id(api):
    doc = flows.issue(api, flows.mediated(api), "mediation_agreement")
    for text in _texts(api, doc["id"], "nanjiao"):
        assert "投诉人：张伟" in text
        for secret in COMPLAINANT_SECRETS:
            assert secret not in text


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_registration_form_of_a_report_is_masked_for_the_handler_and_complete_for_the_dispatcher(api):
    doc = flows.issue(api, flows.report_in_verification(api), "registration_form", user="nanjiao")
    for text in _texts(api, doc["id"], "nanjiao"):
        assert "***" in text
        for secret in REPORTER:
            assert flows.flat(secret) not in text
    for text in _texts(api, doc["id"], "xiaobao"):
        for secret in REPORTER:
            assert flows.flat(secret) in text


@time_machine.travel(flows.FROZEN, tick=False)
def test_an_anonymous_reporter_is_printed_as_anonymous_and_cannot_be_delivered_to(api):
    case_id = flows.report_filed(api, complainant={"name": "王五", "phone": "13700000003", "anonymous": True})
    form = flows.issue(api, case_id, "registration_form", user="xiaobao")
    for text in _texts(api, form["id"], "xiaobao"):
        assert "匿名" in text and "王五" not in text and "13700000003" not in text
    notice = flows.issue(api, case_id, "report_result_notice")
    r = api("nanjiao").post(f"/api/v1/documents/{notice['id']}/deliveries",
                            {"channel": "sms", "recipient": "complainant"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "recipient"


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_reader_who_may_not_see_identity_gets_a_masked_acceptance_notice(api):
    doc = flows.issue(api, flows.accepted(api), "acceptance_notice")
    assert "张伟：" in flows.docx_text(flows.download(api, doc["id"], "docx", "nanjiao").content)
    archived_view = flows.docx_text(flows.download(api, doc["id"], "docx", "archivist").content)
    assert "张伟" not in archived_view and "投诉人：" in archived_view
