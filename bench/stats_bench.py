"""Time the monthly report (xiaobao.stats.queries.monthly_figures) and the dashboard's charts on a large
database, in process, with the SQL each one runs (for docs/performance.md, "Statistics"):

    DATABASE_URL=sqlite:////work/main/bench/out/stats-1000000.sqlite3 \\
        .venv/bin/python bench/stats_bench.py --month 2026-10 --unit st-nanjiao [--plans] [--repeat 3]

Read-only: nothing is written. Prints the best of --repeat runs with their p50 and p95 (the first run also warms the page cache), the best as a ratio of its target (issue 7), wall and CPU time (on
a loaded machine the CPU time of this process is the better guide; SQLite runs in process). --only monthly,on_time times
those alone; --dump FILE writes every result as JSON, so two versions of the queries can be compared with diff."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--unit", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plans", action="store_true",
                        help="EXPLAIN every query of the last run (SQLite: QUERY PLAN; PostgreSQL: ANALYZE, BUFFERS)")
    parser.add_argument("--charts", action="store_true", help="also time each dashboard chart")
    parser.add_argument("--only", default="", help="comma-separated: monthly, series, chart keys (on_time, trend, …)")
    parser.add_argument("--dump", default="", help="write every result as JSON to this file (to compare two runs)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaobao.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from http_bench import pct  # bench/, the script's own folder

    from xiaobao.lib import timeutil
    from xiaobao.stats import dashboard
    from xiaobao.stats.periods import parse_month
    from xiaobao.stats.queries import monthly_figures, received_by_kind_series
    from xiaobao.units.models import Unit

    month = parse_month(args.month)
    unit = Unit.objects.get(code=args.unit) if args.unit else None
    print(f"{connection.vendor}, {args.month}, unit={args.unit or '全局'}, load {os.getloadavg()[0]:.2f}")

    only = {x for x in args.only.split(",") if x}
    results: dict[str, object] = {}
    # Issue 7: the month's report under 1 s on PostgreSQL and 2 s on SQLite; each dashboard chart under 300 ms.
    report_target = 1000 if connection.vendor == "postgresql" else 2000

    def best(label: str, fn, key: str, target_ms: float | None = None) -> None:
        if only and key not in only:
            return
        times, cpu = [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                t, c = time.perf_counter(), time.process_time()
                results[label] = fn()
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
        slow = sorted(((float(q["time"]), q["sql"]) for q in ctx.captured_queries), reverse=True)[:14]
        spread = pct([t * 1000 for t in times])  # the same percentiles as the HTTP benchmark's
        p50, p95 = spread["p50"], spread["p95"]
        ratio = f", {min(times) * 1000 / target_ms:.2f} × the {target_ms:.0f} ms target" if target_ms else ""
        print(f"{label:28s} best {min(times) * 1000:8.0f} ms, p50 {p50:.0f}, p95 {p95:.0f}, CPU {min(cpu) * 1000:.0f} ms"
              f"{ratio}  (runs: {', '.join(f'{x * 1000:.0f}' for x in times)}; {len(ctx.captured_queries)} queries)")
        for seconds, sql in slow:
            print(f"    {seconds * 1000:7.0f} ms  {sql[:230]}")
        if args.plans:
            with connection.cursor() as cur:
                for q in ctx.captured_queries:
                    print("  ", q["sql"][:120] if connection.vendor == "sqlite" else q["sql"])
                    if connection.vendor == "sqlite":
                        cur.execute("EXPLAIN QUERY PLAN " + q["sql"])
                        for row in cur.fetchall():
                            print("      ", row[-1])
                    elif connection.vendor == "postgresql":  # the captured SQL has its parameters bound
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                        for row in cur.fetchall():
                            print("      ", row[0])

    best("monthly_figures", lambda: monthly_figures(month, unit), "monthly", report_target)
    best("received_by_kind_series", lambda: received_by_kind_series(month, unit), "series")
    if args.charts or only:
        today = timeutil.today()
        for key, build in dashboard.CHARTS.items():
            best(f"chart {key}", lambda build=build: build(month, today, unit).as_json(), key, 300)
    if args.dump:
        Path(args.dump).write_text(json.dumps(results, ensure_ascii=False, sort_keys=True, indent=1, default=str))


if __name__ == "__main__":
    main()
