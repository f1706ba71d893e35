"""A handler asks the 并案 panel which of its items a masked reporter also filed: the filer is matched only where
the user may see who filed (cases.selectors.sees_identity), so the panel tells it nothing."""

from __future__ import annotations

import pytest
import time_machine

from tests.conftest import report_body
from tests.web.test_pages import login
from xiaobao.cases.models import Case
from xiaobao.records.models import AuditEntry

SAME_REPORTER = {"name": "李娜", "phone": "13900000002", "address": "曾都区东城街道文化路1号"}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel("2026-05-04 10:00 +0800", tick=False):
        yield


def _report_at_jicha(api, respondent: str, facts: str) -> int:
    clerk = api("xiaobao")
    r = clerk.post("/api/v1/cases", report_body(received_at="2026-05-04T09:00:00+08:00", complainant=SAME_REPORTER,
                                                respondent={"name": respondent, "address": "曾都区"}, facts=facts))
    case_id = r.json()["id"]
    clerk.act(case_id, "submit_for_triage")
    clerk.act(case_id, "assign", {"unit": "jicha"})
    api("fenguan").act(case_id, "approve")
    return case_id


def test_a_reports_handler_cannot_learn_which_items_its_masked_reporter_filed(api):
    first = _report_at_jicha(api, "曾都区甲商行", "甲商行销售无标签的散装食用油。")
    second = _report_at_jicha(api, "曾都区乙超市", "乙超市冷柜温度不达标，冻肉解冻后再冻。")
    first_number = Case.objects.get(pk=first).number

    panel = login("jicha").get(f"/cases/{second}/merging/", HTTP_HX_REQUEST="true").content.decode()
    assert first_number not in panel and "同一投诉（举报）人" not in panel
    assert not AuditEntry.objects.filter(action="read_personal", detail__via="merge_candidates").exists()

    # 消保股, who sees reporters, is shown the match, and the look is recorded.
    panel = login("xiaobao").get(f"/cases/{second}/merging/", HTTP_HX_REQUEST="true").content.decode()
    assert first_number in panel and "同一投诉（举报）人" in panel
    entry = AuditEntry.objects.get(action="read_personal", detail__via="merge_candidates")
    assert entry.actor.username == "xiaobao" and entry.detail["matched"] == [first_number]
