"""Due dates of legal clocks with pauses taken out, and the explanation a clerk can check by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .workdays import WorkCalendar

ONE_DAY = timedelta(days=1)
# Closing sentence of an explanation whose period reaches into a year not yet published (DOMAIN.md, "Legal clocks").
PROVISIONAL_NOTE = "含尚未发布的年度日历，按周末及固定节日估算，属暂定期限"


@dataclass(frozen=True)
class PauseSpan:
    start: date  # first day that does not count
    end: date | None  # resume date (counts again); None while the pause is open
    label: str = ""
    reason: str = ""  # PauseReason code: the item's rule set says which clocks it stops

    def excluded(self, today: date) -> tuple[date, date] | None:
        """Inclusive range of excluded days, P … R−1; an open pause runs through today."""
        last = (self.end - ONE_DAY) if self.end else today
        return (self.start, last) if last >= self.start else None


@dataclass(frozen=True)
class Due:
    due: date
    provisional: bool
    explanation: str


def _excluded_ranges(pauses: list[PauseSpan], today: date) -> list[tuple[date, date]]:
    ranges = sorted(r for p in pauses if (r := p.excluded(today)))
    merged: list[tuple[date, date]] = []
    for a, b in ranges:
        if merged and a <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _overlap(ranges: list[tuple[date, date]], start: date, end: date) -> list[tuple[date, date]]:
    """Parts of the ranges inside (start, end]."""
    out = []
    for a, b in ranges:
        lo, hi = max(a, start + ONE_DAY), min(b, end)
        if lo <= hi:
            out.append((lo, hi))
    return out


def compute_due(cal: WorkCalendar, *, start: date, length: int, unit: str,
                pauses: list[PauseSpan] = (), today: date | None = None) -> Due:
    today = today or date.today()
    ranges = _excluded_ranges(list(pauses), today)
    if unit == "workdays":
        due = cal.add_workdays(start, length)
        while True:
            paused = sum(cal.workdays_between(a - ONE_DAY, b) for a, b in _overlap(ranges, start, due))
            nxt = cal.add_workdays(start, length + paused)
            if nxt == due:
                break
            due = nxt
        head = f"{start:%Y-%m-%d} 后第 {length} 个工作日"
    elif unit == "days":
        end = start + timedelta(days=length)
        while True:
            paused = sum((b - a).days + 1 for a, b in _overlap(ranges, start, end))
            nxt = start + timedelta(days=length + paused)
            if nxt == end:
                break
            end = nxt
        due = cal.next_workday_on_or_after(end)
        head = f"{start:%Y-%m-%d} 后 {length} 日"
        if due != end:
            head += f"（{end:%m-%d} 为休息日，顺延至下一工作日）"
    else:
        raise ValueError(f"unknown unit {unit!r}")
    return Due(due=due, provisional=cal.provisional_between(start, due),
               explanation=explain(cal, start=start, due=due, head=head, ranges=_overlap(ranges, start, due),
                                   pauses=list(pauses)))


def explain_period(cal: WorkCalendar, *, start: date, due: date, head: str, pauses: list[PauseSpan],
                   today: date) -> str:
    """The explanation of the period (start, due] with the parts of the pauses that fall inside it: for a
    period cut short (a handling period clamped to the mediation cap), which reads no day after `due`."""
    ranges = _overlap(_excluded_ranges(list(pauses), today), start, due)
    return explain(cal, start=start, due=due, head=head, ranges=ranges, pauses=list(pauses))


def explain(cal: WorkCalendar, *, start: date, due: date, head: str, ranges: list[tuple[date, date]],
            pauses: list[PauseSpan]) -> str:
    """E.g. "2026-02-13 后第 7 个工作日；届满 2026-03-02；节假日：02-15…02-23；调休上班：02-14、02-28；
    中止 03-03…03-05（检验检测），不计入期限".

    Reads the calendar's sorted lists of weekdays off and weekend working days between start and due (two
    binary searches each) instead of walking the period day by day; the text is the same as
    _explain_slow's, which the tests check."""
    lo_ord, hi_ord = start.toordinal() + 1, due.toordinal()
    if lo_ord <= hi_ord and not (cal.first.toordinal() <= lo_ord and hi_ord <= cal.last.toordinal()):
        return _explain_slow(cal, start=start, due=due, head=head, ranges=ranges, pauses=pauses)
    # Each weekday holiday is widened to its run of days off (weekends included) inside (start, due], so
    # "02-15…02-23" reads as one holiday block; touching runs merge.
    blocks: list[list[int]] = []
    for _, run_lo, run_hi in cal.weekday_days_off(start, due):
        lo, hi = max(run_lo, lo_ord), min(run_hi, hi_ord)
        if blocks and lo <= blocks[-1][1] + 1:
            blocks[-1][1] = max(blocks[-1][1], hi)
        else:
            blocks.append([lo, hi])
    makeups = cal.weekend_workdays(start, due)
    parts = [head, f"届满 {due:%Y-%m-%d}"]
    if blocks:
        parts.append("节假日：" + "、".join(_span_ord(a, b) for a, b in blocks))
    if makeups:
        parts.append("调休上班：" + "、".join(_md(m) for m in makeups))
    for a, b in ranges:
        # Name every pause that covers part of the range: merged or clipped ranges need not start on a P.
        labels = list(dict.fromkeys(p.label for p in pauses if p.label and p.start <= b
                                    and (p.end is None or p.end > a)))
        parts.append(f"中止 {_span(a, b)}" + (f"（{'、'.join(labels)}）" if labels else "") + "，不计入期限")
    if cal.provisional_between(start, due):
        parts.append(PROVISIONAL_NOTE)
    return "；".join(parts)


def _md(ordinal: int) -> str:
    d = date.fromordinal(ordinal)
    return f"{d.month:02d}-{d.day:02d}"


def _span_ord(a: int, b: int) -> str:
    return _md(a) if a == b else f"{_md(a)}…{_md(b)}"


def _explain_slow(cal: WorkCalendar, *, start: date, due: date, head: str, ranges: list[tuple[date, date]],
                  pauses: list[PauseSpan]) -> str:
    """The day-by-day original of explain(): the reference it is tested against, and what it falls back to
    at the edges of the calendar."""
    offs: list[tuple[date, date]] = []
    makeups: list[date] = []
    d = start + ONE_DAY
    while d <= due:
        work = cal.is_workday(d)
        if not work and d.weekday() < 5:
            offs.append((d, d))
        elif work and d.weekday() >= 5:
            makeups.append(d)
        d += ONE_DAY
    # Extend weekday holidays over adjacent weekends so "02-15…02-23" reads as one holiday block.
    blocks: list[list[date]] = []
    for a, _ in offs:
        lo = a
        while lo - ONE_DAY > start and not cal.is_workday(lo - ONE_DAY):
            lo -= ONE_DAY
        hi = a
        while hi + ONE_DAY <= due and not cal.is_workday(hi + ONE_DAY):
            hi += ONE_DAY
        if blocks and lo <= blocks[-1][1] + ONE_DAY:
            blocks[-1][1] = max(blocks[-1][1], hi)
        else:
            blocks.append([lo, hi])
    parts = [head, f"届满 {due:%Y-%m-%d}"]
    if blocks:
        parts.append("节假日：" + "、".join(_span(a, b) for a, b in blocks))
    if makeups:
        parts.append("调休上班：" + "、".join(f"{m:%m-%d}" for m in makeups))
    for a, b in ranges:
        # Name every pause that covers part of the range: merged or clipped ranges need not start on a P.
        labels = list(dict.fromkeys(p.label for p in pauses if p.label and p.start <= b
                                    and (p.end is None or p.end > a)))
        parts.append(f"中止 {_span(a, b)}" + (f"（{'、'.join(labels)}）" if labels else "") + "，不计入期限")
    if cal.provisional_between(start, due):
        parts.append("含尚未发布的年度日历，按周末及固定节日估算，属暂定期限")
    return "；".join(parts)


def _span(a: date, b: date) -> str:
    return f"{a:%m-%d}" if a == b else f"{a:%m-%d}…{b:%m-%d}"
