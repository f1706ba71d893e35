"""Working-day calendar endpoints of API v1."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema, Status

from xiaobao.cases.recompute import publish_year
from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.publishing import CalendarInputError, year_view
from xiaobao.units.models import Role

from .schemas import ErrorOut, ValidationOut

router = Router(tags=["calendar"])


class DeadlineOut(Schema):
    start: str
    due: str
    unit: str
    provisional: bool


@router.get("/deadline", response={200: DeadlineOut, 401: ErrorOut, 422: ValidationOut}, summary="计算期限届满日")
def deadline(request, start: str, days: int, unit: str = "workdays"):
    errors = []
    try:
        start_date = date.fromisoformat(start)
    except ValueError:
        errors.append({"field": "start", "message": "起算日格式不正确，应为 YYYY-MM-DD。"})
    if not 0 <= days <= 3650:
        errors.append({"field": "days", "message": "期限长度应在 0–3650 之间。"})
    if unit not in ("workdays", "days"):
        errors.append({"field": "unit", "message": "unit 应为 workdays（工作日）或 days（自然日）。"})
    if errors:
        return Status(422, {"errors": errors})
    cal = get_calendar()
    try:
        due = cal.add_workdays(start_date, days) if unit == "workdays" else cal.add_days_legal(start_date, days)
    except ValueError:
        # Outside the table no working day is known (and past 9999-12-31 no date exists at all).
        message = f"起算日或届满日超出工作日历的范围（{cal.first:%Y-%m-%d} 至 {cal.last:%Y-%m-%d}）。"
        return Status(422, {"errors": [{"field": "start", "message": message}]})
    return Status(200, {"start": start_date.isoformat(), "due": due.isoformat(), "unit": unit,
                 "provisional": cal.provisional_between(start_date, due)})


class YearOut(Schema):
    year: int
    published: bool
    holidays: list[str]
    workdays: list[str]
    recomputed: int | None = None


def _year_schema(schema: dict) -> None:
    # publish_year checks each date itself (naming each bad one, "holidays[2]"), so the model takes any list.
    for name in ("holidays", "workdays"):
        schema["properties"][name]["items"] = {"type": "string", "format": "date"}


class YearIn(Schema):
    """该年的法定节假日和调休上班日（YYYY-MM-DD，须在该年内）。"""

    model_config = {"json_schema_extra": _year_schema}

    holidays: list[Any] = []
    workdays: list[Any] = []
    source: str = "国务院办公厅放假安排通知"


YEAR_RANGE = range(2000, 2101)


@router.get("/{year}", response={200: YearOut, 401: ErrorOut, 422: ValidationOut}, summary="查看某年日历")
def get_year(request, year: int):
    if year not in YEAR_RANGE:
        return Status(422, {"errors": [{"field": "year", "message": "年份应在 2000–2100 之间。"}]})
    return Status(200, year_view(year))


@router.put("/{year}", response={200: YearOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
            summary="发布某年日历（管理员）")
def put_year(request, year: int, payload: YearIn):
    if not request.user.has_role(Role.ADMIN):
        return Status(403, {"error": "只有系统管理员可以发布日历。"})
    try:
        result = publish_year(year=year, holidays=payload.holidays, workdays=payload.workdays,
                              actor=request.user, source=payload.source)
    except CalendarInputError as e:
        return Status(422, {"errors": e.errors})
    return Status(200, result)
