"""The years of the timeline and the audit trail on PostgreSQL (issue 24, point 3; docs/operations.md, section 7):
status, making the coming years' partitions (daily, deploy/xiaobao.cron), detaching a year to archive storage
and attaching it again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from xiaobao.cases import history
from xiaobao.lib import partitions


class Command(BaseCommand):
    help = ("时间线和审计记录的按年分区（仅 PostgreSQL）。status：各年分区与已归档年度；ensure：建本年和下一年的分区"
            "（每日任务），--years 另建指定年度并把默认分区中这些年的行移入；detach YEAR --to DIR：把一年卸下写成归档文件"
            "（含清单与 SHA-256），记入审计链检查点；attach YEAR --from DIR：校验归档后重新接入。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("status", help="各年分区、默认分区中的行与已归档年度")
        ensure = sub.add_parser("ensure", help="建本年和下一年的分区（及 --years 所列年度）")
        ensure.add_argument("--years", type=int, nargs="*", default=[])
        detach = sub.add_parser("detach", help="把一年卸下到归档存储")
        detach.add_argument("year", type=int)
        detach.add_argument("--to", required=True, type=Path, help="归档存放目录（写入 DIR/YEAR/）")
        attach = sub.add_parser("attach", help="从归档存储重新接入一年")
        attach.add_argument("year", type=int)
        attach.add_argument("--from", dest="source", required=True, type=Path, help="归档目录（DIR 或 DIR/YEAR）")

    def handle(self, *args, what: str, **options):
        if what == "ensure" and not partitions.supported():
            # The daily job: nothing to make on SQLite, and nothing wrong either.
            self.stdout.write("按年分区只用于 PostgreSQL；SQLite 无需建分区。")
            return
        try:
            history.require_postgresql()
            getattr(self, f"_{what}")(**options)
        except (history.HistoryError, partitions.PartitionError) as e:
            raise CommandError(str(e)) from e
        except DatabaseError as e:
            # Most often a lock not granted within partitions.LOCK_TIMEOUT: nothing half-done stays; run it again.
            raise CommandError(f"数据库拒绝了这一步（多为 {partitions.LOCK_TIMEOUT} 内拿不到表锁），"
                               f"可稍后重新运行：{e}") from e

    def _status(self, **options):
        found = history.status()
        for table, facts in found["tables"].items():
            if not facts["partitioned"]:
                self.stdout.write(f"{table}：未分区（运行 manage.py partition_history）")
                continue
            years = "，".join(f"{y} 年约 {n} 行" if n >= 0 else f"{y} 年（尚未统计）"
                              for y, n in facts["years"].items()) or "无"
            strays = "，".join(f"{y} 年 {n} 行" for y, n in facts["default"].items()) or "无"
            self.stdout.write(f"{table}：{years}；默认分区：{strays}")
        for a in found["archived"]:
            state = "已卸下" if a["detached"] else "已重新接入"
            self.stdout.write(f"{a['year']} 年：{state}，{a['location']}，{a['rows']}")

    def _ensure(self, years: list, **options):
        history.require_partitioned()
        made = partitions.ensure_coming() + partitions.ensure_years(years)
        self.stdout.write(self.style.SUCCESS(f"新建分区：{'、'.join(made)}" if made else "分区齐全。"))

    def _detach(self, year: int, to: Path, **options):
        history.detach(year, to, report=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"{year} 年已卸下到 {to / str(year)}，并记入审计检查点。"))

    def _attach(self, year: int, source: Path, **options):
        result = history.attach(year, source, report=self.stdout.write)
        if not result["ok"]:
            raise CommandError(f"{year} 年已接入，但审计链校验失败：{result['reason']}")
        self.stdout.write(self.style.SUCCESS(f"{year} 年已接入，审计链完好，共 {result['rows']} 行。"))
