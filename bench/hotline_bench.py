"""The 12345 bridge at scale (issue 21, point 7): the work-order file import's rate, and reading the outbox.

    .venv/bin/python bench/hotline_bench.py [--rows 100000] [--items 1000000] [--events 10000] [--seed 12345]
    .venv/bin/python bench/hotline_bench.py --database COPY.sqlite3 --rows 10000 --events 10000

1. migrates a scratch SQLite database in bench/out/ (bench settings) with the demo bureau;
2. writes a hotline export of --rows rows (openpyxl, reproducible by seed; kept in bench/out/ and reused);
3. imports it as the page and the API do (hotline.importer.import_file, bulk path) and prints rows/s (wall and CPU)
   and its ratio to the floor of the 12315 import (≥ 3,000 rows/s, bench/import_bench.py);
4. re-imports it (every row is a known order number: nothing written);
5. with --items above --rows, fills the database up to --items items with more orders (other exports of at most
   100,000 rows, imported the same way, not timed), so that the outbox is read beside that many items; or, with
   --database PATH, imports into that existing SQLite file instead (a copy of a large generated database:
   `manage.py generate_data --items 1000000`, copied with `sqlite3 SRC ".backup COPY"`) and fills nothing;
6. appends --events outbox entries, spread over the orders, and reads them back as a connector does: 1,000 per
   request (services.outbox_entries and entry_view, what GET /api/v1/hotline/outbox runs) from cursor 0, then
   the newest page again; prints the total against the target (10k events in under a second) and the pages'
   p50 / p95 / max.
Numbers only; nothing here is a test. Results also go to bench/out/hotline-results.json. `make bench` runs it
(bench/all.py; --hotline-rows, --hotline-events, --skip-hotline; --items is shared with the HTTP benchmark).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "hotline-bench.sqlite3"
HEADER = ("工单编号", "派单时间", "工单类别", "工单标题", "工单内容", "诉求", "来电人", "来电号码", "来电人地址",
          "被反映对象", "被反映地址", "签收时限", "办结时限")


def setup(database: Path | None = None) -> None:
    """A scratch database, or with `database` that existing SQLite file (written into: pass a copy)."""
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    if database is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database or DB}"
    import django

    django.setup()
    from django.core.management import call_command

    from xiaobao.demo.bureau import create_bureau
    from xiaobao.units.models import Staff

    call_command("migrate", verbosity=0)
    if database is None or not Staff.objects.filter(username="xiaobao").exists():
        create_bureau("Bench-only-password-2026")


FLOOR = 3000  # rows/s: the 12315 import's floor (issue 4), which the hotline import keeps (issue 21, point 7)
OUTBOX_TARGET = 1.0  # s for 10,000 outbox entries


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def pct(values: list[float]) -> dict:
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"p50": round(q[49] * 1000, 1), "p95": round(q[94] * 1000, 1), "max": round(max(values) * 1000, 1)}


def export(rows: int, seed: int, first: int = 0) -> Path:
    from openpyxl import Workbook

    from xiaobao.demo.data import BUSINESSES, COMPLAINT_FACTS, GIVEN, QUESTIONS, SURNAMES

    path = OUT / f"12345-{rows}-{seed}-{first}.xlsx"
    if path.exists():
        return path
    r = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工单")
    sheet.append(HEADER)
    start = datetime(2025, 11, 3, 8, 30)
    for i in range(rows):
        t = start + timedelta(minutes=5 * i % (365 * 24 * 60))
        category = r.choices(["投诉", "举报", "咨询", "求助"], [50, 20, 25, 5])[0]
        name, _, goods, amount = r.choice(BUSINESSES)
        content = (r.choice(COMPLAINT_FACTS).format(date="近日", biz=name, goods=goods, amount=amount)
                   if category in ("投诉", "举报") else r.choice(QUESTIONS))
        sheet.append((f"SZ12345-{first + i:08d}", t, category, content[:20], content, "", r.choice(SURNAMES) + r.choice(GIVEN),
                      f"13{r.randrange(10**9):09d}", "曾都区南郊街道清河路8号", name, "曾都区南郊街道白云大道18号",
                      t + timedelta(days=1), (t + timedelta(days=21)).date()))
    book.save(path)
    return path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=100_000, help="orders imported and timed")
    p.add_argument("--items", type=int, default=0, help="items in the database when the outbox is read "
                   "(filled with more orders; default: --rows)")
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=12345)
    p.add_argument("--database", type=Path, help="an existing SQLite database (e.g. a copy of one made by "
                   "`manage.py generate_data --items 1000000`) to import into and read the outbox from, instead of a "
                   "scratch one filled to --items; it is written into, so pass a copy")
    args = p.parse_args()
    setup(args.database)
    from types import SimpleNamespace

    from django.db import transaction
    from django.utils import timezone

    from xiaobao.cases.models import Case
    from xiaobao.hotline import importer, services
    from xiaobao.hotline.models import Order
    from xiaobao.units.models import Staff

    actor = Staff.objects.get(username="xiaobao")
    path = export(args.rows, args.seed)
    data = path.read_bytes()
    results: dict = {"rows": args.rows, "items": max(args.items, args.rows), "events": args.events,
                     "load_before": os.getloadavg()}
    for label in ("import", "again"):
        t, c = time.perf_counter(), time.process_time()
        result = importer.import_file(actor=actor, file_name=path.name, data=data)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        results[label] = {"s": round(wall, 1), "rows_per_s": round(args.rows / wall),
                          "rows_per_cpu_s": round(args.rows / cpu), "floor_ratio": round(args.rows / wall / FLOOR, 2),
                          "created": len(result.created), "existing": len(result.existing),
                          "failed": len(result.failed)}
        print(f"{label}: {args.rows:,} 行 {wall:.1f} s，{args.rows / wall:,.0f} 行/秒（{args.rows / cpu:,.0f} 行/CPU秒）；"
              f"为下限 {FLOOR:,} 行/秒的 {args.rows / wall / FLOOR:.2f} 倍；新登记 {len(result.created):,}，"
              f"已有 {len(result.existing):,}，失败 {len(result.failed):,}  [{load()}]", flush=True)

    # More items, up to --items: more orders, imported the same way (not timed).
    filled, chunk = args.rows, 100_000
    t = time.perf_counter()
    while filled < args.items and args.database is None:
        rows = min(chunk, args.items - filled)
        extra = export(rows, args.seed + filled, first=filled)
        importer.import_file(actor=actor, file_name=extra.name, data=extra.read_bytes())
        extra.unlink()
        filled += rows
        print(f"  填充至 {filled:,} 件（{time.perf_counter() - t:.0f} s）", flush=True)
    items = Case.objects.count()
    results["items_in_db"] = items
    results["database"] = str(args.database or DB)

    # The outbox: --events entries spread over the orders, appended one transaction per 1,000.
    orders = list(Order.objects.order_by("pk").values_list("pk", flat=True)[:: max(1, items // args.events)])
    now = SimpleNamespace(at=timezone.now())
    by_pk = {o.pk: o for o in Order.objects.filter(pk__in=orders)}
    for start in range(0, args.events, 1000):
        with transaction.atomic():
            for i in range(start, min(args.events, start + 1000)):
                services._append(by_pk[orders[i % len(orders)]], "signed", now,
                                 {"unit": "南郊市场监督管理所", "on_time": True})
    pages: list[float] = []
    t = time.perf_counter()
    cursor, read = 0, 0
    while True:
        page_start = time.perf_counter()
        rows = services.outbox_entries(actor=actor, after=cursor)
        body = [services.entry_view(e) for e in rows]
        pages.append(time.perf_counter() - page_start)
        if not rows:
            break
        read += len(body)
        cursor = rows[-1].pk
    wall = time.perf_counter() - t
    newest = time.perf_counter()
    services.outbox_entries(actor=actor, after=max(0, cursor - 1000))
    newest = time.perf_counter() - newest
    results["outbox"] = {"events": read, "s": round(wall, 3), "target_ratio": round(wall / OUTBOX_TARGET * 10_000 /
                                                                                    max(read, 1), 3),
                         "pages": len(pages), "page_ms": pct(pages), "newest_page_ms": round(newest * 1000, 1)}
    print(f"outbox: {items:,} 件中读取 {read:,} 项 {wall:.3f} s（目标 10,000 项 < {OUTBOX_TARGET:.0f} s：按 1 万项折算为目标的 "
          f"{results['outbox']['target_ratio']:.3f}）；每页 1,000 项 p50 {results['outbox']['page_ms']['p50']} ms、"
          f"p95 {results['outbox']['page_ms']['p95']} ms、最长 {results['outbox']['page_ms']['max']} ms；"
          f"最新一页 {newest * 1000:.1f} ms  [{load()}]", flush=True)
    results["load_after"] = os.getloadavg()
    (OUT / "hotline-results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    verdict = "达到" if results["import"]["rows_per_s"] >= FLOOR and wall * 10_000 / max(read, 1) < OUTBOX_TARGET \
        else "未达到"
    print(f"目标（导入 ≥ {FLOOR:,} 行/秒；1 万项回传 < 1 s）：{verdict}；结果见 bench/out/hotline-results.json", flush=True)


if __name__ == "__main__":
    main()
