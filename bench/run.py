"""Benchmarks of the legal clocks (STYLE.md: one command, ratios and p50/p95, never timed tests).

    .venv/bin/python bench/run.py [--pairs 100000] [--items 100000] [--seed 1] [--sample 1000] [--skip-due-dates]

(a) due dates: WorkCalendar against chinese_calendar.find_workday and a day-by-day reference;
(b) publishing a year: recomputing the clocks of many open items in a throwaway SQLite database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "bench.sqlite3"
ONE_DAY = timedelta(days=1)
# The day the 2027 calendar is published in (b): the items are generated, the calendar published and the sample
# checked as of this one day, at noon in the bureau's time zone (bench_publish).
PUBLISHED_ON = date(2026, 12, 31)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "xiaobao.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    import django

    django.setup()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"数据库 {DB.relative_to(ROOT)} 已迁移（{time.perf_counter() - t:.1f} s，含 2004–2026 日历）")


def percentiles(ns: list[int]) -> str:
    q = statistics.quantiles(ns, n=100)
    return f"p50 {q[49] / 1000:.2f} µs, p95 {q[94] / 1000:.2f} µs"


def bench_due_dates(pairs: int, rng: random.Random) -> None:
    import chinese_calendar

    from xiaobao.clocks.calendar import get_calendar

    print(f"\n(a) 届满日计算：{pairs:,} 个随机 (起算日, 工作日数)，起算日 2004–2026，n 1–60")
    cal = get_calendar()
    span = (date(2026, 9, 30) - date(2004, 1, 1)).days
    cases = [(date(2004, 1, 1) + timedelta(days=rng.randrange(span)), rng.randint(1, 60)) for _ in range(pairs)]

    ours, timings = [], []
    clock = time.perf_counter_ns
    for start, n in cases:
        t = clock()
        due = cal.add_workdays(start, n)
        timings.append(clock() - t)
        ours.append(due)
    ours_total = sum(timings) / 1e9

    # The reference walks day by day over chinese_calendar.is_workday, asked once per day of 2004–2026.
    t = time.perf_counter()
    workday, d = {}, date(2004, 1, 1)
    while d.year <= 2026:
        workday[d] = chinese_calendar.is_workday(d)
        d += ONE_DAY
    mismatches = 0
    for (start, n), due in zip(cases, ours, strict=True):
        d, counted = start, 0
        while counted < n:
            d += ONE_DAY
            counted += workday[d]
        mismatches += d != due
    ref_total = time.perf_counter() - t

    # find_workday counts the start day itself when it is a working day (its delta 0 is "today or the next
    # working day"), so the legal n-th working day after `start` is find_workday(n, start) from a working
    # day and find_workday(n - 1, start) from a day off.
    subset = cases[: max(1, pairs // 20)]
    theirs_timings, their_mismatches = [], 0
    for (start, n), due in zip(subset, ours, strict=False):
        delta = n if chinese_calendar.is_workday(start) else n - 1
        t = clock()
        found = chinese_calendar.find_workday(delta, start)
        theirs_timings.append(clock() - t)
        their_mismatches += found != due
    ours_mean = statistics.fmean(timings)
    theirs_mean = statistics.fmean(theirs_timings)
    print(f"  WorkCalendar.add_workdays    {pairs:>9,} 次 {ours_total:7.3f} s   {percentiles(timings)}")
    print(f"  chinese_calendar.find_workday {len(subset):>8,} 次 {sum(theirs_timings) / 1e9:7.3f} s   "
          f"{percentiles(theirs_timings)}")
    print(f"  速度比（每次调用平均）：{theirs_mean / ours_mean:,.0f}×（目标 ≥ 500×）")
    print(f"  与逐日参照（{ref_total:.1f} s）比对：{pairs - mismatches:,}/{pairs:,} 相同；"
          f"与 find_workday 比对：{len(subset) - their_mismatches:,}/{len(subset):,} 相同")


def _inserter(model, template, varying: list[str]):
    """(SQL, row maker) for inserting many rows like `template` with one executemany: the fields named in
    `varying` (attnames; "id" to set the primary key) come from each row tuple, already adapted for the
    database; every other column is the template's value, prepared once by its field."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in varying]
    fixed = {f.attname: f.get_db_prep_save(f.pre_save(template, True), connection) for f in fields
             if f.attname not in varying}
    q = connection.ops.quote_name
    sql = (f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    slots = [(varying.index(f.attname), None) if f.attname in varying else (None, fixed[f.attname])
             for f in fields]

    def row(values: tuple) -> tuple:
        return tuple(values[i] if i is not None else v for i, v in slots)

    return sql, row


# What the generated items look like: 60 % waiting for the acceptance decision, 40 % accepted (handling by
# tier and the 60-day mediation cap); 5 % with a testing pause, a fifth of those still open; the tiers mixed.
TIERS = ["urgent", "general", "general", "general", "difficult"]


def make_items(n: int, rng: random.Random, *, not_reaching: int = 0) -> None:
    """N open complaints whose clocks reach into 2027, and `not_reaching` more whose clocks all end in 2026
    (the recomputation must pass over them), written with raw executemany in batches of 50,000."""
    from django.db import connection, transaction
    from django.utils import timezone

    from xiaobao.cases.models import Case
    from xiaobao.clocks.calendar import get_calendar
    from xiaobao.clocks.engine import PauseSpan
    from xiaobao.clocks.models import Clock, Pause
    from xiaobao.clocks.services import clock_length, compute
    from xiaobao.demo.bureau import create_bureau
    from xiaobao.rules.models import RuleSet
    from xiaobao.units.models import Unit

    staff = create_bureau("bench-only-password")
    rule_set = RuleSet.objects.filter(family="zengdu").order_by("-effective_from").first() or RuleSet.objects.first()
    unit = Unit.objects.get(code="st-nanjiao")
    cal = get_calendar()
    on = PUBLISHED_ON
    adapt = connection.ops.adapt_datefield_value
    received = timezone.make_aware(datetime(2026, 12, 1, 9, 0))
    case_sql, case_row = _inserter(Case, Case(
        number="", kind="complaint", channel="platform_12315", received_at=received, facts="基准测试数据",
        rule_set=rule_set, unit=unit, state="assigned", handler=staff["nanjiao"]), ["id", "number", "tier"])
    clock_varying = ["case_id", "name", "start", "length", "unit", "basis", "due", "provisional", "explanation"]
    clock_sql, clock_row = _inserter(Clock, Clock(), clock_varying)
    pause_sql, pause_row = _inserter(Pause, Pause(reason="testing", note="基准测试数据"), ["case_id", "start", "end"])
    rules = {name: rule_set.clock(name) for name in ("acceptance", "handling", "mediation_cap")}
    stops = rule_set.pause_stops()
    results: dict[tuple, object] = {}

    def due_of(name: str, start: date, tier: str, spans: tuple, cap_due: date | None):
        key = (name, start, tier, spans, cap_due)
        if key not in results:
            rule = rules[name]
            clock = Clock(name=name, start=start, length=clock_length(rule, tier), unit=rule["unit"])
            results[key] = (clock.length, compute(cal, clock, spans=list(spans), cap_due=cap_due, on=on, stops=stops))
        return results[key]

    next_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    total = n + not_reaching
    # SQLite's full-text index (cases/migrations/0004_search.py) is filled row by row by a trigger, which
    # would take most of the time here; the trigger is set aside and the new rows indexed in one statement.
    with connection.cursor() as cur:
        cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cases_case_search_insert'"
                    if connection.vendor == "sqlite" else "SELECT 1 WHERE false")
        search_trigger = cur.fetchone()
        if search_trigger:
            cur.execute(f"DROP TRIGGER {search_trigger[0]}")
    t0 = time.perf_counter()
    batch, made = 50_000, 0
    while made < total:
        size = min(batch, total - made)
        cases, clocks, pauses = [], [], []
        for k in range(made, made + size):
            case_id, tier = next_id + k, rng.choice(TIERS)
            cases.append(case_row((case_id, f"TS-2026-{k + 1:07d}", tier)))
            accepted = rng.random() < 0.4
            if k >= n:  # ends in 2026: acceptance decisions started in early December
                accepted, start = False, date(2026, 12, 1) + ONE_DAY * rng.randrange(12)
            elif accepted:  # the 60-day mediation cap of anything accepted after 11-02 reaches 2027
                start = date(2026, 11, 20) + ONE_DAY * rng.randrange(42)
            else:  # 7 working days from 12-23 on end in 2027
                start = date(2026, 12, 23) + ONE_DAY * rng.randrange(9)
            spans: tuple = ()
            if rng.random() < 0.05:
                p_start = start + ONE_DAY * rng.randrange(1, 5)
                p_end = None if rng.random() < 0.2 else p_start + ONE_DAY * rng.randrange(0, 8)
                pauses.append(pause_row((case_id, adapt(p_start), adapt(p_end) if p_end else None)))
                spans = (PauseSpan(p_start, p_end, "检验检测", "testing"),)
            cap_due = None
            for name in ("mediation_cap", "handling") if accepted else ("acceptance",):
                length, result = due_of(name, start, tier, spans, cap_due)
                if name == "mediation_cap":
                    cap_due = result.due
                rule = rules[name]
                clocks.append(clock_row((case_id, name, adapt(start), length, rule["unit"], rule["basis"],
                                         adapt(result.due), result.provisional, result.explanation)))
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(case_sql, cases)
            cur.executemany(clock_sql, clocks)
            if pauses:
                cur.executemany(pause_sql, pauses)
        made += size
        if made % max(batch, total // 5) < batch or made == total:
            print(f"  已生成 {made:,}/{total:,} 件（{time.perf_counter() - t0:.1f} s）", flush=True)
    if search_trigger:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT INTO cases_case_search(rowid, number, facts, demand, respondent, external_id) "
                        "SELECT id, number, facts, demand, NULL, external_id FROM cases_case WHERE id >= %s",
                        [next_id])
            cur.execute(search_trigger[1])
        print(f"  全文检索索引已建（{time.perf_counter() - t0:.1f} s）", flush=True)


def snapshot(case_ids: list[int]) -> dict[int, dict[str, tuple]]:
    from xiaobao.clocks.models import Clock

    out: dict[int, dict[str, tuple]] = {i: {} for i in case_ids}
    for case_id, name, due, provisional in (Clock.objects.filter(case_id__in=case_ids, met_on__isnull=True)
                                            .values_list("case_id", "name", "due", "provisional")):
        out[case_id][name] = (due, provisional)
    return out


def check_sample(before: dict[int, dict[str, tuple]]) -> tuple[int, list]:
    """Recompute the sampled items one by one, the slow way — ORM objects, services.compute and the
    day-by-day explanation — and compare with what the batch path stored, events included."""
    from unittest import mock

    from xiaobao.cases.models import Case, Event
    from xiaobao.clocks import engine
    from xiaobao.clocks.calendar import get_calendar
    from xiaobao.clocks.services import _spans, clock_length, compute

    cal, on = get_calendar(), PUBLISHED_ON
    bad = []
    with mock.patch.object(engine, "explain", engine._explain_slow):
        for case in Case.objects.filter(pk__in=list(before)).select_related("rule_set").prefetch_related("pauses"):
            spans, cap_due, moved = _spans(case), None, []
            for clock in sorted(case.clocks.filter(met_on__isnull=True), key=lambda c: c.name != "mediation_cap"):
                length = clock_length(case.rule_set.clock(clock.name), case.tier)
                clock.length = length
                want = compute(cal, clock, spans=spans, cap_due=cap_due, on=on, stops=case.rule_set.pause_stops())
                if clock.name == "mediation_cap":
                    cap_due = want.due
                if (clock.due, clock.provisional, clock.explanation) != (want.due, want.provisional,
                                                                         want.explanation):
                    bad.append((case.pk, clock.name, "clock"))
                if before[case.pk][clock.name] != (want.due, want.provisional):
                    old_due, _ = before[case.pk][clock.name]
                    moved.append({"clock": clock.name, "old_due": old_due.isoformat(),
                                  "new_due": want.due.isoformat(), "provisional": want.provisional})
            events = [e.data for e in Event.objects.filter(case=case, action="recompute_clocks")]
            if events != ([{"changes": moved}] if moved else []):
                bad.append((case.pk, "events", events, moved))
    return len(before), bad


def bench_publish(items: int, rng: random.Random, sample: int) -> tuple[int, list]:
    """Returns what check_sample() found: (items checked, differences)."""
    from django.utils import timezone

    from xiaobao.cases.models import Event
    from xiaobao.cases.recompute import publish_year
    from xiaobao.clocks.models import Clock
    from xiaobao.lib import timeutil
    from xiaobao.records.models import AuditEntry
    from xiaobao.units.models import Staff

    extra = items // 10
    print(f"\n(b) 发布 2027 年日历并重新计算：{items:,} 件期限延伸至 2027 年的未完成件（另有 {extra:,} 件期限在 2026 年内届满）")
    t = time.perf_counter()
    make_items(items, rng, not_reaching=extra)
    print(f"  生成用时 {time.perf_counter() - t:.1f} s；暂定期限 {Clock.objects.filter(provisional=True).count():,} 项，"
          f"期限共 {Clock.objects.count():,} 项")
    admin = Staff.objects.get(username="admin")
    reaching = sorted(set(Clock.objects.filter(due__year=2027).values_list("case_id", flat=True)))
    before = snapshot(rng.sample(reaching, min(sample, len(reaching))))
    audit_rows = AuditEntry.objects.count()
    batches = []

    def progress(done: int, total: int) -> None:
        batches.append(time.perf_counter())
        print(f"  已重新计算 {done:,}/{total:,} 件（{batches[-1] - start:.1f} s）", flush=True)

    # A stand-in for the State Council notice of 2027 (not out when this was written).
    holidays = ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]
    # Noon in the bureau's zone: the publication's "today" is PUBLISHED_ON at whatever hour the benchmark runs
    # (the current time with its date replaced kept UTC's hour, which from 16:00 UTC is the next day in
    # Asia/Shanghai, so open pauses ran a day longer than the check counted them).
    moment = timezone.make_aware(datetime.combine(PUBLISHED_ON, datetime.min.time()).replace(hour=12))
    with timeutil.at(moment):
        start = time.perf_counter()
        result = publish_year(year=2027, holidays=holidays, workdays=["2027-02-06"], actor=admin,
                              progress=progress)
        took = time.perf_counter() - start
    gaps = [b - a for a, b in zip([start, *batches], batches, strict=False)]
    events = Event.objects.filter(action="recompute_clocks").count()
    left = Clock.objects.filter(provisional=True).count()
    print(f"  发布并重新计算 {result['recomputed']:,} 件用时 {took:.1f} s（{result['recomputed'] / took:,.0f} 件/s；"
          f"目标 1M 件 < 60 s，即 ≥ 16,667 件/s）；每批最长 {max(gaps):.2f} s")
    print(f"  写入办理记录 {events:,} 条，审计记录 {AuditEntry.objects.count() - audit_rows:,} 条；"
          f"仍为暂定的期限 {left:,} 项")
    t = time.perf_counter()
    checked, bad = check_sample(before)
    print(f"  抽样 {checked:,} 件逐件按 services.compute 与逐日说明重新计算（{time.perf_counter() - t:.1f} s）："
          f"{checked - len({b[0] for b in bad}):,}/{checked:,} 件期限、说明与办理记录相同")
    for b in bad[:5]:
        print("   不同：", b)
    return checked, bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=1000, help="items checked against the slow path after (b)")
    parser.add_argument("--skip-due-dates", action="store_true", help="run (b) only")
    args = parser.parse_args()
    setup_django()
    if not args.skip_due_dates:
        bench_due_dates(args.pairs, random.Random(args.seed))
    bench_publish(args.items, random.Random(args.seed), args.sample)


if __name__ == "__main__":
    main()
