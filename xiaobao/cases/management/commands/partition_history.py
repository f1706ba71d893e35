"""Convert the timeline and the audit trail into tables partitioned by year, online (issue 24, point 3;
docs/operations.md, section 7). PostgreSQL only; idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from xiaobao.cases import history
from xiaobao.lib import partitions


class Command(BaseCommand):
    help = ("把时间线（cases_event）和审计记录（records_auditentry）在线转换为按年分区的表（仅 PostgreSQL）："
            "建分区表，按 id 分批复制，期间的写入由变更记录补齐，最后在一个短事务中改名替换。可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=10_000, help="每批复制的行数（默认 10000）")
        parser.add_argument("--table", choices=partitions.HISTORY_TABLES, action="append",
                            help="只转换这张表（可重复；默认两张都转换）")

    def handle(self, *args, batch: int, table: list | None, **options):
        try:
            history.require_postgresql()
        except history.HistoryError as e:
            raise CommandError(str(e)) from e
        for name in table or partitions.HISTORY_TABLES:
            if partitions.is_partitioned(name):
                self.stdout.write(f"{name} 已按年分区。")
                continue
            try:
                result = partitions.convert(name, batch=batch, report=self.stdout.write)
            except (partitions.PartitionError, DatabaseError) as e:
                # A lock not granted within LOCK_TIMEOUT included: the next run starts the table over.
                raise CommandError(f"{name} 转换未完成，可重新运行：{e}") from e
            self.stdout.write(self.style.SUCCESS(
                f"{name} 已转换为按年分区：{result['rows']} 行，{result['seconds']} 秒"
                f"（{result['rows_per_second']} 行/秒；替换时锁表 {result['swap_seconds']} 秒），分区 {result['partitions'][0]}–{result['partitions'][-1]} 年及默认分区。"))
        made = partitions.ensure_coming()
        if made:
            self.stdout.write(f"新建分区：{'、'.join(made)}")
