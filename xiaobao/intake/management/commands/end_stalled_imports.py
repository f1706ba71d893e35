"""End 12315 imports whose worker was killed (no progress for timeutil.STALLED_AFTER) and delete the uploads
of runs no longer running; from cron. The import pages do the same whenever they are opened."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xiaobao.intake.importer import end_stalled_runs


class Command(BaseCommand):
    help = "结束已中断的12315平台导入（超过 10 分钟没有进展），并删除已结束导入的上传文件。"

    def handle(self, *args, **options):
        ended = end_stalled_runs()
        if ended:
            self.stdout.write(f"已结束 {ended} 个中断的导入。")
