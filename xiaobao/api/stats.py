"""Statistics endpoints of API v1 (API-v1.md "Statistics")."""

from __future__ import annotations

from ninja import Router, Schema, Status

from xiaobao.lib.dbrouter import replica_reads
from xiaobao.records.audit import record
from xiaobao.stats.access import statistics_scope
from xiaobao.stats.excel import XLSX, workbook
from xiaobao.stats.exports import xlsx_response
from xiaobao.stats.periods import parse_month
from xiaobao.stats.queries import monthly_figures
from xiaobao.stats.submissions import typical_cases_for

from .schemas import ErrorOut, ValidationOut

router = Router(tags=["statistics"])


class ReceivedOut(Schema):
    total: int
    by_kind: dict[str, int]
    by_channel: dict[str, int]
    by_category: dict[str, int]
    by_unit: dict[str, int]


class ConcludedOut(Schema):
    total: int
    by_outcome: dict[str, int]


class ClockRateOut(Schema):
    due: int
    on_time: int
    late: int
    pending: int
    rate: float | None


class OpenOut(Schema):
    total: int
    by_state: dict[str, int]


class UnitRowOut(Schema):
    unit: str
    name: str
    received: dict[str, int]
    concluded: dict[str, int]
    amount_recovered: str
    returns: int


class PeriodOut(Schema):
    start: str
    end: str


class FollowUpsOut(Schema):
    total: int
    satisfied_or_basic: int


class FollowUpCountsOut(Schema):
    total: int
    resolved: int
    satisfied_or_basic: int
    resolved_rate: float | None
    satisfaction_rate: float | None


class UnitFollowUpOut(Schema):
    complaints_concluded: int
    followed_up: FollowUpCountsOut
    checked: FollowUpCountsOut
    follow_up_share: float | None


class FollowUpResultsOut(Schema):
    """回访问效: the units' own follow-ups and 消保股's checks (issue 20.4)."""

    by_unit: dict[str, UnitFollowUpOut]
    followed_up: FollowUpCountsOut
    checked: FollowUpCountsOut


class ComplaintsConcludedOut(Schema):
    total: int
    mediated: int


class SupervisionCountsOut(Schema):
    issued: int
    answered: int
    answered_on_time: int


class SupervisionOut(SupervisionCountsOut):
    by_unit: dict[str, SupervisionCountsOut]


class RewardCountsOut(Schema):
    """举报奖励 of the month, counts and sums only (工作秘密: nothing else of a reward)."""

    assessed: int
    paid: int
    amount_paid: str
    lapsed: int
class OdrMonthOut(Schema):
    """ODR businesses' 先行和解 (API-v1.md "ODR businesses"): forwardings counted in the month they were made,
    answers in the month they were given; the rate is settled ÷ forwardings concluded in the month."""

    forwarded: int
    settled: int
    settlement_rate: float | None
    amount_recovered: str


class MonthlyOut(Schema):
    month: str
    unit: str | None
    unit_name: str | None
    period: PeriodOut
    received: ReceivedOut
    concluded: ConcludedOut
    on_time: dict[str, ClockRateOut]
    mediation_success_rate: float | None
    amount_recovered: str
    returns_by_unit: dict[str, int]
    open_at_month_end: OpenOut
    units: list[UnitRowOut]
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    follow_ups: FollowUpsOut
    complaints_concluded: ComplaintsConcludedOut
    supervision: SupervisionOut
    follow_up_results: FollowUpResultsOut
    rewards: RewardCountsOut
    odr: OdrMonthOut


XLSX_DOC = {"responses": {"200": {"description": "统计数据（JSON），或 Excel 统计表（format=xlsx 或 Accept 为 XLSX 类型）",
                                  "content": {
                                      "application/json": {"schema": {"$ref": "#/components/schemas/MonthlyOut"}},
                                      XLSX: {"schema": {"type": "string", "format": "binary"}}}}}}


@router.get("/monthly", response={200: MonthlyOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
            summary="月度统计（全局或一个单位）", openapi_extra=XLSX_DOC)
def monthly(request, month: str, unit: str | None = None, format: str | None = None):
    with replica_reads():  # statistics read from the replica when there is one (issue 24, point 2)
        return _monthly(request, month, unit, format)


def _monthly(request, month: str, unit: str | None, format: str | None):
    period = parse_month(month)
    scope = statistics_scope(request.user, unit)
    figures = monthly_figures(period, scope)
    if format == "xlsx" or XLSX in request.headers.get("Accept", ""):
        record(actor=request.user, action="export_stats", obj=f"stats:{period}",
               detail={"unit": figures["unit"], "format": "xlsx", "via": "api"})
        return xlsx_response(workbook(figures, typical_cases_for(period, scope)), figures)
    return Status(200, figures)
