"""回访问效 (issue 20.4; SAMR-2026 follow-up of results): the handling unit calls its consumers back, 消保股 checks a
configurable share of each unit's concluded complaints; 是否解决 and satisfaction are recorded, never assumed,
and each unit's figures appear in the monthly statistics (page, API, Excel) and on the dashboard."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from openpyxl import load_workbook

from tests.stats.conftest import ok
from tests.stats.test_pages import browser
from xiaobao.handling.models import FollowUp


def _ids(response) -> list[int]:
    return [i["id"] for i in ok(response)["items"]]


def test_the_unit_and_the_consumer_office_follow_up_and_the_month_shows_each_units_results(api, clock, march,
                                                                                           settings):
    settings.XIAOBAO_FOLLOW_UP_CHECK_SHARE = 1.0  # 消保股 checks every concluded complaint in this test
    clock.to("2026-03-12 10:00 +0800")
    # A (mediated) and B (not accepted) were concluded by 南郊所 in March: both wait for its call and for the check.
    assert sorted(_ids(api("nanjiao").get("/api/v1/follow-ups", month="2026-03"))) == sorted([march.a, march.b])
    assert sorted(_ids(api("xiaobao").get("/api/v1/follow-ups", month="2026-03", list="check"))) == sorted(
        [march.a, march.b])
    assert api("dongcheng").get("/api/v1/follow-ups", month="2026-03").json()["items"] == []

    ok(api("nanjiao").act(march.a, "follow_up", {"resolved": True, "satisfaction": "satisfied", "comment": "已退款"}))
    ok(api("xiaobao").act(march.b, "follow_up", {"resolved": False, "satisfaction": "dissatisfied",
                                                 "comment": "仍希望受理"}))
    assert [(f.case_id, f.office_check, f.resolved) for f in FollowUp.objects.order_by("id")] == [
        (march.a, False, True), (march.b, True, False)]

    # Each list loses what was done in it: the unit still owes B's call, 消保股 still owes A's check.
    assert _ids(api("nanjiao").get("/api/v1/follow-ups", month="2026-03")) == [march.b]
    assert _ids(api("xiaobao").get("/api/v1/follow-ups", month="2026-03", list="check")) == [march.a]
    # A dissatisfied check lets the unit reopen the item (rules 二.2 reopen path, tests/handling).
    assert "reopen" in [a["action"] if isinstance(a, dict) else a
                        for a in ok(api("nanjiao").get(f"/api/v1/cases/{march.b}"))["actions"]]

    clock.to("2026-04-01 09:00 +0800")
    f = ok(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03"))["follow_up_results"]
    assert f["by_unit"] == {"st-nanjiao": {
        "complaints_concluded": 2, "follow_up_share": 0.5,
        "followed_up": {"total": 1, "resolved": 1, "satisfied_or_basic": 1, "resolved_rate": 1.0,
                        "satisfaction_rate": 1.0},
        "checked": {"total": 1, "resolved": 0, "satisfied_or_basic": 0, "resolved_rate": 0.0,
                    "satisfaction_rate": 0.0}}}
    assert f["checked"]["total"] == 1 and f["followed_up"]["total"] == 1

    page = browser("xiaobao").get("/stats/monthly/", {"month": "2026-03"}).content.decode()
    section = page[page.index('id="follow-up-results"'):]
    section = section[:section.index("</section>")]
    assert "回访问效" in section and "南郊所" in section and "50.0%" in section

    book = load_workbook(BytesIO(api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", format="xlsx").content))
    rows = list(book["回访问效"].iter_rows(min_row=4, values_only=True))
    assert rows == [("南郊所", 2, 1, 0.5, 1.0, 1.0, 1, 0.0, 0.0)]

    dashboard = browser("juzhang").get("/stats/dashboard/follow_up.csv", {"month": "2026-03"})
    assert dashboard.status_code == 200
    assert "南郊所,2,1,1,100.0,100.0,0.0" in dashboard.content.decode("utf-8-sig")


def test_no_answer_is_assumed(api, clock, march):
    clock.to("2026-03-12 10:00 +0800")
    r = api("nanjiao").act(march.a, "follow_up", {"channel": "phone"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"resolved", "satisfaction"}
    assert not FollowUp.objects.exists()
    # The page's form preselects neither answer.
    form = browser("nanjiao").get(f"/cases/{march.a}/actions/follow_up/").content.decode()
    assert 'value="" selected' in form or '<option value="">—请选择—</option>' in form
    assert '<option value="satisfied" selected' not in form and '<option value="true" selected' not in form


def test_the_check_sample_is_the_configured_share_and_fixed(api, clock, march, settings):
    clock.to("2026-03-12 10:00 +0800")
    settings.XIAOBAO_FOLLOW_UP_CHECK_SHARE = 0.0
    assert ok(api("xiaobao").get("/api/v1/follow-ups", month="2026-03", list="check"))["count"] == 0
    settings.XIAOBAO_FOLLOW_UP_CHECK_SHARE = 0.5
    first = _ids(api("xiaobao").get("/api/v1/follow-ups", month="2026-03", list="check"))
    assert first == _ids(api("xiaobao").get("/api/v1/follow-ups", month="2026-03", list="check"))
    assert set(first) <= {march.a, march.b}


def test_who_sees_which_list(api, clock, march):
    clock.to("2026-03-12 10:00 +0800")
    assert api("nanjiao").get("/api/v1/follow-ups", month="2026-03", list="check").status_code == 403
    assert api("archivist").get("/api/v1/follow-ups", month="2026-03").status_code == 403
    assert api("xiaobao").get("/api/v1/follow-ups", month="2026-13").status_code == 422
    page = browser("nanjiao").get("/follow-ups/", {"month": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "本单位待回访" in html and f"/cases/{march.a}/" in html and 'data-action="follow_up"' in html
    assert browser("archivist").get("/follow-ups/").status_code == 403
    assert Client().get("/follow-ups/").status_code == 302
