"""The query plans behind the benchmark's numbers (for docs/performance.md):

    DATABASE_URL=... .venv/bin/python bench/explain.py > bench/out/explain.txt

Run by http_bench.py after timing; EXPLAIN only (ANALYZE on PostgreSQL), nothing is changed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def plans() -> None:
    from django.db import connection

    from xiaobao.api.v1 import filter_cases
    from xiaobao.cases.selectors import inbox_sections, visible_cases
    from xiaobao.clocks import services as clock_services
    from xiaobao.clocks.calendar import get_calendar
    from xiaobao.clocks.overdue import overdue_candidates
    from xiaobao.units.models import Staff

    today = clock_services.today()
    warn = get_calendar().add_workdays(today, 2)
    dispatcher, handler = Staff.objects.get(username="xiaobao"), Staff.objects.get(username="nanjiao")
    queries = []
    for user in (dispatcher, handler):
        for key, _, qs in inbox_sections(user, today=today, warn_until=warn):
            queries.append((f"inbox {user.username} {key}", qs.order_by("received_at")))
    queries += [
        ("list state+unit+kind", filter_cases(visible_cases(dispatcher),
                                              {"state": "concluded", "unit": "st-nanjiao", "kind": "complaint"})),
        ("list nanjiao", filter_cases(visible_cases(handler), {})),
        *((f"search {q}", filter_cases(visible_cases(dispatcher), {"q": q})) for q in ("奶粉", "冷冻肉", "商家拒绝退还")),
    ]
    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    for label, qs in queries:
        qs = qs.order_by("-received_at", "-id") if label.startswith(("list", "search")) else qs
        t = time.perf_counter()
        n = qs.count()
        counted = time.perf_counter() - t
        t = time.perf_counter()
        list(qs[:50])
        page = time.perf_counter() - t
        print(f"\n### {label}: {n:,} rows; count {counted * 1000:.1f} ms, first 50 {page * 1000:.1f} ms")
        print(qs[:50].explain(**options))
    print("\n### overdue scan candidates")
    print(overdue_candidates(today).explain(**options))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    import django

    django.setup()
    plans()
