"""The candidates of an item: the same respondent, facts alike or the same filer, within the window around it."""

from __future__ import annotations

from tests.merging.conftest import OTHER_CONSUMER, accepted_complaint, complaint, ok
from xiaobao.cases.models import Case
from xiaobao.merging.selectors import candidates
from xiaobao.units.models import Staff


def reasons(username: str, case_id: int) -> dict[str, list[str]]:
    found = candidates(Staff.objects.get(username=username), Case.objects.get(pk=case_id))
    return {c.case.number: c.reasons for c in found}


def test_an_item_of_the_same_matter_is_a_candidate_with_its_reasons(api, clock):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    number = Case.objects.get(pk=primary).number
    found = reasons("xiaobao", other)
    assert found[number][0] == "同一被投诉（举报）人" and found[number][1].startswith("事实相似")


def test_the_same_filer_about_another_shop_is_a_candidate_for_whoever_sees_the_filer(api, clock):
    primary = accepted_complaint(api)
    again = accepted_complaint(api, respondent={"name": "曾都区另一家电器行", "address": "曾都区"},
                               facts="另购的电风扇无法启动，商家不予处理。")
    number = Case.objects.get(pk=primary).number
    assert reasons("xiaobao", again) == {number: ["同一投诉（举报）人"]}
    assert reasons("nanjiao", again) == {number: ["同一投诉（举报）人"]}  # a complaint's unit sees its consumer


def test_items_outside_the_window_concluded_or_already_merged_are_no_candidates(api, clock):
    old = complaint(api, received_at="2026-01-05T09:00:00+08:00")  # 119 days before: outside the 90-day window
    concluded = accepted_complaint(api)
    ok(api("nanjiao").act(concluded, "mediate", {"result": "withdrawn"}))
    primary = complaint(api)
    merged = complaint(api, complainant=OTHER_CONSUMER)
    ok(api("xiaobao").act(merged, "merge", {"into": primary, "reason": "同一事项", "consent": True}))
    latest = complaint(api, complainant=OTHER_CONSUMER)
    found = reasons("xiaobao", latest)
    numbers = {pk: Case.objects.get(pk=pk).number for pk in (old, concluded, primary, merged)}
    assert numbers[primary] in found
    assert numbers[old] not in found and numbers[concluded] not in found and numbers[merged] not in found
    # A merged item looks for no primary of its own.
    assert reasons("xiaobao", merged) == {}
