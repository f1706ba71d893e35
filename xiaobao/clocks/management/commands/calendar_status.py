from django.core.management.base import BaseCommand

from xiaobao.clocks.calendar import unpublished_horizon_warning
from xiaobao.clocks.models import CalendarYear


class Command(BaseCommand):
    help = "列出已发布的日历年度；今天起90天内或未完成期限进入未发布年度时给出警告。"

    def handle(self, *args, **options):
        published = list(CalendarYear.objects.filter(published=True).order_by("year"))
        if published:
            years = "、".join(str(cy.year) for cy in published)
            self.stdout.write(f"已发布年度（{len(published)} 年）：{years}")
            for cy in published[-3:]:
                when = f"，{cy.published_at:%Y-%m-%d} 发布" if cy.published_at else ""
                self.stdout.write(f"  {cy.year}：{cy.source or '未注明来源'}{when}")
        else:
            self.stdout.write("尚无已发布的日历年度。")
        warning = unpublished_horizon_warning()
        if warning:
            self.stdout.write(self.style.WARNING(warning))
        else:
            self.stdout.write("日历覆盖今后90天及全部未完成期限。")
