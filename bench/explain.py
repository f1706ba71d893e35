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

    from xiaobao.cases.selectors import filter_cases, for_table, inbox_sections, visible_cases, with_next_due
    from xiaobao.clocks import services as clock_services
    from xiaobao.clocks.calendar import get_calendar
    from xiaobao.notify.overdue import overdue_candidates
    from xiaobao.units.models import Staff

    today = clock_services.today()
    warn = get_calendar().add_workdays(today, 2)
    dispatcher, handler = Staff.objects.get(username="xiaobao"), Staff.objects.get(username="nanjiao")
    others = list(Staff.objects.filter(username__in=["fenguan", "archivist"]).order_by("username"))
    queries = []
    for user in (dispatcher, handler, *others):
        for key, _, qs in inbox_sections(user, today=today, warn_until=warn):
            # As the inbox reads its rows: the table's columns with each item's next due date (for_table).
            rows = qs if qs.query.order_by else qs.order_by("received_at")
            queries.append((f"inbox {user.username} {key}", for_table(rows)))
    queries += [
        ("list state+unit+kind", filter_cases(visible_cases(dispatcher),
                                              {"state": "concluded", "unit": "st-nanjiao", "kind": "complaint"})),
        ("list nanjiao", filter_cases(visible_cases(handler), {})),
        # The list page's default (open work, issue 18) with the deadline column.
        ("list open xiaobao", with_next_due(filter_cases(visible_cases(dispatcher), {"include_closed": False}))),
        ("list open nanjiao", with_next_due(filter_cases(visible_cases(handler), {"include_closed": False}))),
        ("list overdue xiaobao", with_next_due(filter_cases(visible_cases(dispatcher),
                                                            {"overdue": True, "include_closed": False}))),
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
    for user in (dispatcher, handler):
        for q in ("奶粉", "冷冻肉", "商家拒绝退还"):
            search(f"search {user.username} {q}", filter_cases(visible_cases(user), {}), q, options)
    print("\n### overdue scan candidates")
    print(overdue_candidates(today).explain(**options))


def search(label: str, qs, q: str, options: dict) -> None:
    """What the list asks of search (xiaobao/cases/search.py): the first page, the count capped for the
    web page, the exact count for the API."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaobao.cases.search import search_cases, search_count, search_page

    t = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        rows = search_page(qs, q, 0, 50)
    page = time.perf_counter() - t
    t = time.perf_counter()
    capped = search_count(qs, q, cap=1001)
    capped_s = time.perf_counter() - t
    t = time.perf_counter()
    n = search_count(qs, q)
    counted = time.perf_counter() - t
    print(f"\n### {label}: {n:,} rows; first 50 ({len(rows)}) {page * 1000:.1f} ms in {len(ctx.captured_queries)} "
          f"queries; count to 1,001 ({capped:,}) {capped_s * 1000:.1f} ms; exact count {counted * 1000:.1f} ms")
    for query in ctx.captured_queries:
        print("  " + query["sql"][:200])
    print(search_cases(qs, q).explain(**options))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    import django

    django.setup()
    plans()
