"""Market warnings: a planted spike is found, a steady business is not; 消保股 publishes a consumer alert."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client

from tests.conftest import complaint_body
from tests.stats.conftest import ok
from tests.stats.test_pages import browser
from xiaobao.disclosure.models import ConsumerAlert
from xiaobao.records.models import AuditEntry
from xiaobao.stats.warnings import Dimension, detect, is_spike

NOW = "2026-03-20 10:00 +0800"  # a Friday; the last 7 days are 03-14 … 03-20
PLANTED = "曾都区鑫达电器商行（南郊店）"
STEADY = "曾都区惠民超市"


def complaint(api, day: date, shop: str, category: str) -> int:
    body = complaint_body(received_at=f"{day.isoformat()}T09:30:00+08:00", category=category,
                          respondent={"name": shop, "address": "曾都区南郊街道白云大道18号"})
    return ok(api("xiaobao").post("/api/v1/cases", body), 201)["id"]


@pytest.fixture
def spike(api):
    with time_machine.travel(NOW, tick=False):
        # The planted shop: six complaints this week, written three ways, against one in each of two weeks before.
        names = [PLANTED, "曾都区鑫达电器商行(南郊店)", " 曾都区鑫达电器商行 （南郊店）"]
        planted = [complaint(api, date(2026, 3, 16) + timedelta(days=i % 4), names[i % 3], "appliances")
                   for i in range(6)]
        complaint(api, date(2026, 2, 10), PLANTED, "appliances")
        complaint(api, date(2026, 1, 25), PLANTED, "appliances")
        # The steady shop: two a week for half a year, longer than the 30-day history (6 × 30 days).
        for week in range(27):
            for day in (1, 3):
                complaint(api, date(2026, 3, 20) - timedelta(days=7 * week + day), STEADY, "clothing")
        yield planted


def test_the_rule_needs_a_real_rise():
    assert is_spike(6, [0, 0, 1, 0, 0, 1, 0, 0])
    assert not is_spike(2, [0] * 8)  # too few to mean anything
    assert not is_spike(3, [3] * 8)  # a busy shop being busy
    assert is_spike(9, [2, 3, 2, 3, 2, 3, 2, 3])  # mean 2.5, std 0.5: 9 ≥ 4 and 9 > 7.5


def test_the_planted_spike_is_found_and_the_steady_shop_is_not(spike):
    with time_machine.travel(NOW, tick=False):
        found = detect(Dimension.BUSINESS, days=7, history=8)
    assert [(s.label, s.count, s.history) for s in found] == [(PLANTED, 6, [0, 0, 0, 0, 1, 0, 1, 0])]
    with time_machine.travel(NOW, tick=False):
        categories = {s.key: s.count for s in detect(Dimension.CATEGORY, days=7, history=8)}
    assert categories == {"appliances": 6}


def test_the_dispatcher_sees_the_warning_with_its_items_and_drafts_an_alert(spike):
    with time_machine.travel(NOW, tick=False):
        xiaobao = browser("xiaobao")
        page = xiaobao.get("/stats/warnings/")
        assert page.status_code == 200
        html = page.content.decode()
        assert PLANTED in html and STEADY not in html
        for case_id in spike:
            assert f'href="/cases/{case_id}/"' in html
        business = next(s for s, _, _ in page.context["spikes"] if s.dimension == "business" and s.window_days == 7)
        r = xiaobao.post("/stats/warnings/publish/", {
            "dimension": "business", "key": business.key, "days": "7",
            "title": "消费警示：谨慎选购空调", "body": "近期涉及该商行空调安装的投诉明显增多，请保留凭证。"})
        alert = ConsumerAlert.objects.get()
        assert r.status_code == 302 and r["Location"] == f"/stats/warnings/alerts/{alert.pk}/"
    # Drafted and submitted, not yet public: the 分管局长 approves first (tests/disclosure).
    assert alert.drafted_by.username == "xiaobao" and alert.status == "pending" and alert.published_at is None
    assert alert.created_from["count"] == 6 and sorted(alert.created_from["case_ids"]) == sorted(spike)
    assert AuditEntry.objects.filter(action="draft_consumer_alert").exists()
    assert "消费警示：谨慎选购空调" not in Client().get("/disclosure/alerts/").content.decode()
    assert Client().get(f"/disclosure/alerts/{alert.pk}/").status_code == 404


def test_a_warning_that_no_longer_stands_cannot_be_published(spike):
    with time_machine.travel(NOW, tick=False):
        r = browser("xiaobao").post("/stats/warnings/publish/", {
            "dimension": "business", "key": f"n:{STEADY}", "days": "7", "title": "t", "body": "b"})
    assert r.status_code == 302 and not ConsumerAlert.objects.exists()


def test_an_alert_without_a_title_comes_back_open_with_the_text_typed_and_the_reason(spike):
    with time_machine.travel(NOW, tick=False):
        xiaobao = browser("xiaobao")
        page = xiaobao.get("/stats/warnings/")
        business = next(s for s, _, _ in page.context["spikes"] if s.dimension == "business" and s.window_days == 7)
        r = xiaobao.post("/stats/warnings/publish/", {
            "dimension": "business", "key": business.key, "days": "7", "title": "", "body": "请保留购物凭证。"})
    html = r.content.decode()
    assert r.status_code == 422 and not ConsumerAlert.objects.exists()
    refused = html[html.index("<details open>"):]
    refused = refused[:refused.index("</details>")]
    assert '<p class="error" role="alert">请填写标题' in refused and "请保留购物凭证。" in refused


def test_warnings_are_for_the_dispatcher(bureau):
    assert browser("nanjiao").get("/stats/warnings/").status_code == 403
    assert browser("nanjiao").post("/stats/warnings/publish/", {}).status_code == 403
    assert Client().get("/stats/warnings/").status_code == 302


def test_each_warning_lists_its_own_newest_items(spike, api):
    """all_spikes finds the items of all warnings of a window and dimension at once: each warning still gets
    only its own items, newest first, at most `with_items` of them — the same as items_behind gives it."""
    from xiaobao.stats.warnings import all_spikes, items_behind

    with time_machine.travel(NOW, tick=False):
        second = [complaint(api, date(2026, 3, 16) + timedelta(days=i % 5), "曾都区美佳家电城", "appliances")
                  for i in range(5)]
        spikes = [s for s in all_spikes(with_items=4) if s.dimension == "business" and s.window_days == 7]
        assert {s.label for s in spikes} == {PLANTED, "曾都区美佳家电城"}
        for s in spikes:
            expected = list(items_behind("business", s.key, days=7)[:4])
            assert [c.pk for c in s.items] == [c.pk for c in expected] and len(s.items) == 4
            assert set(c.pk for c in s.items) <= set(spike if s.label == PLANTED else second)
