from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xiaobao.cases.settling import settle_closed_items
from xiaobao.clocks.calendar import get_calendar, unpublished_horizon_warning
from xiaobao.lib import timeutil
from xiaobao.notify.daily import BEFORE_OVERDUE
from xiaobao.notify.overdue import mark_overdue, warn_before_cap, warn_due_soon


class Command(BaseCommand):
    help = "每日运行：标记已逾期的期限并通报，提醒即将到期的期限。可重复运行，每个期限只通报一次。"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按哪一天判断逾期（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on: str | None, **options):
        try:
            day = date.fromisoformat(on) if on else timeutil.today()
        except ValueError:
            raise CommandError("--on 应为 YYYY-MM-DD 格式的日期。") from None
        # Finished work is never reported overdue: clocks a concluded or archived item left open are settled
        # first (none, once settle_clocks has run after the upgrade).
        if settled := settle_closed_items():
            self.stdout.write(f"已办结、已归档件遗留的期限已结清 {settled} 项。")
        # Items whose clock running out moves them go first (notify.daily; e.g. a complaint an ODR business did not
        # answer in time goes back to triage), so their clock is closed, not reported overdue.
        for label, step in BEFORE_OVERDUE:
            moved = step(day)
            self.stdout.write(f"{label} {len(moved)} 件。")
            for number in moved:
                self.stdout.write(f"  {number}")
        marked = mark_overdue(on=day)
        self.stdout.write(f"{day:%Y-%m-%d}：新逾期期限 {len(marked)} 项。")
        until = get_calendar().add_workdays(day, settings.XIAOBAO_WARN_WORKDAYS)
        self.stdout.write(f"即将到期（至 {until:%Y-%m-%d}）已提醒 {warn_due_soon(on=day, until=until)} 项。")
        self.stdout.write(f"调解终结期限将至已提醒 {warn_before_cap(on=day)} 件。")
        for m in marked:
            self.stdout.write(f"  {m['number']} {m['label']} 届满 {m['due']}（逾期 {m['days_late']} 日）"
                              f" {m['unit_name']}")
        if warning := unpublished_horizon_warning(today=day):
            self.stdout.write(self.style.WARNING(warning))
