"""重复举报不予处理: a report repeating a matter already handled is concluded as such, with its notice."""

from __future__ import annotations

from tests.merging.conftest import ok, report
from xiaobao.cases.models import Case
from xiaobao.documents.models import Document


def concluded_report(api) -> int:
    """A report 消保股 told to another authority: concluded."""
    case_id = report(api)
    ok(api("xiaobao").act(case_id, "refer_elsewhere", {"authority": "曾都区卫生健康局"}))
    return case_id


def test_a_report_repeating_a_concluded_one_is_concluded_with_its_notice(api, clock):
    earlier = concluded_report(api)
    again = report(api, complainant={"name": "赵强", "phone": "13600000004", "address": "曾都区东城街道"})
    clerk = api("xiaobao")

    case = ok(clerk.act(again, "repeat_report", {"of": earlier, "reason": "与已办结的举报为同一事项"}))
    assert (case["state"], case["outcome"]) == ("concluded", "repeat_not_handled")
    line = case["events"][-1]
    assert line["label"] == "重复举报不予处理"
    assert line["data"]["of_number"] == Case.objects.get(pk=earlier).number
    assert line["data"]["basis"] == "《市场监督管理投诉举报处理办法》（重复举报）"
    # The named reporter is told (rules 二.4).
    assert [c["name"] for c in case["clocks"] if c["met_on"] is None] == ["reply"]
    assert ok(clerk.get(f"/api/v1/cases/{earlier}"))["events"][-1]["label"] == "被重复举报"

    # The notice: a 举报处理结果告知书 naming the earlier report and citing the rule.
    document = ok(clerk.post(f"/api/v1/cases/{again}/documents", {"type": "report_result_notice"}), 201)
    assert clerk.get(f"/api/v1/documents/{document['id']}/file", format="docx").status_code == 200
    data = Document.objects.get(pk=document["id"]).data
    text = "".join(data["decision"])
    assert "重复举报" in text and Case.objects.get(pk=earlier).number in text
    assert "《市场监督管理投诉举报处理办法》（重复举报）" in data["basis"]


def test_a_report_still_being_handled_is_not_repeated_but_merged(api, clock):
    earlier = report(api)
    again = report(api)
    r = api("xiaobao").act(again, "repeat_report", {"of": earlier, "reason": "同一事项"})
    assert r.status_code == 409
    assert Case.objects.get(pk=earlier).number in r.json()["error"]
    assert Case.objects.get(pk=again).state == "triage"


def test_repeat_report_needs_a_reason_and_another_report(api, clock):
    earlier = concluded_report(api)
    again = report(api)
    clerk = api("xiaobao")
    r = clerk.act(again, "repeat_report", {"of": earlier})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = clerk.act(again, "repeat_report", {"of": again, "reason": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "of"
    assert clerk.act(again, "repeat_report", {"of": 999999, "reason": "x"}).status_code == 404


def test_only_a_dispatcher_finds_a_report_repeated(api, clock):
    earlier = concluded_report(api)
    again = report(api)
    assert api("nanjiao").act(again, "repeat_report", {"of": earlier, "reason": "x"}).status_code == 404  # not its item
    assert api("fenguan").act(again, "repeat_report", {"of": earlier, "reason": "x"}).status_code == 403
