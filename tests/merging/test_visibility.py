"""Who may merge what: a unit merges only items it holds, and never into an item it cannot see."""

from __future__ import annotations

from tests.merging.conftest import OTHER_CONSUMER, accepted_complaint, complaint, ok
from xiaobao.cases.models import Case
from xiaobao.merging.models import Merge


def dongcheng_complaint(api) -> int:
    case_id = complaint(api, complainant=OTHER_CONSUMER)
    ok(api("xiaobao").act(case_id, "assign", {"unit": "st-dongcheng"}))
    ok(api("dongcheng").act(case_id, "accept"))
    return case_id


def test_another_units_handler_cannot_merge_into_an_item_it_cannot_see(api, clock):
    nanjiao_item = accepted_complaint(api)
    own = dongcheng_complaint(api)
    r = api("dongcheng").act(own, "merge", {"into": nanjiao_item, "reason": "同一事项", "consent": True})
    assert r.status_code == 404
    # Nor by its number.
    number = Case.objects.get(pk=nanjiao_item).number
    assert api("dongcheng").act(own, "merge", {"into": number, "reason": "x", "consent": True}).status_code == 404
    assert not Merge.objects.exists()


def test_a_handler_cannot_merge_an_item_of_another_unit(api, clock):
    nanjiao_item = accepted_complaint(api)
    own = dongcheng_complaint(api)
    assert api("nanjiao").act(own, "merge", {"into": nanjiao_item, "reason": "x", "consent": True}).status_code == 404


def test_a_dispatcher_merges_items_of_two_units(api, clock):
    nanjiao_item = accepted_complaint(api)
    other = dongcheng_complaint(api)
    case = ok(api("xiaobao").act(other, "merge", {"into": nanjiao_item, "reason": "同一事项", "consent": True}))
    assert case["unit"] == "st-nanjiao"
    # The unit it left no longer sees it; the primary's unit does, with the complainant it must tell.
    assert api("dongcheng").get(f"/api/v1/cases/{other}").status_code == 404
    seen = ok(api("nanjiao").get(f"/api/v1/cases/{other}"))
    assert seen["complainant"]["name"] == OTHER_CONSUMER["name"]


def test_a_report_merged_keeps_its_reporter_masked_from_the_unit(api, clock):
    from tests.merging.conftest import report

    first, second = report(api), report(api, complainant={"name": "赵强", "phone": "13600000004",
                                                         "address": "曾都区东城街道"})
    ok(api("xiaobao").act(second, "merge", {"into": first, "reason": "同一事项"}))
    ok(api("xiaobao").act(first, "assign", {"unit": "jicha"}))
    ok(api("fenguan").act(first, "approve"))
    seen = ok(api("jicha").get(f"/api/v1/cases/{second}"))
    assert seen["merged_into"] == first and seen["complainant"]["masked"] is True

