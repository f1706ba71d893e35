import chinese_calendar
from django.core.management.base import BaseCommand

from xiaobao.clocks.seeding import cross_check


class Command(BaseCommand):
    help = "逐年比对 chinesecalendar 与 holidays 包的节假日（工作日中的休息日），列出不一致之处。"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="年份（默认 chinesecalendar 已知的全部年份）")

    def handle(self, *args, years: list[int], **options):
        years = years or sorted({d.year for d in chinese_calendar.holidays})
        differing = 0
        for year in years:
            try:
                diffs = cross_check(year)
            except NotImplementedError:
                self.stdout.write(f"{year} 年：chinesecalendar 尚不包含该年，无法比对")
                continue
            if diffs:
                differing += 1
                self.stdout.write(f"{year} 年：{len(diffs)} 处不一致")
                for line in diffs:
                    self.stdout.write(f"  {line}")
            else:
                self.stdout.write(f"{year} 年：一致")
        self.stdout.write(f"共 {len(years)} 年，{differing} 年有差异。")
