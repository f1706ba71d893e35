from django.core.management.base import BaseCommand, CommandError

from xiaobao.records import checkpoints
from xiaobao.records.audit import verify


class Command(BaseCommand):
    help = ("校验审计记录的链（带密钥的校验码），并与数据库之外的检查点比对；"
            "发现被改动、删除或截断的记录时以非零状态退出。")

    def handle(self, *args, **options):
        try:
            marks = checkpoints.read()
        except checkpoints.CheckpointError as e:
            raise CommandError(str(e)) from e
        result = verify(marks)
        if not result["ok"]:
            raise CommandError(f"审计链校验失败：{result['reason']}（之前 {result['rows']} 行完好）。")
        self.stdout.write(self.style.SUCCESS(
            f"审计链完好，共 {result['rows']} 行；与 {len(marks)} 个检查点一致。"))
