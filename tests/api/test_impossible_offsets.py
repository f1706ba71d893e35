"""A moment with an offset no place uses (beyond ±14:00) is refused as malformed, field by field, on both databases
(PostgreSQL cannot store an offset beyond ±15:59; a fuzzed +21:41 reached it and answered 500)."""

from __future__ import annotations

import pytest

from tests.conftest import complaint_body
from tests.hotline.conftest import clock, order_body  # noqa: F401  (fixture)


@pytest.mark.parametrize("moment", ["2026-03-02T05:40:13+21:41", "2026-03-02T05:40:13-14:30"])
def test_an_item_received_at_an_impossible_offset_is_refused(api, moment):
    r = api("xiaobao").post("/api/v1/cases", complaint_body(received_at=moment))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["received_at"]
    assert api("xiaobao").get("/api/v1/cases").json()["count"] == 0


def test_the_widest_real_offsets_are_taken(api):
    r = api("xiaobao").post("/api/v1/cases", complaint_body(received_at="2026-03-02T23:30:00+14:00"))
    assert r.status_code == 201
    assert r.json()["received_at"] == "2026-03-02T17:30:00+08:00"


def test_a_hotline_order_with_impossible_offsets_names_both_fields(api, clock):  # noqa: F811
    r = api("xiaobao").post("/api/v1/hotline/orders", order_body(
        received_at="2026-03-02T05:40:13+21:41", sign_due="2026-03-03T02:16:19-21:19"))
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"received_at", "sign_due"}
    assert api("xiaobao").get("/api/v1/cases").json()["count"] == 0
