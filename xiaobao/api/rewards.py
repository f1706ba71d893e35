"""举报奖励 (API-v1.md, "Report rewards"): assess, read and move a report's reward. 工作秘密: rewards.services
decides who may see it (404 for everyone else) and audits every read and write."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from xiaobao.rewards import services

from .schemas import ErrorOut, ValidationOut

router = Router(tags=["举报奖励"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationOut}


class RewardIn(Schema):
    level: Any = None
    fines: Any = None  # 罚没款: fines and confiscations, "12000.00"
    conditions: dict[str, Any] | None = None
    # Optional: the reporter's eligibility as checked (natural_person, not_staff, not_infringed_party, not_violator)
    reporter: dict[str, Any] | None = None
    evidence: Any = None


class RewardActionIn(Schema):
    channel: Any = None
    note: Any = None
    # apply: the payee, and an anonymous reporter's proof of identity
    payee_name: Any = None
    payee_id_number: Any = None
    reward_code: Any = None
    reward_password: Any = None
    # approve
    finance: Any = None
    # pay: non-cash, to an account in the reporter's own name
    method: Any = None
    account_bank: Any = None
    account_number: Any = None
    account_name: Any = None
    reference: Any = None


@router.post("/cases/{case_id}/reward", response={201: dict[str, Any], **ERRORS}, summary="认定举报奖励")
def assess(request, case_id: int, payload: RewardIn):
    case, reward = services.assess(actor=request.user, case_id=case_id, body=payload.model_dump())
    return Status(201, services.view(request.user, case, reward))


@router.get("/cases/{case_id}/reward", response={200: dict[str, Any], **ERRORS}, summary="查看举报奖励")
def read(request, case_id: int):
    case, reward = services.get(request.user, case_id)
    return Status(200, services.view(request.user, case, reward))


@router.post("/cases/{case_id}/reward/actions/{action}", response={200: dict[str, Any], **ERRORS},
             summary="举报奖励的告知、申请、审批、发放、逾期")
def act(request, case_id: int, action: str, payload: RewardActionIn | None = None):
    body = {k: v for k, v in payload.model_dump().items() if v is not None} if payload else {}
    case, reward = services.act(actor=request.user, case_id=case_id, action=action, body=body)
    return Status(200, services.view(request.user, case, reward))
