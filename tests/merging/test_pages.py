"""并案 through the pages: the panel on the item's page with candidates and their reasons, merging with and
without consent, the banner of a merged item and its undo, and the hints in the triage queue."""

from __future__ import annotations

import pytest

from tests.merging.conftest import OTHER_CONSUMER, accepted_complaint, complaint, ok, report
from tests.web.test_pages import login
from xiaobao.cases.models import Case
from xiaobao.merging.models import Merge

pytestmark = pytest.mark.usefixtures("clock")
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_item_page_offers_the_primary_as_a_candidate_and_merges_with_consent(api):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    number = Case.objects.get(pk=primary).number
    page = login("xiaobao")

    html = page.get(f"/cases/{other}/").content.decode()
    assert f'hx-get="/cases/{other}/merging/"' in html and 'data-action="merge"' in html
    panel = page.get(f"/cases/{other}/merging/", **HTMX).content.decode()
    assert f'data-candidate="{number}"' in panel and "同一被投诉（举报）人" in panel and "事实相似" in panel
    chosen = page.get(f"/cases/{other}/merging/?into={number}", **HTMX).content.decode()
    assert f'value="{number}"' in chosen and "<details class=\"merge-details\" open>" in chosen

    r = page.post(f"/cases/{other}/merging/", {"action": "merge", "into": number, "reason": "同一批空调"}, **HTMX)
    assert r.status_code == 422 and "不同消费者的投诉合并处理须经投诉人同意" in r.content.decode()
    assert not Merge.objects.exists()

    r = page.post(f"/cases/{other}/merging/", {"action": "merge", "into": number, "reason": "同一批空调",
                                                "consent": "on"}, **HTMX)
    assert r.status_code == 200 and r["HX-Redirect"] == f"/cases/{other}/"
    assert Merge.objects.get(case_id=other).consent is True

    panel = page.get(f"/cases/{other}/merging/", **HTMX).content.decode()
    assert f"已并入 <a href=\"/cases/{primary}/\">{number}</a>" in panel
    assert 'data-action="unmerge"' in panel and 'data-action="merge"' not in panel
    html = page.get(f"/cases/{other}/").content.decode()
    assert 'data-action="unmerge"' in html and 'data-action="assign"' not in html
    assert Case.objects.get(pk=other).number in page.get(f"/cases/{primary}/merging/", **HTMX).content.decode()


def test_a_merged_item_refuses_an_action_on_the_page_naming_its_primary(api):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    ok(api("xiaobao").act(other, "merge", {"into": primary, "reason": "同一事项", "consent": True}))
    r = login("nanjiao").post(f"/cases/{other}/actions/record_contact/", {
        "with_whom": "complainant", "channel": "phone", "content": "电话联系"}, **HTMX)
    assert r.status_code == 409 and Case.objects.get(pk=primary).number in r.content.decode()


def test_the_undo_on_the_page_needs_a_reason_and_puts_the_item_back(api):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    ok(api("xiaobao").act(other, "merge", {"into": primary, "reason": "同一事项", "consent": True}))
    page = login("xiaobao")
    r = page.post(f"/cases/{other}/merging/", {"action": "unmerge", "reason": ""}, **HTMX)
    assert r.status_code == 422 and "必填" in r.content.decode()
    r = page.post(f"/cases/{other}/merging/", {"action": "unmerge", "reason": "并错了"}, **HTMX)
    assert r.status_code == 200 and r["HX-Redirect"] == f"/cases/{other}/"
    assert Case.objects.get(pk=other).state == "triage"


def test_the_generic_action_form_merges_too(api):
    primary = accepted_complaint(api)
    other = complaint(api, facts="空调还是不制冷。")  # the same consumer: no consent needed
    page = login("xiaobao")
    form = page.get(f"/cases/{other}/actions/merge/", **HTMX).content.decode()
    assert 'name="into"' in form and 'name="consent"' in form
    r = page.post(f"/cases/{other}/actions/merge/", {"into": Case.objects.get(pk=primary).number,
                                                      "reason": "同一消费者再次投诉"}, **HTMX)
    assert r.status_code == 200, r.content.decode()[:500]
    assert Merge.objects.get(case_id=other).into_id == primary


def test_a_report_in_triage_is_offered_the_concluded_report_it_repeats(api):
    earlier = report(api)
    ok(api("xiaobao").act(earlier, "refer_elsewhere", {"authority": "曾都区卫生健康局"}))
    again = report(api)
    number = Case.objects.get(pk=earlier).number
    page = login("xiaobao")
    panel = page.get(f"/cases/{again}/merging/", **HTMX).content.decode()
    assert f'data-candidate="{number}"' in panel and "按重复举报处理" in panel
    r = page.post(f"/cases/{again}/merging/", {"action": "repeat_report", "of": number, "reason": "同一事项"},
                  **HTMX)
    assert r.status_code == 200
    assert Case.objects.get(pk=again).outcome == "repeat_not_handled"


def test_the_triage_queue_hints_at_the_same_matter_and_leaves_merged_items_out(api):
    first = complaint(api)
    second = complaint(api, complainant=OTHER_CONSUMER)
    third = complaint(api, complainant=OTHER_CONSUMER, respondent={"name": "曾都区另一家商行", "address": "曾都区"})
    numbers = {pk: Case.objects.get(pk=pk).number for pk in (first, second, third)}
    page = login("xiaobao")
    html = page.get("/triage/").content.decode()
    assert f"可并案 {numbers[second]}</a>：同一被投诉（举报）人" in html
    assert f"可并案 {numbers[third]}</a>：同一投诉（举报）人" in html  # the dispatcher sees who filed

    ok(api("xiaobao").act(second, "merge", {"into": first, "reason": "同一事项", "consent": True}))
    html = page.get("/triage/").content.decode()
    assert f'value="{second}"' not in html and f'value="{first}"' in html
