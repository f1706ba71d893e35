"""One database's benchmark (run by bench/all.py with DATABASE_URL set): build the dataset with
generate_data, serve it with gunicorn on 127.0.0.1, and time intake, reads, search, the monthly report and
the overdue scan. Prints a table and writes bench/out/results-<label>.json.

To measure the reads again on a dataset built once (e.g. 1M items, ~10 minutes to generate):

    DATABASE_URL=sqlite:////work/main/bench/out/big-1000000.sqlite3 .venv/bin/python bench/http_bench.py \
        --label sqlite-1m --items 1000000 --reuse --reads-only [--invite] [--skip-overdue] [--skip-report]

A province (issue 24): ten million items over ten years on PostgreSQL, one command (≈ 1¼ h to generate on two
cores, ≈ 47 GB; docs/performance.md, "Ten million items"):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaobao_10m .venv/bin/python bench/http_bench.py \
        --label pg-10m --items 10000000 --years 10 --skip-overdue

--reuse keeps the items already there, --reads-only posts no registrations, --invite opens one joint
consultation that invites 南郊所 (its reads then take the invited-items path of visible_cases)."""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PASSWORD = "Bench-only-password-2026"
HOST = "127.0.0.1"

SEARCHES = {2: ["奶粉", "超市", "维修", "退货"], 3: ["冷冻肉", "健身年", "血压计", "美容储"],
            6: ["商家拒绝退还", "进口奶粉一台", "以人为损坏为", "曾都区华联超"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def pct(values: list[float]) -> dict:
    values = sorted(values)
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return {"n": len(values), "p50": v, "p95": v, "max": v}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"n": len(values), "p50": q[49], "p95": q[94], "max": values[-1]}


class Server:
    """gunicorn with deploy/gunicorn.conf.py, bound to a free port on 127.0.0.1."""

    def __init__(self, label: str, workers: int | None):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        env = {**os.environ, "XIAOBAO_BIND": f"{HOST}:{self.port}", "PYTHONPATH": str(ROOT),
               "DJANGO_SETTINGS_MODULE": "bench.bench_settings"}
        if workers:
            env["XIAOBAO_WORKERS"] = str(workers)
        self.log = open(OUT / f"gunicorn-{label}.log", "w")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--access-logfile", "/dev/null", "xiaobao.wsgi"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        import requests

        for _ in range(600):
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited, see {self.log.name}")
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def api_session(url: str, username: str):
    import requests

    s = requests.Session()
    r = s.post(url + "/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    s.headers["Authorization"] = f"Bearer {r.json()['token']}"
    return s


def web_session(url: str, username: str):
    import requests

    s = requests.Session()
    page = s.get(url + "/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    r = s.post(url + "/login/", data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
               headers={"Referer": url + "/login/"}, allow_redirects=False, timeout=30)
    assert r.status_code == 302, r.status_code
    return s


def timed(session, method: str, url: str, count: int, seconds: float, **kwargs) -> tuple[list[float], int]:
    """Sequential requests, at most `count` and at most `seconds`, after 3 untimed ones that warm the
    workers: (milliseconds each, errors)."""
    times, errors, stop = [], 0, time.perf_counter() + seconds
    for i in range(-3, count):
        if time.perf_counter() > stop:
            break
        args = {k: (v(i) if callable(v) else v) for k, v in kwargs.items()}
        target = url(i) if callable(url) else url
        t = time.perf_counter()
        r = session.request(method, target, timeout=120, **args)
        if i >= 0:
            times.append((time.perf_counter() - t) * 1000)
            errors += r.status_code >= 400
    return times, errors


@functools.cache
def _businesses() -> list:
    from xiaobao.demo.generate import businesses

    return businesses()


def complaint(i: int, rng: random.Random) -> dict:
    from xiaobao.demo.data import COMPLAINT_FACTS, DEMANDS, GIVEN, SURNAMES

    biz = rng.choice(_businesses())
    return {
        "kind": "complaint", "channel": "platform_12315", "external_id": f"BENCH{os.getpid()}{i:07d}",
        "complainant": {"name": rng.choice(SURNAMES) + rng.choice(GIVEN), "phone": f"139{rng.randrange(10**8):08d}",
                        "address": "曾都区南郊街道清河路8号"},
        "respondent": {"name": biz.name, "address": biz.address},
        "facts": rng.choice(COMPLAINT_FACTS).format(date="2026年11月20日", biz=biz.name, goods=biz.goods,
                                                    amount=biz.amount),
        "demand": rng.choice(DEMANDS), "amount": str(biz.amount), "category": biz.category,
    }


def post_all(url: str, path: str, bodies: list[dict], sessions: list) -> tuple[float, int]:
    """POST every body, one thread per session: (seconds, errors). A refused connection or a 4xx/5xx is an
    error; the body is not retried."""
    import requests

    errors, lock = [0], threading.Lock()
    chunks = [bodies[i::len(sessions)] for i in range(len(sessions))]

    def worker(s, chunk):
        for body in chunk:
            try:
                failed = s.post(url + path, json=body, timeout=120).status_code >= 400
            except requests.RequestException:
                failed = True
            if failed:
                with lock:
                    errors[0] += 1

    threads = [threading.Thread(target=worker, args=(s, c)) for s, c in zip(sessions, chunks, strict=True)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t, errors[0]


def throughput(url: str, path: str, bodies: list[dict], concurrency: int, username: str) -> tuple[float, int]:
    """Items per second for POSTing every body with `concurrency` clients; (rate, errors)."""
    seconds, errors = post_all(url, path, bodies, [api_session(url, username) for _ in range(concurrency)])
    return len(bodies) / seconds, errors


def intake(url: str, args, rng: random.Random, results: dict, rounds: int = 5) -> None:
    """Full registrations against the floor endpoint, side by side: the same clients alternate between the
    two in `rounds` rounds (floor, intake, floor, intake, …), so that the load of a shared machine, which
    drifts over a minute, weighs on both alike. Rates are the totals over all rounds."""
    sessions = [api_session(url, "xiaobao") for _ in range(args.concurrency)]
    # Warm every worker (imports, URL resolution, connections) before anything is timed.
    post_all(url, "/bench/floor", [{}] * 20, sessions)
    post_all(url, "/api/v1/cases", [complaint(10**6 + i, rng) for i in range(20)], sessions)
    per_round = max(args.concurrency, args.intake // rounds)
    totals = {"floor": [0.0, 0, 0], "intake": [0.0, 0, 0]}  # seconds, requests, errors
    ratios = []
    for r in range(rounds):
        floor_s, floor_e = post_all(url, "/bench/floor", [{}] * per_round, sessions)
        bodies = [complaint(r * per_round + i, rng) for i in range(per_round)]
        intake_s, intake_e = post_all(url, "/api/v1/cases", bodies, sessions)
        for key, secs, errs in (("floor", floor_s, floor_e), ("intake", intake_s, intake_e)):
            totals[key][0] += secs
            totals[key][1] += per_round
            totals[key][2] += errs
        ratios.append(floor_s / intake_s)
    floor_rate = totals["floor"][1] / totals["floor"][0]
    intake_rate = totals["intake"][1] / totals["intake"][0]
    intake_err, floor_err = totals["intake"][2], totals["floor"][2]
    results["intake"] = {"items_per_s": round(intake_rate, 1), "errors": intake_err,
                         "floor_per_s": round(floor_rate, 1), "floor_errors": floor_err,
                         "ratio": round(intake_rate / floor_rate, 3), "concurrency": args.concurrency,
                         "rounds": rounds, "round_ratios": [round(x, 3) for x in ratios]}
    print(f"  登记（POST /api/v1/cases，{args.concurrency} 并发）{intake_rate:,.1f} 件/s，错误 {intake_err}；"
          f"下限端点 {floor_rate:,.1f} 次/s，错误 {floor_err}；比值 {intake_rate / floor_rate:.2f}（目标 ≥ 0.5；"
          f"{rounds} 轮交替，各轮 {min(ratios):.2f}–{max(ratios):.2f}）", flush=True)


def warm(url: str, concurrency: int) -> None:
    """Reads only: wake every worker with authenticated GETs (nothing is written but the logins' audit rows)."""
    sessions = [api_session(url, "xiaobao") for _ in range(concurrency)]
    threads = [threading.Thread(target=lambda s=s: [s.get(url + "/api/v1/rules/current", timeout=60)
                                                    for _ in range(10)]) for s in sessions]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def invite_nanjiao() -> None:
    """One open joint consultation (会商) that invites 南郊所 to an item of another unit, as the services
    would leave it, so that the station handler's reads include an invited item."""
    from django.utils import timezone

    from xiaobao.cases.models import Case
    from xiaobao.handling.models import Consultation
    from xiaobao.units.models import Staff, Unit

    station = Unit.objects.get(code="st-nanjiao")
    if Consultation.objects.filter(invited=station, concluded_at__isnull=True).exists():
        return
    case = Case.objects.exclude(unit=station).filter(state="in_progress").order_by("-received_at").first()
    c = Consultation.objects.create(case=case, lead=case.unit, topic="基准测试：会商", opened_at=timezone.now(),
                                    opened_by=Staff.objects.get(username="xiaobao"))
    c.invited.add(station)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--label", required=True)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--years", type=int, default=3, help="received over the last N years (a province keeps ten)")
    p.add_argument("--requests", type=int, default=100, help="requests per measured endpoint (at most)")
    p.add_argument("--seconds", type=float, default=45, help="time per measured endpoint (at most)")
    p.add_argument("--intake", type=int, default=300, help="registrations (and floor inserts) posted")
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: deploy config)")
    p.add_argument("--keep", "--reuse", action="store_true", help="reuse the dataset already in the database")
    p.add_argument("--reads-only", action="store_true",
                   help="skip intake (no registrations, no floor inserts): time the reads and the overdue scan")
    p.add_argument("--skip-overdue", action="store_true", help="do not run the overdue scan (it marks clocks)")
    p.add_argument("--skip-explain", action="store_true")
    p.add_argument("--skip-report", action="store_true", help="do not time the monthly report")
    p.add_argument("--no-migrate", action="store_true", help="reuse the database's schema as it is")
    p.add_argument("--invite", action="store_true",
                   help="open a consultation inviting 南郊所 first, so its reads take the invited-items path")
    args = p.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    os.environ["XIAOBAO_DEMO_PASSWORD"] = PASSWORD
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xiaobao.cases.models import Case, Event
    from xiaobao.clocks.models import Clock
    from xiaobao.units.models import Staff

    results: dict = {"label": args.label, "vendor": connection.vendor, "items": args.items,
                     "load_before": os.getloadavg()}
    print(f"\n== {args.label}（{connection.vendor}）：{args.items:,} 件 ==", flush=True)
    t = time.perf_counter()
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    results["migrate_s"] = round(time.perf_counter() - t, 1)
    if not (args.keep and Case.objects.exists()):
        t = time.perf_counter()
        call_command("generate_data", items=args.items, seed=args.seed, years=args.years)
        results["generate_s"] = round(time.perf_counter() - t, 1)
    for user in Staff.objects.filter(username__in=["xiaobao", "nanjiao", "fenguan", "juzhang", "archivist"]):
        user.set_password(PASSWORD)
        user.save()
    if args.invite:
        invite_nanjiao()
    with connection.cursor() as cur:
        # PostgreSQL: VACUUM as autovacuum would have done by the time a database of this size is in use, so
        # that the visibility map lets counts read indexes alone (fast when nothing changed since the last run).
        cur.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    results["rows"] = {"cases": Case.objects.count(), "events": Event.objects.count(), "clocks": Clock.objects.count()}
    print(f"  数据：{results['rows']}；生成 {results.get('generate_s', '—')} s", flush=True)
    connection.close()

    OUT.mkdir(parents=True, exist_ok=True)  # a fresh clone has no bench/out yet
    server = Server(args.label, args.workers)
    try:
        url = server.url
        rng = random.Random(args.seed)
        if args.reads_only:
            warm(url, args.concurrency)
        else:
            intake(url, args, rng, results)

        dispatcher, handler = api_session(url, "xiaobao"), api_session(url, "nanjiao")
        max_id = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
        connection.close()
        n, secs = args.requests, args.seconds
        measured: dict[str, tuple[list[float], int]] = {}
        measured["inbox (nanjiao)"] = timed(web_session(url, "nanjiao"), "GET", url + "/", n, secs)
        measured["inbox (xiaobao)"] = timed(web_session(url, "xiaobao"), "GET", url + "/", n, secs)
        # The other roles' inboxes (approvals; the archivist's backlog), and the list of open work with its
        # deadline column (issue 18, point 2).
        for username in ("fenguan", "juzhang", "archivist"):
            measured[f"inbox ({username})"] = timed(web_session(url, username), "GET", url + "/", n, secs)
        measured["overdue list (web, xiaobao)"] = timed(web_session(url, "xiaobao"), "GET", url + "/cases/", n, secs,
                                                        params={"overdue": "1"})
        measured["detail"] = timed(dispatcher, "GET", lambda i: f"{url}/api/v1/cases/{rng.randint(1, max_id)}", n, secs)
        states = ["assigned", "in_progress", "concluded", "archived"]
        units = ["st-nanjiao", "st-dongcheng", "st-xicheng", "jicha", "sec-food"]
        kinds = ["complaint", "report"]
        measured["list state+unit+kind"] = timed(dispatcher, "GET", url + "/api/v1/cases", n, secs, params=lambda i: {
            "state": states[i % 4], "unit": units[i % 5], "kind": kinds[i % 2]})
        measured["list (nanjiao, page 1)"] = timed(handler, "GET", url + "/api/v1/cases", n, secs)
        for length, words in SEARCHES.items():
            measured[f"search {length} chars"] = timed(dispatcher, "GET", url + "/api/v1/cases", n, secs,
                                                       params=lambda i, w=words: {"q": w[i % len(w)]})
        web = web_session(url, "xiaobao")
        for length in (2, 6):
            measured[f"search page (web) {length}"] = timed(web, "GET", url + "/cases/", n, secs,
                                                           params=lambda i, w=SEARCHES[length]: {"q": w[i % len(w)]})
        measured["list page (web, nanjiao)"] = timed(web_session(url, "nanjiao"), "GET", url + "/cases/", n, secs)
        today = date.today()
        month = f"{today.year}-{today.month - 1:02d}" if today.month > 1 else f"{today.year - 1}-12"
        if not args.skip_report:
            measured["monthly report"] = timed(dispatcher, "GET", url + "/api/v1/stats/monthly", min(n, 5), secs * 2,
                                               params={"month": month})
        results["latency_ms"] = {}
        print(f"  {'请求':<26}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'错误':>6}")
        for name, (times, errors) in measured.items():
            stats = pct(times)
            results["latency_ms"][name] = {k: round(v, 1) for k, v in stats.items()} | {"errors": errors}
            print(f"  {name:<26}{stats['n']:>5}{stats['p50']:>10.1f}{stats['p95']:>10.1f}{stats['max']:>10.1f}"
                  f"{errors:>6}", flush=True)
    finally:
        server.stop()

    from xiaobao.notify.overdue import mark_overdue, overdue_candidates

    results["load_after"] = os.getloadavg()
    if args.skip_overdue:
        finish(args, results)
        return
    t = time.perf_counter()
    marked = mark_overdue(on=date.today())
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = mark_overdue(on=date.today())
    second = time.perf_counter() - t
    t = time.perf_counter()
    candidates = overdue_candidates(date.today()).count()
    query = time.perf_counter() - t
    results["overdue"] = {"first_s": round(first, 2), "marked": len(marked), "again_s": round(second, 3),
                          "again_marked": len(again), "query_s": round(query, 3), "candidates_after": candidates}
    print(f"  逾期扫描：首次 {first:.2f} s（标记 {len(marked):,} 项）；再次 {second:.3f} s（{len(again)} 项）", flush=True)
    finish(args, results)


def finish(args, results: dict) -> None:
    import contextlib

    print(f"  负载（uptime）：前 {results['load_before']}，后 {results['load_after']}", flush=True)
    (OUT / f"results-{args.label}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    if args.skip_explain:
        return

    sys.path.insert(0, str(ROOT / "bench"))
    from explain import plans

    with (OUT / f"explain-{args.label}.txt").open("w") as f, contextlib.redirect_stdout(f):
        plans()
    print(f"  查询计划：bench/out/explain-{args.label}.txt", flush=True)


if __name__ == "__main__":
    main()
