"""The rewards' daily job (cron): rewards not collected within 30 working days of the notice lapse (视为放弃), and
the handling unit's leaders and 消保股 are warned before and when the 15-working-day notice clock runs out.
Idempotent: each lapse and each warning happens once."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xiaobao.rewards.services import lapse_overdue, warn_notice_due


class Command(BaseCommand):
    help = "每日运行：将告知后30个工作日内未领取的举报奖励记为逾期未领取（视为放弃）；告知举报人期限将至、已逾期的，提醒承办单位负责人和消保股"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按哪一天判断（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on: str | None = None, **options) -> None:
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError("--on 应为 YYYY-MM-DD 格式的日期。") from None
        self.stdout.write(f"lapsed {lapse_overdue(day)}")
        soon, overdue = warn_notice_due(day)
        self.stdout.write(f"notice warnings: due soon {soon}, overdue {overdue}")
