"""Recompute the open clocks reaching into a published year, with progress per batch: after a publication
that stopped half-way, or to check that stored deadlines agree with the calendar (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError

from xiaobao.cases.recompute import recompute_reaching
from xiaobao.clocks.models import CalendarYear
from xiaobao.lib import timeutil

Recompute = CalendarYear.Recompute


class Command(BaseCommand):
    help = "按已发布的某年日历，分批重新计算期限延伸至该年的未完成期限，并显示进度（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="已发布的日历年度，如 2027")
        parser.add_argument("--batch", type=int, default=None, help="每批件数（默认 20000）")

    def handle(self, *args, year: int, batch: int | None, **options):
        if not CalendarYear.objects.filter(year=year, published=True).exists():
            raise CommandError(f"{year} 年的工作日历尚未发布，请先在日历页面或 PUT /api/v1/calendar/{year} 发布。")
        started = time.perf_counter()
        # The calendar page shows this run's progress as it shows the background task's.
        year_row = CalendarYear.objects.filter(year=year)
        year_row.update(recompute_status=Recompute.RUNNING, recompute_done=0, recompute_message="",
                        recompute_progress_at=timeutil.now(), recompute_finished_at=None)

        def progress(done: int, total: int) -> None:
            year_row.update(recompute_done=done, recompute_total=total, recompute_progress_at=timeutil.now())
            self.stdout.write(f"已重新计算 {done:,}/{total:,} 件（{time.perf_counter() - started:.1f} s）")

        try:
            # No person acts: the audit rows name the command.
            total = recompute_reaching(year, actor=None, progress=progress, batch=batch)
        except Exception as exc:
            year_row.update(recompute_status=Recompute.FAILED, recompute_finished_at=timeutil.now(),
                            recompute_message=f"{type(exc).__name__}: {exc}"[:500])
            raise
        year_row.update(recompute_status=Recompute.DONE, recompute_total=total, recompute_done=total,
                        recompute_finished_at=timeutil.now())
        if total == 0:
            self.stdout.write(f"没有期限延伸至 {year} 年的未完成件。")
        self.stdout.write(self.style.SUCCESS(f"完成：{total:,} 件。"))
