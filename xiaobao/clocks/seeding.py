"""Seeding the calendar table from `chinesecalendar` (2004–2026), cross-checked against `holidays`."""

from __future__ import annotations

from datetime import date, timedelta


def days_from_chinesecalendar(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, name) for each day of the year that is not a plain Mon–Fri working day or weekend:
    days off on weekdays and weekend days inside a holiday (kind "holiday"), weekend make-up working days
    (kind "makeup")."""
    import chinese_calendar

    out = []
    d = date(year, 1, 1)
    while d.year == year:
        _on_holiday, name = chinese_calendar.get_holiday_detail(d)
        work = chinese_calendar.is_workday(d)
        weekend = d.weekday() >= 5
        if not work and (not weekend or name):
            out.append((d, "holiday", _name(name)))
        elif work and weekend:
            out.append((d, "makeup", _name(name)))
        d += timedelta(days=1)
    return out


NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(holiday) -> str:
    if holiday is None:
        return ""
    return NAMES.get(getattr(holiday, "value", str(holiday)), getattr(holiday, "value", str(holiday)))


def cross_check(year: int) -> list[str]:
    """Differences between chinesecalendar and the `holidays` package for one year (days off only)."""
    import holidays as holidays_pkg

    ours = {d for d, kind, _ in days_from_chinesecalendar(year) if kind == "holiday" and d.weekday() < 5}
    try:
        theirs = {d for d in holidays_pkg.country_holidays("CN", years=year) if d.weekday() < 5}
    except Exception as exc:  # the second source is optional
        return [f"holidays 包无法提供 {year} 年数据：{exc}"]
    diffs = [f"{d}: chinesecalendar 为节假日，holidays 包不是" for d in sorted(ours - theirs)]
    diffs += [f"{d}: holidays 包为节假日，chinesecalendar 不是" for d in sorted(theirs - ours)]
    return diffs
