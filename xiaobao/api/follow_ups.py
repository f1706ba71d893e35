"""回访问效 of API v1 (issue 20.4): the concluded complaints a unit still has to call back, and 消保股's sample."""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from xiaobao.cases.errors import NotPermitted
from xiaobao.handling import follow_ups
from xiaobao.stats.periods import parse_month
from xiaobao.units.models import Role

from .schemas import ErrorOut, ValidationOut

router = Router(tags=["follow-up"])


class FollowUpItemOut(Schema):
    id: int
    number: str
    unit: str
    outcome: str | None
    concluded_at: str


class FollowUpListOut(Schema):
    month: str
    list: Literal["unit", "check"]
    share: float = Field(..., description="消保股抽查比例（0–1）")
    count: int
    items: list[FollowUpItemOut]


@router.get("/follow-ups", response={200: FollowUpListOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
            summary="待回访的投诉（本单位回访；消保股抽查回访）")
def follow_up_list(request, month: str = Query(..., description="办结月份 YYYY-MM"),
                   which: Literal["unit", "check"] = Query("unit", alias="list",
                                                           description="unit 本单位待回访；check 消保股抽查")):
    period = parse_month(month)
    user = request.user
    if which == "check":
        if not user.has_role(Role.DISPATCHER):
            raise NotPermitted("抽查回访由消保股进行。")
        queue = follow_ups.office_queue(period.start, period.end)
    else:
        if not (user.has_role(Role.HANDLER) or user.has_role(Role.UNIT_LEADER)):
            raise NotPermitted("本单位回访由承办单位进行。")
        queue = follow_ups.unit_queue(user, period.start, period.end)
    items = [{"id": c.pk, "number": c.number, "unit": c.unit.code, "outcome": c.outcome or None,
              "concluded_at": timezone.localtime(c.concluded_at).isoformat()} for c in queue[:500]]
    return {"month": str(period), "list": which, "share": follow_ups.check_share(), "count": queue.count(),
            "items": items}
