"""Archiving an item and revealing a masked identity. Both write the audit trail in their transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xiaobao.cases import services as case_services
from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.cases.models import Case, Kind, State
from xiaobao.cases.selectors import get_visible_case, party_view, sees_identity
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff

from . import classification as classes
from .models import ArchiveRecord, Retention

NOT_FOUND = "未找到该件，或您无权查看。"


def _text(v) -> str:
    return str(v).strip() if isinstance(v, str | int | float) else ""


def default_retention(kind: str) -> Retention | None:
    for r in Retention.objects.all():
        if kind in (r.default_for or []):
            return r
    return Retention.objects.order_by("sort").last()


def archive_number(case: Case, year: int, sequence: int) -> str:
    return f"{year}-{classes.NUMBER_PREFIX[case.kind]}-{sequence:04d}"


@transaction.atomic
def archive_item(*, actor: Staff, case_id: int, classification: str, retention: str, location: str = "",
                 note: str = "") -> ArchiveRecord:
    """归档 (rules 二.7): number the concluded item in its class and retention, then move it to archived.

    The lifecycle's own archive transition checks role and state again and writes the timeline event and
    the audit row; the record, the number and the state change commit together or not at all."""
    if get_visible_case(actor, case_id) is None:
        raise NotFound(NOT_FOUND)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    if not actor.has_role(Role.ARCHIVIST):
        raise NotPermitted("只有档案管理员可以归档。")
    if case.state != State.CONCLUDED:
        label = State(case.state).label
        raise WrongState(f"该件当前状态为“{label}”，只有已办结的件才能归档。", state=case.state)
    classification, retention, location, note = (_text(classification), _text(retention), _text(location),
                                                 _text(note))
    errors = []
    if not classes.fits(case, classification):
        allowed = "、".join(f"{c}（{lb}）" for c, lb in classes.classes() if classes.fits(case, c))
        errors.append({"field": "classification", "message": f"请选择该件的归档分类：{allowed}。"})
    period = Retention.objects.filter(code=retention).first()
    if period is None:
        codes = "、".join(f"{r.code}（{r.label}）" for r in Retention.objects.all())
        errors.append({"field": "retention", "message": f"请选择保管期限：{codes}。"})
    if errors:
        raise Invalid(errors)
    now = timeutil.now()
    year = timezone.localdate(now).year
    number = archive_number(case, year, case_services.next_number(f"archive-{classes.NUMBER_PREFIX[case.kind]}",
                                                                   year))
    entry = ArchiveRecord.objects.create(case=case, number=number, classification=classification, retention=period,
                                         location=location, note=note, archived_by=actor, archived_at=now)
    summary = f"档号 {number}，{classes.label(classification)}，保管期限{period.label}"
    case_services.archive(actor=actor, case_id=case.pk,
                          body={"note": summary + (f"；{note}" if note else "")})
    return entry


def may_reveal(actor: Staff, case: Case) -> bool:
    """Who may ask to see a masked identity, giving a reason: the leadership, the archivist, and the staff
    of the unit handling a report (they see the reporter masked by default, rules 三.5)."""
    if sees_identity(actor, case) or actor.has_role(Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD, Role.ARCHIVIST):
        return True
    return (case.kind == Kind.REPORT and actor.has_role(Role.HANDLER, Role.UNIT_LEADER)
            and actor.unit_id is not None and actor.unit_id == case.unit_id)


def reveal_identity(*, actor: Staff, case_id: int, reason: str) -> dict:
    """The unmasked complainant or reporter, for a reason that goes into the audit trail."""
    case = get_visible_case(actor, case_id)
    if case is None:
        raise NotFound(NOT_FOUND)
    reason = _text(reason)
    if not reason:
        raise Invalid([{"field": "reason", "message": "请填写查看身份信息的理由。"}])
    if not may_reveal(actor, case):
        raise NotPermitted("您的角色不能查看该件投诉举报人的身份信息。")
    if case.complainant is None:
        raise WrongState("该件没有投诉举报人信息。", state=case.state)
    record(actor=actor, action="reveal_identity", obj=f"case:{case.pk}", case_id=case.pk,
           detail={"reason": reason[:500], "fields": ["complainant"]})
    return party_view(case.complainant, masked=False)


def archive_action(*, actor: Staff, case_id: int, body: dict) -> Case:
    """The lifecycle's `archive` action: every archived item gets its archive record and number (rules 二.7).
    Without a class or retention in the body, the item's suggested class and its kind's default period."""
    case = get_visible_case(actor, case_id)
    if case is None:
        raise NotFound(NOT_FOUND)
    retention = _text(body.get("retention")) or getattr(default_retention(case.kind), "code", "")
    archive_item(actor=actor, case_id=case_id, classification=_text(body.get("classification"))
                 or classes.suggested(case), retention=retention, location=_text(body.get("location")),
                 note=_text(body.get("note")))
    return Case.objects.get(pk=case_id)


# The archive action of the lifecycle table goes through the archive record (registered by ArchiveConfig.ready).
ACTIONS = {"archive": archive_action}
