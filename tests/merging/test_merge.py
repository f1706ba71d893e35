"""并案 through the API: the item joins its primary, shows it and its state, takes no action of its own, and is
concluded with it — each filer keeping their own amount and getting their own reply; undone before that."""

from __future__ import annotations

from tests.merging.conftest import OTHER_CONSUMER, accepted_complaint, complaint, ok
from xiaobao.cases.models import Case
from xiaobao.merging.models import Merge
from xiaobao.records.models import AuditEntry


def test_a_complaint_of_another_consumer_joins_only_with_their_consent(api, clock):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER, amount="2999.00")
    clerk = api("xiaobao")

    r = clerk.act(other, "merge", {"into": primary, "reason": "同一商家同一批空调不制冷"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["consent"]
    assert "同意" in r.json()["errors"][0]["message"]
    assert Case.objects.get(pk=other).state == "triage" and not Merge.objects.exists()

    case = ok(clerk.act(other, "merge", {"into": primary, "reason": "同一商家同一批空调不制冷", "consent": True}))
    assert case["merged_into"] == primary
    assert (case["state"], case["unit"]) == ("in_progress", "st-nanjiao")  # the primary's
    assert case["actions"] == ["unmerge"]
    assert case["events"][-1]["label"] == "并案" and case["events"][-1]["data"]["consent"] is True
    assert ok(clerk.get(f"/api/v1/cases/{primary}"))["events"][-1]["note"].startswith(case["number"] + " 并入本件")
    assert ok(clerk.get(f"/api/v1/cases/{primary}"))["merged_into"] is None
    assert AuditEntry.objects.filter(case_id=other, action="merge").count() == 1


def test_the_same_consumers_second_complaint_needs_no_consent(api, clock):
    primary = accepted_complaint(api)
    again = complaint(api, facts="空调仍不制冷，商家承诺的维修没有上门。")
    case = ok(api("xiaobao").act(again, "merge", {"into": primary, "reason": "同一消费者就同一事项再次投诉"}))
    assert case["merged_into"] == primary


def test_a_merged_item_is_read_only_and_names_its_primary(api, clock):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    ok(api("xiaobao").act(other, "merge", {"into": primary, "reason": "同一事项", "consent": True}))
    number = Case.objects.get(pk=primary).number

    r = api("nanjiao").act(other, "record_contact", {"with_whom": "complainant", "channel": "phone", "content": "电话"})
    assert r.status_code == 409 and number in r.json()["error"] and "并入" in r.json()["error"]
    r = api("nanjiao").act(other, "mediate", {"result": "agreed"})
    assert r.status_code == 409 and number in r.json()["error"]
    assert api("xiaobao").act(other, "merge", {"into": primary, "reason": "再并一次"}).status_code == 409


def test_concluding_the_primary_concludes_its_merged_items_each_with_its_own_amount_and_reply(api, clock):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER, amount="2999.00")
    ok(api("xiaobao").act(other, "merge", {"into": primary, "reason": "同一事项", "consent": True}))

    done = ok(api("nanjiao").act(primary, "mediate", {"result": "agreed", "amount_recovered": "3299.00",
                                                      "agreement": "商家为两位消费者退货退款。"}))
    assert (done["state"], done["outcome"]) == ("concluded", "mediated")

    linked = ok(api("nanjiao").get(f"/api/v1/cases/{other}"))
    assert (linked["state"], linked["outcome"], linked["merged_into"]) == ("concluded", "mediated", primary)
    assert linked["amount"] == "2999.00" and done["amount"] == "3299.00"  # each filer keeps their own amount
    assert linked["amount_recovered"] is None
    assert linked["events"][-1]["label"] == "随主件办结"
    # Each filer is told the result on their own clock (rules 二.4).
    assert [c["name"] for c in linked["clocks"] if c["met_on"] is None] == ["reply"]
    assert [c["name"] for c in done["clocks"] if c["met_on"] is None] == ["reply"]
    # Concluded, the linked item is the unit's again to reply to its own filer.
    assert "reply" in linked["actions"] and "unmerge" not in linked["actions"]
    replied = ok(api("nanjiao").act(other, "reply", {"channel": "phone", "content": "已电话告知王芳调解结果"}))
    assert [c["name"] for c in replied["clocks"] if c["met_on"] is None] == []


def test_a_merged_item_follows_its_primary_through_routing(api, clock):
    primary = complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    clerk = api("xiaobao")
    ok(clerk.act(other, "merge", {"into": primary, "reason": "同一事项", "consent": True}))
    ok(clerk.act(primary, "assign", {"unit": "st-nanjiao"}))
    linked = ok(api("nanjiao").get(f"/api/v1/cases/{other}"))
    assert (linked["state"], linked["unit"]) == ("assigned", "st-nanjiao")
    assert linked["events"][-1]["label"] == "随主件流转"
    # Its own clocks do not run while the primary's do.
    assert all(c["met_on"] for c in linked["clocks"])


def test_unmerge_puts_the_item_back_where_it_stood(api, clock):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    clerk = api("xiaobao")
    ok(clerk.act(other, "merge", {"into": primary, "reason": "同一事项", "consent": True}))

    r = clerk.act(other, "unmerge", {})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    case = ok(clerk.act(other, "unmerge", {"reason": "并错了：不是同一台空调"}))
    assert case["merged_into"] is None
    assert (case["state"], case["unit"]) == ("triage", "xiaobao")
    assert "assign" in case["actions"] and "unmerge" not in case["actions"]
    assert ok(clerk.get(f"/api/v1/cases/{primary}"))["events"][-1]["label"] == "他件撤销并案"
    assert Merge.objects.get(case_id=other).undo_reason == "并错了：不是同一台空调"
    # Concluding the primary now leaves it alone.
    ok(api("nanjiao").act(primary, "mediate", {"result": "agreed", "amount_recovered": "100.00"}))
    assert Case.objects.get(pk=other).state == "triage"


def test_unmerge_opens_again_the_clocks_the_merge_met(api, clock):
    primary = accepted_complaint(api)
    other = accepted_complaint(api, complainant=OTHER_CONSUMER)
    handler = api("nanjiao")
    # The unit holding both merges them.
    ok(handler.act(other, "merge", {"into": primary, "reason": "同一事项", "consent": True}))
    case = ok(handler.act(other, "unmerge", {"reason": "分开办理"}))
    assert case["state"] == "in_progress"
    assert {c["name"] for c in case["clocks"] if c["met_on"] is None} == {"handling", "mediation_cap"}


def test_an_item_joins_neither_itself_nor_another_kind_nor_a_concluded_item(api, clock):
    from tests.merging.conftest import report

    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    clerk = api("xiaobao")
    r = clerk.act(other, "merge", {"into": other, "reason": "x", "consent": True})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "into"
    r = clerk.act(other, "merge", {"into": report(api), "reason": "x", "consent": True})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "into"
    assert clerk.act(other, "merge", {"into": 999999, "reason": "x", "consent": True}).status_code == 404
    ok(api("nanjiao").act(primary, "mediate", {"result": "withdrawn"}))
    assert clerk.act(other, "merge", {"into": primary, "reason": "x", "consent": True}).status_code == 409


def test_an_item_is_named_by_its_number_too(api, clock):
    primary = accepted_complaint(api)
    other = complaint(api, complainant=OTHER_CONSUMER)
    number = Case.objects.get(pk=primary).number
    case = ok(api("xiaobao").act(other, "merge", {"into": number.lower(), "reason": "同一事项", "consent": True}))
    assert case["merged_into"] == primary
