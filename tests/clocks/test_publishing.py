"""Publishing a year recomputes, batch by batch, every open clock of the items whose deadlines reach into it
(issue 3; DOMAIN.md, "Legal clocks": "publishing the year recomputes every affected deadline and records
the change on each item's timeline"). The batch path must store exactly what the per-item path computes:
checked here against ORM objects, services.compute and the day-by-day explanation."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.utils import timezone

from xiaobao.cases import recompute
from xiaobao.cases.models import Case, Event
from xiaobao.cases.recompute import publish_year
from xiaobao.clocks import engine, services
from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.models import CalendarYear, Clock
from xiaobao.records.audit import verify
from xiaobao.records.models import AuditEntry
from xiaobao.rules.models import RuleSet
from xiaobao.units.models import Unit

# A stand-in for the State Council's notice (the same as tests/clocks/test_deadline_api.py's).
NOTICE_2027 = {"holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
                            "2027-02-12"], "workdays": ["2027-02-06"]}
# An amended notice: 02-12 is worked after all, 02-15 is off and 02-20 is a make-up working day.
AMENDED_2027 = {"holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
                             "2027-02-15"], "workdays": ["2027-02-06", "2027-02-20"]}
REASON = "2027年日历发布，重新计算期限"
TODAY = date(2026, 12, 24)


@pytest.fixture
def items(bureau):
    """Forty-odd items in every shape the recomputation meets, set up the way the services set them up
    while 2027 was estimated: acceptance only or handling with the mediation cap (some clamped to it), all
    three tiers, two rule sets, closed, open and overlapping pauses, met clocks, items whose clocks all end
    in 2026, and an item whose tier changed without its handling period being recomputed."""
    rng = random.Random(3)
    zengdu = RuleSet.objects.filter(family="zengdu").order_by("-effective_from").first()
    samr = RuleSet.objects.filter(family="samr").order_by("-effective_from").first()
    unit = Unit.objects.get(code="st-nanjiao")
    handler = bureau["nanjiao"]
    with time_machine.travel("2026-12-24 10:00 +0800", tick=False):
        for i in range(44):
            case = Case.objects.create(
                number=f"TS-2026-{i:05d}", kind="complaint", channel="platform_12315", facts="测试",
                received_at=timezone.make_aware(datetime(2026, 11, 16, 9)), rule_set=samr if i % 9 == 0 else zengdu,
                unit=unit, handler=handler, tier=rng.choice(["urgent", "general", "difficult"]),
                state=rng.choice(["assigned", "in_progress"]))
            start = (date(2026, 11, 2) if i % 11 == 5 else date(2026, 11, 16)) + timedelta(days=rng.randrange(38))
            if i % 4 == 1:  # a closed pause
                p = services.open_pause(case, reason="testing", note="送检", actor=handler,
                                        on=start + timedelta(days=rng.randrange(1, 6)))
                services.close_pause(p, on=p.start + timedelta(days=rng.randrange(0, 9)))
            elif i % 4 == 2 and start < TODAY:  # still paused today
                services.open_pause(case, reason="appraisal", note="鉴定", actor=handler,
                                    on=min(TODAY, start + timedelta(days=rng.randrange(1, 6))))
            elif i % 8 == 3:  # two overlapping pauses with different reasons
                p = services.open_pause(case, reason="testing", note="", actor=handler, on=start + timedelta(days=1))
                services.close_pause(p, on=start + timedelta(days=5))
                p = services.open_pause(case, reason="jurisdiction", note="", actor=handler,
                                        on=start + timedelta(days=3))
                services.close_pause(p, on=start + timedelta(days=8))
            if i % 3 == 0:
                services.start(case, "acceptance", on=start)
            else:
                services.start(case, "acceptance", on=start - timedelta(days=3))
                services.meet(case, "acceptance", on=start)
                # Every fifth accepted item reopened: the cap runs from the first acceptance, 40 days
                # earlier, and the new handling period is clamped to it (rules 二.4).
                services.start(case, "mediation_cap", on=start - timedelta(days=40 if i % 5 == 4 else 0))
                for name in ("handling", "verification"):
                    services.start(case, name, on=start)
            services.recompute(case, on=TODAY)
        # The tier went up and the handling period was not recomputed: publishing puts it right.
        case = Case.objects.filter(clocks__name="handling", tier="general").first()
        Case.objects.filter(pk=case.pk).update(tier="difficult")
    return list(Case.objects.order_by("pk"))


def snapshot() -> dict[int, list[Clock]]:
    out: dict[int, list[Clock]] = {}
    for clock in Clock.objects.order_by("id"):
        out.setdefault(clock.case_id, []).append(clock)
    return out


def expected(before: dict[int, list[Clock]]) -> tuple[dict[int, tuple], dict[int, list[dict]], list[int]]:
    """The per-item recomputation with the published calendar, from the clocks as they were: each clock's
    (due, provisional, explanation, length), each moved item's list of changes, and the items looked at."""
    cal = get_calendar()
    assert 2027 in cal.published_years
    last = date(2027, 12, 31)
    clocks, moves, looked_at = {}, {}, []
    with mock.patch.object(engine, "explain", engine._explain_slow):
        for case_id, case_clocks in before.items():
            for c in case_clocks:
                clocks[c.pk] = (c.due, c.provisional, c.explanation, c.length)
            open_clocks = [c for c in case_clocks if c.met_on is None]
            if not any(c.due >= date(2027, 1, 1) and c.start <= last for c in open_clocks):
                continue
            looked_at.append(case_id)
            case = Case.objects.get(pk=case_id)
            spans = services._spans(case)
            cap_due, moved = None, []
            for c in sorted(open_clocks, key=lambda c: c.name != "mediation_cap"):
                rule = case.rule_set.clock(c.name)
                length = services.clock_length(rule, case.tier) if rule else c.length
                probe = Clock(name=c.name, start=c.start, length=length, unit=c.unit)
                r = services.compute(cal, probe, spans=spans, cap_due=cap_due, on=TODAY,
                                     stops=case.rule_set.pause_stops())
                if c.name == "mediation_cap":
                    cap_due = r.due
                if (r.due, r.provisional) != (c.due, c.provisional):
                    moved.append({"clock": c.name, "old_due": c.due.isoformat(), "new_due": r.due.isoformat(),
                                  "provisional": r.provisional})
                if (r.due, r.provisional, r.explanation) != (c.due, c.provisional, c.explanation):
                    clocks[c.pk] = (r.due, r.provisional, r.explanation, length)
            if moved:
                moves[case_id] = moved
    return clocks, moves, sorted(looked_at)


def stored() -> dict[int, tuple]:
    return {pk: tuple(rest) for pk, *rest in Clock.objects.values_list("pk", "due", "provisional", "explanation", "length")}


def timelines() -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for e in Event.objects.filter(action="recompute_clocks").order_by("id"):
        out.setdefault(e.case_id, []).append(e)
    return out


def publish(admin, progress=None, notice=NOTICE_2027) -> dict:
    with time_machine.travel("2026-12-24 10:00 +0800", tick=False):
        return publish_year(year=2027, actor=admin, progress=progress, **notice)


def check_publication(admin, notice: dict, items: list[Case]) -> tuple[dict, list[int]]:
    """Publish with batches of 7 and check everything against the per-item path; returns the moves."""
    before = snapshot()
    # The last id, not the count: PostgreSQL's sequences keep counting across the suite's rolled-back tests.
    audit_before = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    audit_count = AuditEntry.objects.count()
    events_before = set(Event.objects.filter(action="recompute_clocks").values_list("pk", flat=True))
    calls = []
    result = publish(admin, progress=lambda done, total: calls.append((done, total)), notice=notice)

    want_clocks, want_moves, looked_at = expected(before)
    assert result["published"] is True and result["recomputed"] == len(looked_at) < len(items)
    assert stored() == want_clocks
    assert not Clock.objects.filter(provisional=True, met_on__isnull=True, due__gte=date(2027, 1, 1)).exists()
    # One event per item whose dates moved, on that item's timeline, with the old and new due dates.
    events = {case_id: [e for e in es if e.pk not in events_before] for case_id, es in timelines().items()}
    assert {case_id for case_id, es in events.items() if es} == set(want_moves)
    for case in items:
        if case.pk in want_moves:
            [e] = events[case.pk]
            assert e.data == {"changes": want_moves[case.pk]}
            assert (e.note, e.actor, e.from_state, e.to_state) == (REASON, admin, case.state, case.state)
    # Progress after each batch of 7 items; one audit row per batch that moved something, naming its items.
    n = len(looked_at)
    assert calls == [(min(k + 7, n), n) for k in range(0, n, 7)]
    batches = [looked_at[k:k + 7] for k in range(0, n, 7)]
    rows = AuditEntry.objects.filter(action="recompute_clocks", pk__gt=audit_before).order_by("id")
    assert [r.detail["cases"] for r in rows] == [[c for c in b if c in want_moves] for b in batches
                                                 if any(c in want_moves for c in b)]
    assert all(r.object == "calendar:2027" and r.detail["note"] == REASON for r in rows)
    # ... with the number of clocks the batch rewrote (moved, or only their explanation changed).
    rewritten = {c: sum(want_clocks[k.pk] != (k.due, k.provisional, k.explanation, k.length) for k in before[c])
                 for c in looked_at}
    assert [r.detail["clocks"] for r in rows] == [sum(rewritten[c] for c in b) for b in batches
                                                  if any(c in want_moves for c in b)]
    assert AuditEntry.objects.filter(action="publish_calendar", pk__gt=audit_before).count() == 1
    assert AuditEntry.objects.count() == audit_count + 1 + rows.count()
    assert verify()["ok"]
    return want_moves, looked_at


def test_publishing_stores_what_the_per_item_path_computes_batch_by_batch(items, bureau, monkeypatch):
    monkeypatch.setattr(recompute, "BATCH", 7)
    assert Clock.objects.filter(provisional=True, met_on__isnull=True).exists()
    moves, looked_at = check_publication(bureau["admin"], NOTICE_2027, items)
    # Every deadline reaching into 2027 was provisional, so every item looked at has moved.
    assert set(moves) == set(looked_at)
    assert Clock.objects.filter(name="handling", explanation__contains="不超过调解终结期限").exists()
    # An amended notice: the deadlines in February move, those in January stay, and nothing is noted for them.
    moves, looked_at = check_publication(bureau["admin"], AMENDED_2027, items)
    assert 0 < len(moves) < len(looked_at)


def test_the_tier_changed_without_recomputation_gets_its_period_and_its_length(items, bureau):
    case = Case.objects.get(tier="difficult", clocks__name="handling", clocks__length=15)
    publish(bureau["admin"])
    handling = case.clocks.get(name="handling")
    assert handling.length == 30 and "后第 30 个工作日" in handling.explanation


def test_publishing_the_same_year_again_changes_nothing_and_writes_nothing(items, bureau):
    first = publish(bureau["admin"])
    clocks, events = stored(), Event.objects.count()
    audit = AuditEntry.objects.filter(action="recompute_clocks").count()
    again = publish(bureau["admin"])
    assert again["recomputed"] == first["recomputed"]
    assert stored() == clocks
    assert Event.objects.count() == events
    assert AuditEntry.objects.filter(action="recompute_clocks").count() == audit


def test_a_publication_stopped_half_way_keeps_its_finished_batches_and_publishing_again_finishes_it(
        items, bureau, monkeypatch):
    monkeypatch.setattr(recompute, "BATCH", 10)
    before = snapshot()
    batch = recompute._Recompute.batch
    done = []

    def fail_second(self, case_ids):
        if done:
            raise RuntimeError("断电")
        batch(self, case_ids)
        done.append(case_ids)

    with mock.patch.object(recompute._Recompute, "batch", fail_second), pytest.raises(RuntimeError):
        publish(bureau["admin"])
    # The calendar is published; the first batch is recomputed, the rest still provisional.
    assert CalendarYear.objects.get(year=2027).published
    want_clocks, want_moves, looked_at = expected(before)
    first = set(done[0])
    assert first == set(looked_at[:10])
    now = stored()
    assert all(now[c.pk] == want_clocks[c.pk] for c in Clock.objects.filter(case_id__in=first))
    assert Clock.objects.filter(provisional=True, met_on__isnull=True).exclude(case_id__in=first).exists()

    publish(bureau["admin"])
    assert stored() == want_clocks
    # Each moved item has its one event: the first batch's items are not noted twice.
    events = timelines()
    assert set(events) == set(want_moves)
    assert all(len(es) == 1 and es[0].data == {"changes": want_moves[c]} for c, es in events.items())


def test_the_command_finishes_a_stopped_publication_showing_progress_per_batch(items, bureau, monkeypatch):
    before = snapshot()
    monkeypatch.setattr(recompute, "BATCH", 10)
    with mock.patch.object(recompute._Recompute, "batch", side_effect=RuntimeError("断电")), \
            pytest.raises(RuntimeError):
        publish(bureau["admin"])
    want_clocks, want_moves, looked_at = expected(before)
    assert stored() != want_clocks

    out = StringIO()
    with time_machine.travel("2026-12-24 10:00 +0800", tick=False):
        call_command("recompute_clocks", "--year", "2027", "--batch", "15", stdout=out)
    lines = out.getvalue().splitlines()
    n = len(looked_at)
    assert [line.split("（")[0] for line in lines[:-1]] == [f"已重新计算 {min(k + 15, n)}/{n} 件"
                                                          for k in range(0, n, 15)]
    assert lines[-1] == f"完成：{n} 件。"
    assert stored() == want_clocks
    assert set(timelines()) == set(want_moves)
    assert AuditEntry.objects.filter(action="recompute_clocks", actor=None).count() == -(-n // 15)


def test_the_command_refuses_a_year_that_is_not_published(bureau):
    with pytest.raises(CommandError, match="2027 年的工作日历尚未发布"):
        call_command("recompute_clocks", "--year", "2027", stdout=StringIO())
