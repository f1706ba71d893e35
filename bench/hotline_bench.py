"""The 12345 bridge at scale (issue 21, point 7): the work-order file import's rate, and reading the outbox.

    .venv/bin/python bench/hotline_bench.py [--rows 100000] [--events 10000] [--seed 12345]

1. migrates a scratch SQLite database in bench/out/ (bench settings) with the demo bureau;
2. writes a hotline export of --rows rows (openpyxl, reproducible by seed; kept in bench/out/ and reused);
3. imports it as the page and the API do (hotline.importer.import_file, bulk path) and prints rows/s (wall and CPU);
4. re-imports it (every row is a known order number: nothing written);
5. appends --events outbox entries and reads them back as a connector does, 1,000 per request body
   (services.outbox_entries from cursor 0 to the end), and prints the time.
The 12315 import's floor is ≥ 3,000 rows/s (bench/import_bench.py); the outbox's target is 10k events in under a
second. Numbers only; nothing here is a test. Results also go to bench/out/hotline-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "hotline-bench.sqlite3"
HEADER = ("工单编号", "派单时间", "工单类别", "工单标题", "工单内容", "诉求", "来电人", "来电号码", "来电人地址",
          "被反映对象", "被反映地址", "签收时限", "办结时限")


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    import django

    django.setup()
    from django.core.management import call_command

    from xiaobao.demo.bureau import create_bureau

    call_command("migrate", verbosity=0)
    create_bureau("Bench-only-password-2026")


def export(rows: int, seed: int) -> Path:
    from openpyxl import Workbook

    from xiaobao.demo.data import BUSINESSES, COMPLAINT_FACTS, GIVEN, QUESTIONS, SURNAMES

    path = OUT / f"12345-{rows}-{seed}.xlsx"
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
        sheet.append((f"SZ12345-{i:08d}", t, category, content[:20], content, "", r.choice(SURNAMES) + r.choice(GIVEN),
                      f"13{r.randrange(10**9):09d}", "曾都区南郊街道清河路8号", name, "曾都区南郊街道白云大道18号",
                      t + timedelta(days=1), (t + timedelta(days=21)).date()))
    book.save(path)
    return path


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--events", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=12345)
    args = p.parse_args()
    setup()
    from types import SimpleNamespace

    from django.utils import timezone

    from xiaobao.hotline import importer, services
    from xiaobao.hotline.models import Order
    from xiaobao.units.models import Staff

    actor = Staff.objects.get(username="xiaobao")
    path = export(args.rows, args.seed)
    data = path.read_bytes()
    results: dict = {"rows": args.rows, "events": args.events, "load_before": os.getloadavg()}
    for label in ("import", "again"):
        t, c = time.perf_counter(), time.process_time()
        result = importer.import_file(actor=actor, file_name=path.name, data=data)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        results[label] = {"s": round(wall, 1), "rows_per_s": round(args.rows / wall),
                          "rows_per_cpu_s": round(args.rows / cpu), "created": len(result.created),
                          "existing": len(result.existing), "failed": len(result.failed)}
        print(f"{label}: {args.rows:,} 行 {wall:.1f} s，{args.rows / wall:,.0f} 行/秒（{args.rows / cpu:,.0f} 行/CPU秒）；"
              f"新登记 {len(result.created):,}，已有 {len(result.existing):,}，失败 {len(result.failed):,}", flush=True)
    order = Order.objects.order_by("pk").first()
    now = SimpleNamespace(at=timezone.now())
    for _ in range(args.events):
        services._append(order, "signed", now, {"unit": "南郊市场监督管理所", "on_time": True})
    t = time.perf_counter()
    cursor, read = 0, 0
    while rows := services.outbox_entries(actor=actor, after=cursor):
        read += len(rows)
        cursor = rows[-1].pk
    wall = time.perf_counter() - t
    results["outbox"] = {"events": read, "s": round(wall, 3)}
    print(f"outbox: {read:,} 项 {wall:.3f} s", flush=True)
    (OUT / "hotline-results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
