"""The 12-month chart of the statistics page: one query for all twelve months, the bureau's or a unit's."""

from __future__ import annotations

from xiaobao.stats.periods import Month
from xiaobao.stats.queries import received_by_kind_series
from xiaobao.units.models import Unit

MARCH = Month(2026, 3)


def test_twelve_months_by_kind_in_one_query(march, django_assert_num_queries):
    with django_assert_num_queries(1):
        series = received_by_kind_series(MARCH)
    assert series["months"] == [f"2025-{m:02d}" for m in range(4, 13)] + ["2026-01", "2026-02", "2026-03"]
    assert {k: v[-1] for k, v in series["series"].items()} == {"complaint": 3, "report": 1, "inquiry": 1}
    assert all(v[:-1] == [0] * 11 for v in series["series"].values())


def test_a_units_twelve_months_count_where_each_item_was_at_its_months_end(march, django_assert_num_queries):
    nanjiao, dongcheng = Unit.objects.get(code="st-nanjiao"), Unit.objects.get(code="st-dongcheng")
    with django_assert_num_queries(2):  # the office's code, then the series
        series = received_by_kind_series(MARCH, nanjiao)
    # C was returned by 东城所 and ended March at 南郊所.
    assert {k: v[-1] for k, v in series["series"].items()} == {"complaint": 3, "report": 0, "inquiry": 0}
    assert received_by_kind_series(MARCH, dongcheng)["series"]["report"][-1] == 1
    # Received in March, so not in April's column whatever happens to them in April.
    april = received_by_kind_series(Month(2026, 4), nanjiao)
    assert april["months"][-2:] == ["2026-03", "2026-04"]
    assert april["series"]["complaint"][-2:] == [3, 0]


def test_the_page_draws_the_series(march):
    from tests.stats.test_pages import browser

    r = browser("nanjiao").get("/stats/monthly/", {"month": "2026-03"})
    assert r.context["chart_rows"][-1] == ("2026-03", [3, 0, 0])


def test_an_item_that_left_the_unit_later_still_counts_in_the_month_the_unit_held_it(api, clock, march):
    from tests.stats.test_reproducible import april

    dongcheng = Unit.objects.get(code="st-dongcheng")
    before = received_by_kind_series(MARCH, dongcheng)["series"]
    april(api, clock, march)  # R leaves 东城所 in April (returned, then filed by 稽查分局)
    assert received_by_kind_series(MARCH, dongcheng)["series"] == before
    assert before["report"][-1] == 1
    assert received_by_kind_series(MARCH, Unit.objects.get(code="jicha"))["series"]["report"][-1] == 0
