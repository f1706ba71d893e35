"""Routing suggestions for 消保股 (rules 二.1)."""

from __future__ import annotations

from ninja import Router, Schema, Status

from xiaobao.cases.selectors import get_visible_case
from xiaobao.routing.suggest import suggest
from xiaobao.units.models import Role

from .schemas import ErrorOut

router = Router(tags=["routing"])


class SuggestionOut(Schema):
    unit: str
    reason: str
    confidence: float
    # The category the suggestion rests on: the one picked at intake, or read from the facts for the clerk to
    # confirm when routing ("" when neither). Added by issue 19.
    category: str = ""


@router.get("/cases/{case_id}/suggestions", response={200: list[SuggestionOut], 401: ErrorOut, 403: ErrorOut,
                                                       404: ErrorOut}, summary="分流建议")
def suggestions(request, case_id: int):
    case = get_visible_case(request.user, case_id)
    if case is None:
        return Status(404, {"error": "未找到该件，或您无权查看。"})
    if not request.user.has_role(Role.DISPATCHER):
        return Status(403, {"error": "只有消保股分流员可以查看分流建议。"})
    return Status(200, [s.__dict__ for s in suggest(case)])
