from django.core.management.base import BaseCommand, CommandError

from xiaobao.records import checkpoints
from xiaobao.records.audit import verify


class Command(BaseCommand):
    help = ("校验审计记录的链（带密钥的校验码），并与数据库之外的检查点比对；"
            "发现被改动、删除或截断的记录时以非零状态退出。"
            "已卸下归档的年度按检查点文件与已归档年度表中的记录衔接，不算缺失。")

    def handle(self, *args, **options):
        try:
            marks = checkpoints.read()
            years = checkpoints.read_years()
        except checkpoints.CheckpointError as e:
            raise CommandError(str(e)) from e
        result = verify(marks, years)
        if not result["ok"]:
            raise CommandError(f"审计链校验失败：{result['reason']}（之前 {result['rows']} 行完好）。")
        archived = ""
        if result["archived_years"]:
            names = "、".join(str(y) for y in result["archived_years"])
            archived = f"（其中 {names} 年的 {result['archived_rows']} 行已卸下归档，按归档记录衔接）"
        self.stdout.write(self.style.SUCCESS(
            f"审计链完好，共 {result['rows']} 行{archived}；与 {len(marks)} 个检查点一致。"))
