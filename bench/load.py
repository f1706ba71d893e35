"""The load test: 100 staff for 2 minutes (bench/locustfile.py) against gunicorn on 127.0.0.1, on a database
that bench/http_bench.py filled (run by `bench/all.py --postgres --locust`, or by hand with --database-url).
Prints p50/p95 per request type and the error count (target 0)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def credentials(users: int) -> list[dict]:
    """API tokens and web sessions for the demo accounts: dispatchers and the handlers of every unit."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from xiaobao.units.models import ApiToken, Role, Staff

    staff = list(Staff.objects.filter(is_active=True).select_related("unit").order_by("username"))
    dispatchers = [s for s in staff if s.has_role(Role.DISPATCHER)]
    handlers = [s for s in staff if s.has_role(Role.HANDLER)]
    out = []
    for i in range(users):
        user = dispatchers[i % len(dispatchers)] if i % 3 == 0 else handlers[i % len(handlers)]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        out.append({"username": user.username, "dispatcher": user.has_role(Role.DISPATCHER),
                    "unit": user.unit.code if user.unit else None, "token": ApiToken.issue(user),
                    "session": session.session_key})
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    p.add_argument("--users", type=int, default=100)
    p.add_argument("--spawn-rate", type=int, default=10)
    p.add_argument("--run-time", default="2m")
    args = p.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    sys.path.insert(0, str(ROOT / "bench"))
    from http_bench import Server

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "credentials.json").write_text(json.dumps(credentials(args.users)))
    label = f"locust-{connection.vendor}"
    connection.close()
    server = Server(label, None)
    load_before = os.getloadavg()
    try:
        print(f"\n== 压力测试：{args.users} 个用户，{args.run_time}，{server.url} ==", flush=True)
        subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                        "--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "--run-time", args.run_time,
                        "--host", server.url, "--csv", str(OUT / "locust"), "--only-summary", "--loglevel", "WARNING"],
                       cwd=ROOT, check=False)
    finally:
        server.stop()
        (OUT / "credentials.json").unlink(missing_ok=True)
    load_after = os.getloadavg()
    rows = list(csv.DictReader((OUT / "locust_stats.csv").open()))
    print(f"  {'请求':<28}{'n':>7}{'失败':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}")
    for row in rows:
        print(f"  {row['Name']:<28}{row['Request Count']:>7}{row['Failure Count']:>6}{row['50%']:>9}{row['95%']:>9}"
              f"{row['99%']:>9}{float(row['Requests/s']):>8.1f}")
    failures = list(csv.DictReader((OUT / "locust_failures.csv").open()))
    for f in failures:
        print(f"  失败：{f['Method']} {f['Name']} ×{f['Occurrences']}：{f['Error']}")
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total:
        print(f"  合计 {total['Request Count']} 次请求，错误 {total['Failure Count']}（目标 0），p50 {total['50%']} ms，"
              f"p95 {total['95%']} ms；负载（uptime）前 {load_before[0]:.1f}，后 {load_after[0]:.1f}", flush=True)
    (OUT / f"results-{label}.json").write_text(json.dumps(
        {"users": args.users, "run_time": args.run_time, "load_before": load_before, "load_after": load_after,
         "stats": rows, "failures": failures}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
