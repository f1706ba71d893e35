"""Benchmarks of the legal clocks (STYLE.md: one command, ratios and p50/p95, never timed tests).

    .venv/bin/python bench/run.py [--pairs 100000] [--items 100000] [--seed 1]

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


def make_items(n: int, rng: random.Random) -> None:
    """N accepted or just-routed complaints whose clocks reach into 2027, written with bulk_create."""
    from django.db import transaction
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
    received = timezone.make_aware(datetime(2026, 12, 1, 9, 0))
    tiers = ["urgent", "general", "general", "general", "difficult"]
    t0 = time.perf_counter()
    batch = 10_000
    made = 0
    while made < n:
        size = min(batch, n - made)
        with transaction.atomic():
            cases = Case.objects.bulk_create([
                Case(number=f"TS-2026-{made + i:07d}", kind="complaint", channel="platform_12315",
                     received_at=received, facts="基准测试数据", rule_set=rule_set, unit=unit,
                     tier=rng.choice(tiers), state="assigned", handler=staff["nanjiao"])
                for i in range(size)])
            clocks, pauses = [], []
            for case in cases:
                start = date(2026, 11, 20) + timedelta(days=rng.randrange(41))
                accepted = rng.random() < 0.4
                names = ("mediation_cap", "handling") if accepted else ("acceptance",)
                spans = []
                if rng.random() < 0.05:
                    p = Pause(case=case, reason="testing", start=start + ONE_DAY * rng.randrange(1, 5))
                    p.end = p.start + ONE_DAY * rng.randrange(0, 8)
                    pauses.append(p)
                    spans = [p]
                cap_due = None
                for name in names:
                    rule = rule_set.clock(name)
                    c = Clock(case=case, name=name, start=start, length=clock_length(rule, case.tier),
                              unit=rule["unit"], basis=rule["basis"], due=start)
                    result = compute(cal, c, spans=[PauseSpan(s.start, s.end, "检验检测") for s in spans],
                                     cap_due=cap_due, on=date(2026, 12, 31))
                    c.due, c.provisional, c.explanation = result.due, result.provisional, result.explanation
                    if name == "mediation_cap":
                        cap_due = c.due
                    clocks.append(c)
            Clock.objects.bulk_create(clocks, batch_size=5000)
            Pause.objects.bulk_create(pauses, batch_size=5000)
        made += size
        if made % max(batch, n // 10) == 0 or made == n:
            print(f"  已生成 {made:,}/{n:,} 件（{time.perf_counter() - t0:.1f} s）", flush=True)


def bench_publish(items: int, rng: random.Random) -> None:
    from xiaobao.cases.models import Event
    from xiaobao.clocks.models import Clock
    from xiaobao.clocks.publishing import publish_year
    from xiaobao.lib import timeutil
    from xiaobao.units.models import Staff

    print(f"\n(b) 发布 2027 年日历并重新计算：{items:,} 件未完成的件")
    make_items(items, rng)
    provisional = Clock.objects.filter(provisional=True).count()
    print(f"  暂定期限 {provisional:,} 项，期限共 {Clock.objects.count():,} 项")
    admin = Staff.objects.get(username="admin")
    step = max(items // 10, 1)

    def progress(done: int, total: int) -> None:
        if done % step < 2000 or done == total:
            print(f"  已重新计算 {done:,}/{total:,} 件（{time.perf_counter() - start:.1f} s）", flush=True)

    # A stand-in for the State Council notice of 2027 (not out when this was written).
    holidays = ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]
    with timeutil.at(timeutil.now().replace(year=2026, month=12, day=31)):
        start = time.perf_counter()
        result = publish_year(year=2027, holidays=holidays, workdays=["2027-02-06"], actor=admin,
                              progress=progress)
        took = time.perf_counter() - start
    events = Event.objects.filter(action="recompute_clocks").count()
    left = Clock.objects.filter(provisional=True).count()
    print(f"  发布并重新计算 {result['recomputed']:,} 件用时 {took:.1f} s（{result['recomputed'] / took:,.0f} 件/s；"
          f"1M 件目标 < 60 s）")
    print(f"  写入办理记录 {events:,} 条；仍为暂定的期限 {left:,} 项")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    bench_due_dates(args.pairs, random.Random(args.seed))
    bench_publish(args.items, random.Random(args.seed))


if __name__ == "__main__":
    main()
