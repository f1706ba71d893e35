"""Audit trail endpoints of API v1: auditors and administrators only (rules 三.5, 三.6)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema, Status

from xiaobao.records import checkpoints
from xiaobao.records.audit import record, verify
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Role

from .schemas import ErrorOut, ObjectId, PageNumber, PageSize, ValidationOut

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: str
    actor: str | None
    action: str
    object: str
    case: int | None
    detail: dict[str, Any] = Field(description="该记录的细节（随操作而定）")


class AuditListOut(Schema):
    count: int
    results: list[AuditEntryOut]


class VerifyOut(Schema):
    ok: bool
    rows: int
    first_bad_row: int | None = None
    reason: str | None = None
    truncated: dict[str, Any] | None = Field(None, description="截断的情况（若有）")
    archived_years: list[int] = Field(default_factory=list, description="已卸下归档、按归档记录衔接的年度")
    archived_rows: int = Field(0, description="这些年度的审计记录行数（计入 rows）")


def _may_read(user) -> bool:
    return user.has_role(Role.AUDITOR, Role.ADMIN)


@router.get("", response={200: AuditListOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut}, summary="查询审计记录")
def audit_list(request, case: ObjectId | None = None, actor: str | None = None, action: str | None = None,
               page: PageNumber = 1, page_size: PageSize = 100):
    if not _may_read(request.user):
        return Status(403, {"error": "只有审计员和系统管理员可以查看审计记录。"})
    qs = AuditEntry.objects.order_by("-id")
    if case is not None:
        qs = qs.filter(case_id=case)
    if actor:
        qs = qs.filter(actor_name=actor)
    if action:
        qs = qs.filter(action=action)
    page_size = min(page_size, 500)
    rows = qs[(page - 1) * page_size: page * page_size]
    # A reward's audit rows say who read or changed it; what they hold (amounts, the payee) is 工作秘密 and shown
    # to the auditor alone, not to administrators (API-v1.md, "Report rewards").
    hidden = not request.user.has_role(Role.AUDITOR)
    results = [{"id": e.pk, "at": e.at.isoformat(), "actor": e.actor_name or None, "action": e.action,
                "object": e.object, "case": e.case_id,
                "detail": {"redacted": "工作秘密"} if hidden and e.action.startswith("reward") else e.detail}
               for e in rows]
    # Reading the trail is itself recorded: who looked at whom.
    record(actor=request.user, action="read_audit", obj="audit", case_id=case,
           detail={"filters": {"case": case, "actor": actor, "action": action}})
    return Status(200, {"count": qs.count(), "results": results})


@router.get("/verify", response={200: VerifyOut, 401: ErrorOut, 403: ErrorOut}, summary="校验审计链")
def audit_verify(request):
    if not _may_read(request.user):
        return Status(403, {"error": "只有审计员和系统管理员可以校验审计记录。"})
    try:
        marks = checkpoints.read()
        years = checkpoints.read_years()
    except checkpoints.CheckpointError as e:
        return Status(200, {"ok": False, "rows": 0, "reason": str(e)})
    return Status(200, verify(marks, years))
