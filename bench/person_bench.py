"""Search by person at scale (issue 18, point 5): GET /api/v1/cases?person= and the registration form's lookup.

    .venv/bin/python bench/person_bench.py [--items 1000000] [--samples 50] [--reuse]
    DATABASE_URL=postgres://…/person_bench .venv/bin/python bench/person_bench.py …   # the same on PostgreSQL

1. migrates a scratch database (SQLite in bench/out/, or the DATABASE_URL given) with the demo bureau and
   writes N items with their complainants (fill(); `generate_data` writes every table and takes an hour for
   1M on a busy machine); --reuse keeps one already filled;
2. picks --samples stored complainants at random and times, through the test client as 消保股's clerk and as
   南郊所's handler: the phone as stored, the same phone written "+86 138-…", the ID number, the whole name, the
   name's first two characters, a number nobody has; and the registration form's lookup (POST /intake/earlier).
Prints p50/p95 per query in ms. Numbers only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "person-bench.sqlite3"


def setup(items: int, reuse: bool) -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    if "DATABASE_URL" not in os.environ:
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{DB}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    import django

    django.setup()
    from django.core.management import call_command

    from xiaobao.cases.models import Case
    from xiaobao.demo.bureau import create_bureau
    from xiaobao.units.models import Staff

    call_command("migrate", verbosity=0)
    if not Staff.objects.filter(username="xiaobao").exists():
        create_bureau("Bench-only-password-2026")
    if Case.objects.count() < items:
        t = time.perf_counter()
        fill(items - Case.objects.count())
        print(f"wrote {items:,} items in {time.perf_counter() - t:.0f} s", flush=True)


BATCH = 20_000


def fill(n: int) -> None:
    """n items, each with its complainant (a phone, an ID number and a name as the demo generator writes them)
    and the columns a list reads, written with the bulk import's INSERT (intake/inserts.py) so that the
    party triggers of cases migration 0015 run as they do for any write. The items' search triggers are set
    aside first: this database is scratch, and the search is not what is timed."""
    from django.db import connection, transaction
    from django.utils import timezone

    from xiaobao.cases.models import Case, Party
    from xiaobao.demo.data import GIVEN, SURNAMES
    from xiaobao.intake.inserts import Insert
    from xiaobao.rules.models import RuleSet
    from xiaobao.units.models import Unit

    r = random.Random(1)
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases_case'")
            for (name,) in cur.fetchall():
                cur.execute(f"DROP TRIGGER {name}")
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'cases_case'::regclass AND NOT tgisinternal")
            for (name,) in cur.fetchall():
                cur.execute(f"DROP TRIGGER {name} ON cases_case")
    units = list(Unit.objects.filter(kind__in=("station", "section", "inspection")).values_list("pk", flat=True))
    rule_set = RuleSet.objects.order_by("-effective_from").first().pk
    now = timezone.now()
    start = now - timedelta(days=3 * 365)
    parties = Insert(Party, ("role", "name", "phone", "id_number", "address"), now=now)
    cases = Insert(Case, ("number", "kind", "channel", "received_at", "complainant_id", "facts", "state", "unit_id",
                          "rule_set_id"), now=now)
    done = Case.objects.count()
    for offset in range(0, n, BATCH):
        k = min(BATCH, n - offset)
        with transaction.atomic():
            ids = parties.run([("complainant", r.choice(SURNAMES) + r.choice(GIVEN),
                                f"1{r.choice('3578')}{r.randrange(10**9):09d}",
                                f"421302{r.randrange(1960, 2004)}{r.randrange(1, 13):02d}{r.randrange(1, 29):02d}"
                                f"{r.randrange(1000):03d}{r.choice('0123456789X')}", "曾都区") for _ in range(k)])
            rows = []
            for i, party in enumerate(ids):
                seq = done + offset + i + 1
                kind = r.choices(("complaint", "report", "inquiry"), (60, 25, 15))[0]
                rows.append((f"BENCH-{seq:08d}", kind, "phone", start + timedelta(seconds=seq * 90), party, "…",
                             r.choice(("triage", "assigned", "in_progress", "concluded", "archived")),
                             r.choice(units), rule_set))
            cases.run(rows)
        print(f"  {done + offset + k:,} items", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--samples", type=int, default=50)
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--reuse", action="store_true")
    args = p.parse_args()
    setup(args.items, args.reuse)
    from django.db import connection
    from django.test import Client

    from xiaobao.cases.models import Case
    from xiaobao.units.models import ApiToken, Staff

    r = random.Random(args.seed)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    people = []
    while len(people) < args.samples:
        case = (Case.objects.filter(pk__gte=r.randrange(1, top), complainant__isnull=False)
                .select_related("complainant", "unit").order_by("pk").first())
        if case and case.complainant.phone and case.complainant.name:
            people.append(case)
    print(f"{connection.vendor}, {Case.objects.count():,} items; load {os.getloadavg()[0]:.1f}", flush=True)
    for username in ("xiaobao", "nanjiao"):
        user = Staff.objects.get(username=username)
        client = Client()
        client.force_login(user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}
        terms = {
            "phone as stored": lambda c: c.complainant.phone,
            "phone +86 138-…": lambda c: "+86 " + c.complainant.phone[:3] + "-" + c.complainant.phone[3:7] + "-"
                                         + c.complainant.phone[7:],
            "ID number": lambda c: c.complainant.id_number,
            "whole name": lambda c: c.complainant.name,
            "name, 2 chars": lambda c: c.complainant.name[:2],
            "nobody's number": lambda c: "199" + c.complainant.phone[3:],
        }
        for label, term in terms.items():
            times, counts = [], []
            for case in people:
                t = time.perf_counter()
                resp = client.get("/api/v1/cases", {"person": term(case)}, **headers)
                times.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200, resp.content[:300]
                counts.append(resp.json()["count"])
            print(f"{username:9} API {label:18} p50 {statistics.median(times):7.1f} ms  "
                  f"p95 {sorted(times)[int(len(times) * 0.95) - 1]:7.1f} ms  matches/search "
                  f"{statistics.mean(counts):.1f}", flush=True)
        times = []
        for case in people:
            t = time.perf_counter()
            resp = client.post("/intake/earlier", {"complainant_phone": case.complainant.phone}, HTTP_HX_REQUEST="true")
            times.append((time.perf_counter() - t) * 1000)
            assert resp.status_code == 200
        print(f"{username:9} registration lookup        p50 {statistics.median(times):7.1f} ms  "
              f"p95 {sorted(times)[int(len(times) * 0.95) - 1]:7.1f} ms", flush=True)


if __name__ == "__main__":
    main()
