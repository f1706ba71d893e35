"""Response, resolution and satisfaction rates (回访) and supervision counts in the monthly figures."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from tests.conftest import complaint_body
from tests.stats.conftest import ok, register, route


def test_resolution_satisfaction_and_supervision_are_counted_in_march(api, clock, march):
    clock.to("2026-03-12 10:00 +0800")
    ok(api("xiaobao").act(march.a, "follow_up", {"resolved": True, "satisfaction": "satisfied"}))
    ok(api("nanjiao").act(march.b, "follow_up", {"resolved": False, "satisfaction": "dissatisfied", "note": "希望受理"}))
    ok(api("xiaobao").act(march.c, "supervise", {"note": "请加快调解", "due": "2026-03-16"}))
    ok(api("xiaobao").act(march.r, "supervise", {"note": "请尽快核查", "due": "2026-03-13"}))
    clock.to("2026-03-13 10:00 +0800")
    ok(api("nanjiao").act(march.c, "answer_supervision", {"answer": "已约双方3月18日调解"}))
    clock.to("2026-03-17 10:00 +0800")
    ok(api("dongcheng").act(march.r, "answer_supervision", {"answer": "已现场核查"}))
    clock.to("2026-04-01 09:00 +0800")

    f = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03"))
    # A mediated, B not accepted: one of the two complaints concluded in March was resolved.
    assert f["complaints_concluded"] == {"total": 2, "mediated": 1}
    assert f["resolution_rate"] == 0.5
    assert f["follow_ups"] == {"total": 2, "satisfied_or_basic": 1}
    assert f["satisfaction_rate"] == 0.5
    assert f["response_rate"] is None  # nobody signed, so no first-contact clock ran
    assert f["supervision"] == {"issued": 2, "answered": 2, "answered_on_time": 1, "by_unit": {
        "st-dongcheng": {"issued": 1, "answered": 1, "answered_on_time": 0},
        "st-nanjiao": {"issued": 1, "answered": 1, "answered_on_time": 1}}}
    # Existing keys stay as they were.
    assert f["mediation_success_rate"] == 1.0 and f["received"]["total"] == 5

    nanjiao = ok(api("nanjiao").get("/api/v1/stats/monthly", month="2026-03", unit="st-nanjiao"))
    assert nanjiao["satisfaction_rate"] == 0.5
    assert nanjiao["supervision"]["by_unit"] == {"st-nanjiao": {"issued": 1, "answered": 1, "answered_on_time": 1}}

    r = api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", format="xlsx")
    book = load_workbook(BytesIO(r.content))
    rates = {row[0]: row[1] for row in book["统计表"].iter_rows(values_only=True) if row[0]}
    assert rates["解决率（投诉调解成功）"] == 0.5 and rates["满意率（回访满意、基本满意）"] == 0.5
    assert rates["响应率（首次联系按时）"] == "—"
    supervision = list(book["督办"].iter_rows(min_row=4, values_only=True))
    assert supervision[-1] == ("合计", 2, 2, 1)


def test_the_response_rate_is_first_contact_on_time(api, clock):
    on_time = register(api, complaint_body())
    late = register(api, complaint_body(received_at="2026-03-02T09:40:00+08:00"))
    for case_id in (on_time, late):
        route(api, case_id, "st-nanjiao")
        ok(api("nanjiao").act(case_id, "sign"))
    clock.to("2026-03-03 15:00 +0800")  # first contact is due one working day after sign-off
    ok(api("nanjiao").act(on_time, "record_contact", {"content": "电话联系投诉人"}))
    clock.to("2026-03-05 15:00 +0800")
    ok(api("nanjiao").act(late, "record_contact", {"content": "电话联系投诉人"}))
    clock.to("2026-04-01 09:00 +0800")
    f = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03"))
    assert f["on_time"]["first_contact"]["on_time"] == 1 and f["on_time"]["first_contact"]["late"] == 1
    assert f["response_rate"] == 0.5
