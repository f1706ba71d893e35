"""The ODR scorecard (API-v1.md "ODR businesses"; issue 22.4): per business and for the bureau over a month or
a year. The bureau's statistics roles only (xiaobao.stats.access); definitions in xiaobao/odr/scorecard.py and
docs/odr.md."""

from __future__ import annotations

from ninja import Field, Router, Schema, Status

from xiaobao.cases.errors import NotPermitted
from xiaobao.odr.scorecard import may_see_scorecard, parse_period, scorecard

from .schemas import ErrorOut, ValidationOut

router = Router(tags=["ODR企业"])


class ScoreFiguresOut(Schema):
    forwarded: int = Field(description="期间内转企业的件数（按转送时间）")
    settled: int = Field(description="期间内企业答复和解成功的件数（按答复时间）")
    not_settled: int = Field(description="期间内企业答复和解不成的件数（按答复时间）")
    timed_out: int = Field(description="期间内逾期未处理、退回的件数（按结束时间）")
    escalated: int = Field(description="期间内消费者不同意先行和解、退回的件数（按结束时间）")
    concluded: int = Field(description="以上四项之和：期间内结束的转企业件")
    late: int = Field(description="逾期：期间内结束且答复（或结束）晚于和解期限的件，含逾期未处理")
    settlement_rate: float | None = Field(description="先行和解率 = 和解成功 ÷ 已结束；无已结束时为 null")
    amount_recovered: str = Field(description="和解成功的金额合计（元）")
    answered: int = Field(description="期间内企业答复的件数（和解成功与和解不成）")
    average_days: float | None = Field(description="企业答复的平均用时（工作日，转送次日起算）；无答复时为 null")


class BusinessScoreOut(ScoreFiguresOut):
    business: int
    name: str
    credit_code: str
    state: str
    state_label: str
    commitments: list[str]
    grade: str | None = Field(description="excellent / good / fair / poor；期间内无已结束件时为 null")
    grade_label: str


class GradeRuleOut(Schema):
    grade: str
    label: str
    min_settlement_rate: float
    max_late_share: float


class ScorecardOut(Schema):
    period: str
    label: str
    start: str
    end: str
    businesses: list[BusinessScoreOut]
    bureau: ScoreFiguresOut
    grades: list[GradeRuleOut]


@router.get("/odr/scorecard", response={200: ScorecardOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut},
            summary="ODR企业先行和解成绩单（按月或按年）")
def odr_scorecard(request, month: str | None = None, year: str | None = None):
    if not may_see_scorecard(request.user):
        raise NotPermitted("ODR企业成绩单只对消保股、局领导和审计员开放。")
    return Status(200, scorecard(parse_period(month, year)))
