"""Months begin at local midnight in Asia/Shanghai, 16:00 UTC the day before."""

from __future__ import annotations

import time_machine

from tests.stats.conftest import ok


def inquiry(received_at: str) -> dict:
    return {"kind": "inquiry", "channel": "phone", "received_at": received_at, "facts": "预付卡退费怎么办？",
            "complainant": {"name": "王芳", "phone": "13700000003", "address": "曾都区西城街道"}}


@time_machine.travel("2026-04-02 10:00 +0800", tick=False)
def test_items_fall_into_the_local_month(api):
    for at in ("2026-02-28T23:59:00+08:00", "2026-03-01T00:00:00+08:00", "2026-02-28T16:30:00+00:00",
               "2026-03-31T23:59:59+08:00", "2026-04-01T00:00:00+08:00"):
        ok(api("xiaobao").post("/api/v1/cases", inquiry(at)), 201)
    count = {m: ok(api("xiaobao").get("/api/v1/stats/monthly", month=m))["received"]["total"]
             for m in ("2026-02", "2026-03", "2026-04")}
    # 16:30 UTC on 02-28 is 00:30 on 03-01 in Suizhou.
    assert count == {"2026-02": 1, "2026-03": 3, "2026-04": 1}


@time_machine.travel("2026-04-01 00:30 +0800", tick=False)
def test_a_conclusion_just_after_local_midnight_belongs_to_the_new_month(api):
    case_id = ok(api("xiaobao").post("/api/v1/cases", inquiry("2026-03-31T23:50:00+08:00")), 201)["id"]
    ok(api("xiaobao").act(case_id, "answer", {"answer": "可以要求退还余额。"}))
    march = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03"))
    april = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-04"))
    assert (march["received"]["total"], march["concluded"]["total"]) == (1, 0)
    assert (april["received"]["total"], april["concluded"]["by_outcome"]["answered"]) == (0, 1)
