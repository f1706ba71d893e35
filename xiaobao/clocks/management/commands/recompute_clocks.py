"""Recompute the open clocks reaching into a published year, with progress per batch: after a publication
that stopped half-way, or to check that stored deadlines agree with the calendar (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError

from xiaobao.clocks.models import CalendarYear
from xiaobao.clocks.publishing import recompute_reaching


class Command(BaseCommand):
    help = "按已发布的某年日历，分批重新计算期限延伸至该年的未完成期限，并显示进度（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="已发布的日历年度，如 2027")
        parser.add_argument("--batch", type=int, default=None, help="每批件数（默认 20000）")

    def handle(self, *args, year: int, batch: int | None, **options):
        if not CalendarYear.objects.filter(year=year, published=True).exists():
            raise CommandError(f"{year} 年的工作日历尚未发布，请先在日历页面或 PUT /api/v1/calendar/{year} 发布。")
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"已重新计算 {done:,}/{total:,} 件（{time.perf_counter() - started:.1f} s）")

        # No person acts: the audit rows name the command.
        total = recompute_reaching(year, actor=None, progress=progress, batch=batch)
        if total == 0:
            self.stdout.write(f"没有期限延伸至 {year} 年的未完成件。")
        self.stdout.write(self.style.SUCCESS(f"完成：{total:,} 件。"))
