"""The 12315 import at scale (issue 4: at least 3,000 rows/s into SQLite, numbers, parties, events and clocks
included, with the raw batched insert rate of the same database beside it).

    .venv/bin/python bench/import_bench.py [--rows 100000] [--seed 12315] [--rowwise 2000]

1. writes a platform export of --rows rows with the project's sample generator (xiaobao/intake/sample.py,
   reproducible by seed, one year of rows; kept in bench/out/ and reused while the arguments are the same);
2. migrates a scratch SQLite database in bench/out/ (bench settings) with the demo bureau;
3. imports the file as the page and the command do (importer.import_file, bulk path) and prints rows/s;
4. beside it, the raw batched insert rate of the same database: executemany of as many rows, in batches of the
   same size, one transaction each, into a plain table with as many columns as the items table;
5. re-imports the same file (nothing changes: every row is compared, nothing written);
6. with --rowwise N, the row-by-row path (register_case per row) on N other rows, for comparison.
Numbers only; nothing here is a test. Results also go to bench/out/import-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "import-bench.sqlite3"


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


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

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    create_bureau("Bench-only-password-2026")
    print(f"数据库 {DB.relative_to(ROOT)} 已迁移并建好演示单位（{time.perf_counter() - t:.1f} s）", flush=True)


def export(rows: int, seed: int, start: datetime, days: int) -> Path:
    from xiaobao.intake import sample

    path = OUT / f"12315-{rows}-{seed}-{start:%Y%m%d}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        sample.write(path, rows, seed=seed, start=start, days=days)
        print(f"生成 {path.relative_to(ROOT)}：{rows:,} 行（{time.perf_counter() - t:.1f} s）", flush=True)
    return path


def counts() -> dict:
    from xiaobao.cases.models import Case, Event, NumberSequence, Party
    from xiaobao.clocks.models import Clock
    from xiaobao.records.models import AuditEntry

    return {"cases": Case.objects.count(), "parties": Party.objects.count(), "events": Event.objects.count(),
            "clocks": Clock.objects.count(), "audit": AuditEntry.objects.count(),
            "sequences": dict(NumberSequence.objects.values_list("key", "last").order_by("key")
                              .filter(year=2026))}


def timed_import(path: Path, *, bulk: bool = True) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, the run). SQLite works inside the process, so on a shared
    machine the CPU time shows what the import costs whatever the other processes do."""
    from xiaobao.intake.importer import import_file
    from xiaobao.units.models import Staff

    actor = Staff.objects.get(username="xiaobao")
    data = path.read_bytes()
    t, c = time.perf_counter(), time.process_time()
    run = import_file(actor=actor, file_name=path.name, data=data, bulk=bulk)
    return time.perf_counter() - t, time.process_time() - c, run


def raw_rate(rows: int, batch: int) -> tuple[float, float, int]:
    """executemany of `rows` rows into a plain table with the items table's column count, `batch` rows per
    transaction, on the same connection (same pragmas) — the floor the import is compared with."""
    from django.db import connection, transaction

    from xiaobao.cases.models import Case

    columns = len(Case._meta.concrete_fields)
    names = [f"c{i}" for i in range(columns)]
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_raw")
        cur.execute(f"CREATE TABLE bench_raw (id INTEGER PRIMARY KEY AUTOINCREMENT, {', '.join(n + ' TEXT' for n in names)})")
    row = tuple(f"随州市曾都区第{i}列的一段文字" for i in range(columns))
    sql = f"INSERT INTO bench_raw ({', '.join(names)}) VALUES ({', '.join(['%s'] * columns)})"
    t, c = time.perf_counter(), time.process_time()
    for start in range(0, rows, batch):
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(sql, [row] * min(batch, rows - start))
    elapsed, cpu = time.perf_counter() - t, time.process_time() - c
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_raw")
    return rows / elapsed, rows / cpu, columns


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=12315)
    p.add_argument("--rowwise", type=int, default=0, help="also time the row-by-row path on this many rows")
    args = p.parse_args()
    setup()
    from xiaobao.intake import bulk
    from xiaobao.intake.importer import read_table

    results: dict = {"rows": args.rows, "seed": args.seed, "batch": bulk.BATCH, "load_before": os.getloadavg()}
    path = export(args.rows, args.seed, datetime(2025, 11, 1, 8, 30), 365)
    data = path.read_bytes()
    t = time.perf_counter()
    read_table(data)
    results["read_s"] = round(time.perf_counter() - t, 2)
    print(f"\n读取 {path.name}（{len(data) / 1e6:.1f} MB）：{results['read_s']:.1f} s  [{load()}]", flush=True)

    seconds, cpu, run = timed_import(path)
    rate, cpu_rate = run.total_rows / seconds, run.total_rows / cpu
    results["import"] = {"s": round(seconds, 1), "cpu_s": round(cpu, 1), "rows_per_s": round(rate),
                         "rows_per_cpu_s": round(cpu_rate), "created": run.created, "failed": run.failed,
                         "load": os.getloadavg()}
    print(f"导入 {run.total_rows:,} 行：{seconds:.1f} s，{rate:,.0f} 行/秒（CPU {cpu:.1f} s，{cpu_rate:,.0f} 行/CPU秒；"
          f"新登记 {run.created:,}，失败 {run.failed:,}）  [{load()}]", flush=True)
    results["rows_written"] = counts()
    print(f"  写入：{results['rows_written']}", flush=True)

    raw, raw_cpu, columns = raw_rate(run.total_rows, bulk.BATCH)
    results["raw"] = {"rows_per_s": round(raw), "rows_per_cpu_s": round(raw_cpu), "columns": columns}
    results["ratio"] = round(rate / raw, 3)
    print(f"同一数据库原始批量插入（executemany，每批 {bulk.BATCH} 行一个事务，{columns} 列，与件表同列数）："
          f"{raw:,.0f} 行/秒（{raw_cpu:,.0f} 行/CPU秒）；导入/原始 = {rate / raw:.3f}  [{load()}]", flush=True)

    seconds, cpu, again = timed_import(path)
    results["reimport"] = {"s": round(seconds, 1), "cpu_s": round(cpu, 1), "rows_per_s": round(again.total_rows / seconds),
                           "created": again.created, "updated": again.updated, "unchanged": again.unchanged}
    print(f"重复导入同一文件：{seconds:.1f} s，{again.total_rows / seconds:,.0f} 行/秒（CPU {cpu:.1f} s；新登记 "
          f"{again.created}，更新 {again.updated}，未变化 {again.unchanged:,}）  [{load()}]", flush=True)
    assert counts()["cases"] == results["rows_written"]["cases"], "re-import registered new items"

    if args.rowwise:
        other = export(args.rowwise, args.seed + 1, datetime(2024, 11, 1, 8, 30), 365)
        seconds, cpu, slow = timed_import(other, bulk=False)
        results["rowwise"] = {"rows": slow.total_rows, "s": round(seconds, 1), "cpu_s": round(cpu, 1),
                              "rows_per_s": round(slow.total_rows / seconds)}
        print(f"逐行路径（register_case，{slow.total_rows:,} 行）：{seconds:.1f} s，"
              f"{slow.total_rows / seconds:,.0f} 行/秒（{slow.total_rows / cpu:,.0f} 行/CPU秒）  [{load()}]", flush=True)

    results["load_after"] = os.getloadavg()
    (OUT / "import-results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    verdict = "达到" if rate >= 3000 else "未达到"
    print(f"\n目标 ≥ 3,000 行/秒（墙钟）：{verdict}（{rate:,.0f}；按 CPU 时间 {cpu_rate:,.0f}）；"
          "结果见 bench/out/import-results.json")


if __name__ == "__main__":
    main()
