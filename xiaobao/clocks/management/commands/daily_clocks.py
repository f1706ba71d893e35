from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xiaobao.clocks.calendar import unpublished_horizon_warning
from xiaobao.clocks.overdue import mark_overdue
from xiaobao.lib import timeutil


class Command(BaseCommand):
    help = "每日运行：标记已逾期且尚未通报的期限，写入审计记录。可重复运行，每个期限只通报一次。"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按哪一天判断逾期（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on: str | None, **options):
        try:
            day = date.fromisoformat(on) if on else timeutil.today()
        except ValueError:
            raise CommandError("--on 应为 YYYY-MM-DD 格式的日期。") from None
        marked = mark_overdue(on=day)
        self.stdout.write(f"{day:%Y-%m-%d}：新逾期期限 {len(marked)} 项。")
        for m in marked:
            self.stdout.write(f"  {m['number']} {m['label']} 届满 {m['due']}（逾期 {m['days_late']} 日）"
                              f" {m['unit_name']}")
        if warning := unpublished_horizon_warning(today=day):
            self.stdout.write(self.style.WARNING(warning))
