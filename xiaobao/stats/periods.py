"""Statistical months. A month runs from local midnight of its first day to local midnight of the next
month's first day in the bureau's zone, whatever zone the database or the server uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from xiaobao.cases.errors import Invalid

BUREAU_ZONE = ZoneInfo("Asia/Shanghai")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=BUREAU_ZONE)

    @property
    def end(self) -> datetime:
        """The first instant after the month (exclusive bound)."""
        return self.next().start

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def last_months(self, n: int) -> list[Month]:
        """The n months ending with this one, oldest first."""
        months = [self]
        while len(months) < n:
            months.append(months[-1].previous())
        return months[::-1]

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)


def parse_month(value: str | None, *, field: str = "month") -> Month:
    """`YYYY-MM` → Month; anything else (2026-13, 26-3, abc) raises Invalid with a Chinese message."""
    m = _MONTH.fullmatch((value or "").strip())
    if m is None or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2999:
        raise Invalid([{"field": field, "message": f"统计月份“{value or ''}”无效，应为 YYYY-MM 格式的月份，如 2026-03。"}])
    return Month(int(m.group(1)), int(m.group(2)))
