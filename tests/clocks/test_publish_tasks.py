"""Publishing a year on the calendar page stores the calendar in the request and recomputes the clocks reaching
into it in a background task (django-tasks), whose progress the page polls. The tests run tasks inline
(tests/conftest.py) unless they queue them in the dummy backend to look at the page in between."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.test import Client
from django_tasks import default_task_backend

from tests.clocks.test_calendar_page import NOTICE_2027, logged_in
from tests.conftest import complaint_body
from xiaobao.cases import recompute
from xiaobao.cases import tasks as clock_tasks
from xiaobao.cases.tasks import recompute_year
from xiaobao.clocks.models import CalendarYear
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
FRAGMENT = "/calendar/2027/recompute/"


@pytest.fixture(autouse=True)
def _christmas_eve_2026():
    with time_machine.travel("2026-12-24 10:00 +0800", tick=False):
        yield


@pytest.fixture
def routed(api):
    """Two complaints routed to 南郊 on 24 December: their acceptance clocks reach into 2027."""
    clerk = api("xiaobao")
    ids = []
    for _ in range(2):
        case = clerk.post("/api/v1/cases", complaint_body(received_at="2026-12-24T09:30:00+08:00")).json()
        clerk.act(case["id"], "submit_for_triage")
        clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})
        ids.append(case["id"])
    return clerk, ids


def _acceptance_due(clerk, case_id: int) -> tuple[str, bool]:
    clock = next(c for c in clerk.get(f"/api/v1/cases/{case_id}").json()["clocks"] if c["name"] == "acceptance")
    return clock["due"], clock["provisional"]


def _fragment(admin: Client) -> str:
    r = admin.get(FRAGMENT, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    return r.content.decode()


def test_the_page_queues_the_recomputation_and_shows_its_progress_until_done(routed, settings):
    clerk, ids = routed
    settings.TASKS = DUMMY
    admin = logged_in("admin")
    page = admin.post("/calendar/?year=2027", NOTICE_2027, follow=True).content.decode()
    assert "已发布 2027 年工作日历：节假日 2 天，调休上班 1 天；受影响的期限正在后台重新计算，进度见本页。" in page
    assert "受影响的期限等待后台重新计算" in page and 'hx-trigger="every 1s"' in page
    # The calendar is published at once; the clocks wait for the worker.
    assert clerk.get("/api/v1/calendar/2027").json()["published"] is True
    assert _acceptance_due(clerk, ids[0])[1] is True
    queued = default_task_backend.results
    assert [r.task for r in queued] == [recompute_year] and queued[0].kwargs["year"] == 2027

    # What `manage.py db_worker` does with the queued task:
    assert recompute_year.call(**queued[0].kwargs) == 2
    fragment = _fragment(admin)
    assert fragment.lstrip().startswith('<section id="calendar-recompute"')
    assert "已重新计算受影响的期限：2 件（2026-12-24 10:00:00 完成）。" in fragment
    assert 'hx-trigger="every 1s"' not in fragment
    assert _acceptance_due(clerk, ids[0]) == ("2027-01-06", False)
    audit = AuditEntry.objects.filter(action="recompute_clocks", object="calendar:2027").get()
    assert audit.actor.username == "admin" and sorted(audit.detail["cases"]) == sorted(ids)


def test_with_tasks_run_inline_the_page_reports_the_count_at_once(routed):
    admin = logged_in("admin")
    page = admin.post("/calendar/?year=2027", NOTICE_2027, follow=True).content.decode()
    assert "已发布 2027 年工作日历：节假日 2 天，调休上班 1 天；重新计算了 2 件的期限。" in page
    assert "已重新计算受影响的期限：2 件" in page and 'hx-trigger="every 1s"' not in page


def test_the_progress_shows_each_batch_while_it_runs(routed, monkeypatch):
    admin = logged_in("admin")
    seen = []

    def in_batches_of_one(year, *, actor, progress):
        def spy(done, total):
            progress(done, total)
            seen.append(_fragment(admin))

        return recompute.recompute_reaching(year, actor=actor, progress=spy, batch=1)

    monkeypatch.setattr(clock_tasks, "recompute_reaching", in_batches_of_one)
    admin.post("/calendar/?year=2027", NOTICE_2027)
    assert "正在重新计算受影响的期限：1 / 2" in seen[0] and 'hx-trigger="every 1s"' in seen[0]
    assert '<progress max="2" value="1"' in seen[0]
    assert "正在重新计算受影响的期限：2 / 2" in seen[1]
    assert "已重新计算受影响的期限：2 件" in _fragment(admin)


def test_large_counts_are_shown_with_thousands_separators(bureau):
    CalendarYear.objects.update_or_create(year=2027, defaults={
        "published": True, "recompute_status": "running", "recompute_done": 12_000, "recompute_total": 1_000_000})
    fragment = _fragment(logged_in("admin"))
    assert "正在重新计算受影响的期限：12,000 / 1,000,000" in fragment


def test_a_failed_recomputation_is_shown_with_its_message(routed, monkeypatch):
    def broken(year, *, actor, progress):
        progress(1, 2)
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(clock_tasks, "recompute_reaching", broken)
    admin = logged_in("admin")
    page = admin.post("/calendar/?year=2027", NOTICE_2027, follow=True).content.decode()
    assert "受影响的期限正在后台重新计算" in page
    fragment = _fragment(admin)
    assert 'role="alert">重新计算受影响的期限失败（已完成 1 / 2）：RuntimeError: 数据库连接中断。' in fragment
    assert "manage.py recompute_clocks --year 2027" in fragment and 'hx-trigger="every 1s"' not in fragment


def test_a_newer_publication_supersedes_a_queued_recomputation(routed, settings):
    clerk, ids = routed
    settings.TASKS = DUMMY
    admin = logged_in("admin")
    admin.post("/calendar/?year=2027", NOTICE_2027)
    with time_machine.travel("2026-12-24 10:05 +0800", tick=False):
        admin.post("/calendar/?year=2027", {**NOTICE_2027, "holidays": "2027-01-01\n2027-01-04\n2027-01-05"})
    first, second = default_task_backend.results
    assert recompute_year.call(**first.kwargs) == 0
    assert "受影响的期限等待后台重新计算" in _fragment(admin)
    assert recompute_year.call(**second.kwargs) == 2
    assert _acceptance_due(clerk, ids[0]) == ("2027-01-07", False)


def test_only_administrators_see_the_progress(routed):
    logged_in("admin").post("/calendar/?year=2027", NOTICE_2027)
    assert logged_in("xiaobao").get(FRAGMENT).status_code == 403
    assert logged_in("admin").get("/calendar/2031/recompute/").status_code == 404


def test_a_publication_through_the_api_recomputes_in_the_request_and_clears_the_page_s_old_progress(
        routed, api, monkeypatch):
    clerk, ids = routed

    def broken(year, *, actor, progress):
        raise RuntimeError("数据库连接中断")

    with monkeypatch.context() as m:
        m.setattr(clock_tasks, "recompute_reaching", broken)
        logged_in("admin").post("/calendar/?year=2027", NOTICE_2027)
    assert "重新计算受影响的期限失败" in logged_in("admin").get("/calendar/?year=2027").content.decode()
    body = {"holidays": ["2027-01-01", "2027-01-04"], "workdays": ["2027-02-06"]}
    r = api("admin").put("/api/v1/calendar/2027", body)
    assert r.status_code == 200 and r.json()["recomputed"] == 2
    assert _acceptance_due(clerk, ids[0]) == ("2027-01-06", False)
    assert 'id="calendar-recompute"' not in logged_in("admin").get("/calendar/?year=2027").content.decode()


def test_a_recomputation_cut_short_says_so_and_the_command_finishes_it_with_the_page_following(
        routed, monkeypatch, settings):
    from django.core.management import call_command

    def killed(year, *, actor, progress):
        progress(1, 2)
        raise SystemExit  # the worker stopped mid-run: nothing records a failure

    settings.TASKS = DUMMY
    admin = logged_in("admin")
    admin.post("/calendar/?year=2027", NOTICE_2027)
    monkeypatch.setattr(clock_tasks, "recompute_reaching", killed)
    with pytest.raises(SystemExit):
        recompute_year.call(**default_task_backend.results[0].kwargs)
    assert "正在重新计算受影响的期限：1 / 2" in _fragment(admin) and "可能已中断" not in _fragment(admin)
    with time_machine.travel("2026-12-24 10:11 +0800", tick=False):
        fragment = _fragment(admin)
    assert "重新计算已超过 10 分钟没有进展，可能已中断" in fragment
    assert "manage.py recompute_clocks --year 2027" in fragment
    # The administrator runs the command; the page shows its progress and the end like the task's.
    with time_machine.travel("2026-12-24 10:12 +0800", tick=False):
        call_command("recompute_clocks", year=2027, stdout=io.StringIO())
        fragment = _fragment(admin)
    assert "已重新计算受影响的期限：2 件（2026-12-24 10:12:00 完成）。" in fragment and "可能已中断" not in fragment
    clerk, ids = routed
    assert _acceptance_due(clerk, ids[0]) == ("2027-01-06", False)
