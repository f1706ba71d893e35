"""Settle the clocks left open by items concluded or archived before conclusions settled them (issue 18, point 2),
in batches with progress. Idempotent: run once after upgrading; daily_clocks repeats it (nothing left to do)."""

import time

from django.core.management.base import BaseCommand

from xiaobao.cases.settling import BATCH, settle_closed_items


class Command(BaseCommand):
    help = "结清已办结、已归档件遗留的未完成期限：按期的记为办结时按期，已过届满日的记为未按期（分批，可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help=f"每批期限数（默认 {BATCH}）")

    def handle(self, *args, batch: int, **options):
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"已结清 {done:,}/{total:,} 项（{time.perf_counter() - started:.1f} s）")

        settled = settle_closed_items(batch=batch, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"完成：结清 {settled:,} 项期限。" if settled
                                             else "没有需要结清的期限。"))
