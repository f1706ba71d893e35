"""Rewards not collected within 30 working days of the notice lapse (视为放弃). Run daily (cron); idempotent."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xiaobao.rewards.services import lapse_overdue


class Command(BaseCommand):
    help = "将告知后30个工作日内未领取的举报奖励记为逾期未领取（视为放弃）"

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"lapsed {lapse_overdue()}")
