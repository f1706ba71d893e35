"""Every document type renders as DOCX and PDF for an item in the fitting state, with the bureau's name,
the document's number, the ground and its legal basis."""

import pytest
import time_machine

from tests.documents import flows
from xiaobao.documents.catalog import SPECS
from xiaobao.documents.models import DocumentType

# type → (how to get an item that fits, text the document must show besides bureau name and number)
CASES = {
    "registration_form": (flows.complaint, ["投诉登记表", "张伟", "13800000001", "曾都区鑫达电器商行"]),
    "acceptance_notice": (flows.accepted, ["决定予以受理", "南郊市场监督管理所", "张伟：", "组织调解并终结调解"]),
    "non_acceptance_notice": (flows.not_accepted, [
        "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议",
        "《市场监督管理投诉举报处理暂行办法》第十五条第（三）项", "决定不予受理"]),
    "mediation_agreement": (flows.mediated, ["被投诉人为投诉人办理退货，退还货款3299元。", "投诉人：张伟",
                                             "挽回经济损失人民币3299.00元"]),
    "termination_decision": (flows.terminated, [
        "经组织调解，投诉人或者被投诉人明确表示无法达成调解协议", "《市场监督管理投诉举报处理暂行办法》第二十一条第（四）项",
        "决定终止调解", "张伟"]),
    "non_filing_record": (flows.report_not_filed, ["不予立案书面记录", "现场检查未发现过期食品", "经局负责人于2026年3月2日批准",
                                                   "核查情况：3月3日现场检查货架"]),
    "report_result_notice": (flows.report_filed, ["举报处理结果告知书", "依法立案调查", "曾都区惠民副食批发部"]),
    "referral_notice": (flows.referred, ["请向曾都区住房和城乡建设局反映", "《市场监督管理投诉举报处理暂行办法》"]),
    # Issued with the decision to terminate (xiaobao.mediation.purpose); under the old rules (received 2026-03-02).
    "police_referral": (flows.referred_to_police, [
        "涉嫌违法犯罪案件移送书", "随州市公安局曾都区分局：", "421302199001011234", "以牟利为目的",
        "《市场监督管理投诉举报处理暂行办法》第二十一条第（六）项", "《市场监督管理投诉举报处理暂行办法》第十五条第（三）项",
        "《行政执法机关移送涉嫌犯罪案件的规定》第三条"]),
}


def test_every_type_has_a_case_here():
    assert set(CASES) == set(DocumentType.values)


@pytest.mark.parametrize("doc_type", list(CASES))
@time_machine.travel(flows.FROZEN, tick=False)
def test_each_type_renders_as_docx_and_pdf_with_number_bureau_and_decision(api, doc_type):
    make, expected = CASES[doc_type]
    case_id = make(api)
    doc = flows.issued(api, case_id, doc_type)
    assert doc["type"] == doc_type and doc["delivered"] == []
    assert doc["number"].endswith("〔2026〕1号") and doc["number"].startswith("曾市监")

    pdf = flows.download(api, doc["id"], "pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"] and ".pdf" in pdf["Content-Disposition"]
    docx = flows.download(api, doc["id"], "docx")
    assert docx.status_code == 200
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    for text in (flows.pdf_text(pdf.content), flows.docx_text(docx.content)):
        assert flows.BUREAU in text
        assert flows.flat(doc["number"]) in text
        assert "2026年3月2日" in text
        for needle in expected:
            assert flows.flat(needle) in text, needle
        assert "{{" not in text and "{%" not in text
        if SPECS[doc_type].recipients and doc_type != "registration_form":
            # Issue 18 (3): what a party receives cites laws by their titles and shows none of the system's
            # working: no rule-set codes, no clauses of the bureau's internal rules, no clock periods.
            for internal in ("SAMR", "规则", "DOMAIN", "届满", "起算", "工作制度"):
                assert internal not in text, internal


@time_machine.travel(flows.FROZEN, tick=False)
def test_numbers_run_per_type_and_year(api):
    first = flows.issue(api, flows.complaint(api), "registration_form")
    second = flows.issue(api, flows.complaint(api), "registration_form")
    accepted = flows.issue(api, flows.accepted(api), "acceptance_notice")
    assert (first["number"], second["number"], accepted["number"]) == (
        "曾市监投登〔2026〕1号", "曾市监投登〔2026〕2号", "曾市监投受〔2026〕1号")


@time_machine.travel(flows.FROZEN, tick=False)
def test_the_non_filing_approval_form_comes_before_approval_and_the_record_after(api):
    case_id = flows.report_declined(api)
    form = flows.issue(api, case_id, "non_filing_record")
    assert form["title"] == "不予立案审批表"
    assert "报请局负责人审批" in flows.docx_text(flows.download(api, form["id"], "docx").content)
    flows._ok(api("juzhang").act(case_id, "approve", {"note": "同意"}))
    record = flows.issue(api, case_id, "non_filing_record")
    assert record["title"] == "不予立案书面记录" and record["number"] != form["number"]
