"""举报奖励 (API-v1.md, "Report rewards"): assess, read and move a report's reward. 工作秘密: rewards.services
decides who may see it (404 for everyone else) and audits every read and write."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema, Status

from xiaobao.rewards import services

from .schemas import TEXT, ErrorOut, ValidationOut

router = Router(tags=["举报奖励"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationOut}


class JointReporterIn(Schema):
    """One other signer of a joint report (联名举报), as named in the report."""

    model_config = TEXT

    name: str | None = Field(None, description="姓名（与举报中的署名一致）")
    id_number: str | None = Field(None, description="证件号码")
    natural_person: bool | None = None
    not_staff: bool | None = None
    not_infringed_party: bool | None = None
    not_violator: bool | None = None


class JointAccountIn(Schema):
    """The account of one other signer of a joint report, in that signer's own name."""

    model_config = TEXT

    account_bank: str | None = None
    account_number: str | None = None
    account_name: str | None = None
    reference: str | None = None


class RewardIn(Schema):
    model_config = TEXT

    level: int | None = Field(None, description="奖励等级 1、2、3")
    fines: str | None = Field(None, description="罚没款（罚款和没收金额合计），如 12000.00")
    conditions: dict[str, bool] | None = Field(None, description="四项条件的认定：条件代码 → 是否满足")
    # Optional: the reporter's eligibility as checked (natural_person, not_staff, not_infringed_party, not_violator)
    reporter: dict[str, bool] | None = Field(None, description="举报人资格的核查：项目 → 是否符合")
    evidence: str | None = Field(None, description="条件依据与证据")
    # Addition: a joint report's other signers (at most 10), who share the one reward with the first.
    joint_reporters: list[JointReporterIn] | None = Field(
        None, description="联名举报的其他署名人（第一署名人为举报人本人），共享一份奖励")


class RewardActionIn(Schema):
    model_config = TEXT

    channel: str | None = None
    note: str | None = None
    # apply: the payee, and an anonymous reporter's proof of identity
    payee_name: str | None = None
    payee_id_number: str | None = None
    reward_code: str | None = None
    reward_password: str | None = None
    # approve
    finance: str | None = None
    # pay: non-cash, to an account in the reporter's own name
    method: str | None = None
    account_bank: str | None = None
    account_number: str | None = None
    account_name: str | None = None
    reference: str | None = None
    # pay, a joint reward: the other signers' accounts, in the order of joint_reporters
    joint_accounts: list[JointAccountIn] | None = None


class RewardClockOut(Schema):
    name: str
    label: str
    state: str
    state_label: str
    start: str
    due: str
    length: int
    unit: str
    met_on: str | None
    days_left: int | None
    basis: str


class RewardApprovalOut(Schema):
    role: str
    by: str
    name: str
    on: str
    note: str


class RewardReporterOut(Schema):
    anonymous: bool
    wants_reward: bool


class RewardPaymentOut(Schema):
    paid_on: str
    method: str
    account_bank: str
    account_number: str
    account_name: str
    reference: str
    payment_number: str


class RewardShareAccountOut(Schema):
    account_bank: str
    account_number: str
    account_name: str
    reference: str


class RewardShareOut(Schema):
    name: str
    id_number: str | None = Field(description="证件号码（无权查看举报人身份者只见部分）")
    first: bool
    amount: str
    account: RewardShareAccountOut | None


class RewardOut(Schema):
    """A report's reward (工作秘密), as its named roles see it (API-v1.md "Report rewards")."""

    case: int
    number: str
    level: int | None
    fines: str
    rate: str
    rate_percent: str
    floor: str
    amount: str
    finance_required: bool
    large_amount: bool
    state: str
    state_label: str
    rules: str
    conditions: dict[str, Any] = Field(description="四项条件的认定（条件代码 → 是否满足）")
    evidence: str
    closed_on: str
    reporter: RewardReporterOut
    clocks: list[RewardClockOut]
    approval_number: str | None
    approvals: list[RewardApprovalOut]
    payee_name: str | None
    payment: RewardPaymentOut | None
    lapsed_on: str | None
    joint: bool = Field(description="联名举报：各署名人共享一份奖励")
    shares: list[RewardShareOut] = Field(description="联名举报的各署名人份额（第一署名人在前）；单人举报为空")
    actions: list[str]


@router.post("/cases/{case_id}/reward", response={201: RewardOut, **ERRORS}, summary="认定举报奖励")
def assess(request, case_id: int, payload: RewardIn):
    case, reward = services.assess(actor=request.user, case_id=case_id, body=payload.model_dump())
    return Status(201, services.view(request.user, case, reward))


@router.get("/cases/{case_id}/reward", response={200: RewardOut, **ERRORS}, summary="查看举报奖励")
def read(request, case_id: int):
    case, reward = services.get(request.user, case_id)
    return Status(200, services.view(request.user, case, reward))


@router.post("/cases/{case_id}/reward/actions/{action}", response={200: RewardOut, **ERRORS},
             summary="举报奖励的告知、申请、审批、发放、逾期")
def act(request, case_id: int, action: str, payload: RewardActionIn):
    body = {k: v for k, v in payload.model_dump().items() if v is not None} if payload else {}
    case, reward = services.act(actor=request.user, case_id=case_id, action=action, body=body)
    return Status(200, services.view(request.user, case, reward))
