"""Every benchmark, one command (`make bench`):

    .venv/bin/python bench/all.py [--items 100000] [--postgres] [--skip-calendar] [--locust]

1. the calendar benchmarks of bench/run.py (due dates; publishing a year);
2. bench/http_bench.py on a scratch SQLite file in bench/out/ and, with --postgres or when DATABASE_URL is a
   postgres URL, on a scratch PostgreSQL database created on 127.0.0.1 as user postgres and dropped after:
   generate_data, then intake throughput against a floor endpoint, p50/p95 of the inbox, detail, filtered
   list, search (2, 3 and 6 characters) and monthly report through gunicorn on 127.0.0.1, and the overdue scan;
3. with --locust, the load test of bench/locustfile.py (100 users, 2 minutes) on the PostgreSQL dataset;
4. bench/import_bench.py: a 100k-row 12315 platform export imported into a scratch SQLite file, beside the raw
   batched insert rate of the same database, and re-imported (--import-rows, --skip-import);
5. bench/hotline_bench.py: a 12345 work-order export of --hotline-rows rows imported (rate and its ratio to the
   3,000 rows/s floor) and re-imported, the database filled to --items items, and --hotline-events outbox entries
   read as a connector does (total and per-page p50/p95) (--skip-hotline).
Numbers only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
PG_ADMIN = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc"]


def run(cmd: list[str], env: dict | None = None) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, check=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--postgres", action="store_true")
    p.add_argument("--skip-calendar", action="store_true")
    p.add_argument("--skip-sqlite", action="store_true")
    p.add_argument("--locust", action="store_true")
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--intake", type=int, default=300)
    p.add_argument("--import-rows", type=int, default=100_000)
    p.add_argument("--skip-import", action="store_true")
    p.add_argument("--hotline-rows", type=int, default=100_000)
    p.add_argument("--hotline-events", type=int, default=10_000)
    p.add_argument("--skip-hotline", action="store_true")
    args, extra = p.parse_known_args()
    OUT.mkdir(parents=True, exist_ok=True)
    common = ["--items", str(args.items), "--seed", str(args.seed), "--requests", str(args.requests),
              "--intake", str(args.intake), *extra]
    base_env = {"PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "bench.bench_settings"}

    if not args.skip_calendar:
        run([PY, "bench/run.py", "--items", str(min(args.items, 100_000)), "--seed", str(args.seed)])

    if not args.skip_sqlite:
        db = OUT / f"http-{args.items}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        run([PY, "bench/http_bench.py", "--label", f"sqlite-{args.items}", *common],
            {**base_env, "DATABASE_URL": f"sqlite:///{db}"})

    if args.postgres or os.environ.get("DATABASE_URL", "").startswith("postgres"):
        name = f"xiaobao_bench_{os.getpid()}"
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
        run([*PG_ADMIN, f"CREATE DATABASE {name}"])
        try:
            run([PY, "bench/http_bench.py", "--label", f"postgresql-{args.items}", *common],
                {**base_env, "DATABASE_URL": url})
            if args.locust:
                run([PY, "bench/load.py", "--database-url", url], base_env)
        finally:
            run([*PG_ADMIN, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])

    if not args.skip_import:
        run([PY, "bench/import_bench.py", "--rows", str(args.import_rows)])

    if not args.skip_hotline:
        run([PY, "bench/hotline_bench.py", "--rows", str(args.hotline_rows), "--items", str(args.items),
             "--events", str(args.hotline_events)])


if __name__ == "__main__":
    main()
