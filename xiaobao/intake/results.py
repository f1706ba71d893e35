"""Answering back to 12315 (rules 一.3(1): "及时将处理结果反馈并录入平台"): the results of the items imported from the
national 12315 platform, concluded in a month, in the columns the platform takes back (docs/12315-import.md,
"Results back to 12315"). Written through lib.spreadsheets (formula-like text stays text)."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook

from xiaobao.cases.models import Case, Channel, Event, Kind, Outcome, State
from xiaobao.lib.spreadsheets import xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("登记编号", "本局编号", "类型", "承办单位", "办结时间", "处理结果", "处理情况", "挽回经济损失（元）", "答复方式",
           "答复时间", "答复内容")
KINDS = dict(Kind.choices)
OUTCOMES = dict(Outcome.choices)


def result_rows(period) -> list[tuple]:
    """One row per 12315 item concluded in the month (by the time of its conclusion), oldest first."""
    cases = list(Case.objects.filter(channel=Channel.PLATFORM_12315, concluded_at__gte=period.start,
                                     concluded_at__lt=period.end, state__in=(State.CONCLUDED, State.ARCHIVED))
                 .select_related("unit").order_by("concluded_at", "id"))
    ids = [c.pk for c in cases]
    concluding: dict[int, Event] = {}
    replies: dict[int, Event] = {}
    for e in Event.objects.filter(case_id__in=ids).filter(to_state=State.CONCLUDED).order_by("at", "id"):
        if e.from_state != State.CONCLUDED:
            concluding[e.case_id] = e  # the last conclusion (after a reopening, the new one)
    for e in Event.objects.filter(case_id__in=ids, action="reply").order_by("at", "id"):
        replies[e.case_id] = e
    rows = []
    for c in cases:
        end, reply = concluding.get(c.pk), replies.get(c.pk)
        rows.append((
            c.external_id, c.number, KINDS.get(c.kind, c.kind), c.unit.name if c.unit else "",
            timezone.localtime(c.concluded_at).strftime("%Y-%m-%d %H:%M"), OUTCOMES.get(c.outcome or "", ""),
            end.note if end else "", float(c.amount_recovered) if c.amount_recovered is not None else None,
            (reply.data or {}).get("channel_label", "") if reply else "",
            timezone.localtime(reply.at).strftime("%Y-%m-%d %H:%M") if reply else "", reply.note if reply else "",
        ))
    return rows


def results_workbook(period) -> tuple[bytes, int]:
    book = Workbook()
    sheet = book.active
    sheet.title = "办理结果"
    sheet.append(COLUMNS)
    rows = result_rows(period)
    for row in rows:
        sheet.append(row)
    return xlsx_bytes(book), len(rows)
