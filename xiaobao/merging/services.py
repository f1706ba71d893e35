"""并案 (merge, unmerge) and 重复举报不予处理 (repeat_report): one service function per action, built from the
spine's steps (cases.services: lock, check, move; each change one timeline line and one audit row).

A merged item follows its primary: `follow_primary` hears each move of a primary (cases.actions.on_event) and
moves the items merged into it along, concluding them with it — same outcome and ground, each item keeping its
own amount and starting its own reply clock for its own filer (rules 二.4)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xiaobao.cases import services as cs
from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.cases.lifecycle import UNIT_STAFF, Transition
from xiaobao.cases.models import Case, Event, Kind, Outcome, State
from xiaobao.cases.present import action_label
from xiaobao.cases.selectors import visible_cases
from xiaobao.clocks import services as clocks
from xiaobao.lib import timeutil
from xiaobao.units.models import Role, Staff

from .models import Merge
from .selectors import DONE, merging_of, open_merge, same_filer

# No article of the 2026 rules is quoted in the project's data for either duty: they are cited by the rules'
# title and the duty (DOMAIN.md, "The 2026 national rules"), which is how the notices print them.
MERGE_BASIS = "《市场监督管理投诉举报处理办法》（同一事项多件投诉举报并案处理）"
REPEAT_BASIS = "《市场监督管理投诉举报处理办法》（重复举报）"

MERGEABLE = frozenset({"complaint", "report"})
OPEN_STATES = frozenset({State.REGISTERED, State.TRIAGE, State.ASSIGNED, State.IN_PROGRESS})

TRANSITIONS = {t.action: t for t in [
    # Dispatchers bureau-wide, or the unit holding both items (checked in merge()).
    Transition("merge", "并案", MERGEABLE, OPEN_STATES, frozenset({Role.DISPATCHER, *UNIT_STAFF}), "unit",
               MERGE_BASIS),
    Transition("unmerge", "撤销并案", MERGEABLE, OPEN_STATES | {State.PENDING_APPROVAL},
               frozenset({Role.DISPATCHER, *UNIT_STAFF}), "unit", MERGE_BASIS),
    Transition("repeat_report", "重复举报不予处理", frozenset({Kind.REPORT}), frozenset({State.TRIAGE}),
               frozenset({Role.DISPATCHER}), "bureau", REPEAT_BASIS),
]}

# Timeline lines of this family that are not actions of their own.
LABELS = {"follow_primary": "随主件流转", "conclude_with_primary": "随主件办结", "merged_in": "他件并入",
          "merged_out": "他件撤销并案", "repeated_by": "被重复举报"}


def _text(v: Any) -> str:
    return str(v).strip() if v is not None else ""


def _yes(v: Any) -> bool:
    return v is True or _text(v).lower() in ("true", "on", "1", "yes")


def _target(actor: Staff, value: Any, field: str, label: str) -> Case:
    """The item named by `value` (its id, or its number as people write it) among those the actor may see;
    404 otherwise, as for any item the actor may not see."""
    text = _text(value)
    if not text:
        raise Invalid([{"field": field, "message": f"请填写{label}（编号）。"}])
    qs = visible_cases(actor)
    found = qs.filter(pk=int(text)).first() if text.isdigit() else qs.filter(number=text.upper()).first()
    if found is None:
        raise NotFound(f"未找到{label} {text}，或您无权查看。")
    return found


def _code(unit) -> str | None:
    """The unit an item moves to, on the line that moves it (as assign and return write it)."""
    return unit.code if unit is not None else None


def _lock(case_id: int) -> Case:
    return (Case.objects.select_for_update(of=("self",))
            .select_related("rule_set", "complainant", "unit", "handler").get(pk=case_id))


@transaction.atomic
def merge(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "merge")
    cs._require(body, "reason")
    primary = _target(actor, body.get("into"), "into", "主件")
    if primary.pk == case.pk:
        raise Invalid([{"field": "into", "message": "不能并入本件自身，请填写主件的编号。"}])
    primary = _lock(primary.pk)
    if primary.kind != case.kind:
        raise Invalid([{"field": "into", "message": f"{primary.number} 是{primary.get_kind_display()}件："
                        f"{case.get_kind_display()}只能并入{case.get_kind_display()}。"}])
    if not actor.has_role(Role.DISPATCHER) and primary.unit_id != actor.unit_id:
        raise NotPermitted("只有消保股分流员，或同时承办两件的单位，可以并案。")
    if primary.state in DONE:
        raise WrongState(f"主件 {primary.number} 已办结，不能再并入；同一事项已办结的重复举报请按“重复举报不予处理”。",
                         state=case.state)
    if (upper := open_merge(primary)) is not None:
        raise WrongState(f"{primary.number} 已并入 {upper.into.number}，请并入主件 {upper.into.number}。", state=case.state)
    if (linked := Merge.objects.filter(into=case, undone_at__isnull=True).count()):
        raise WrongState(f"已有 {linked} 件并入本件：本件只能作为主件，不能再并入其他件。", state=case.state)
    consent = None
    if case.kind == Kind.COMPLAINT and not same_filer(case, primary):
        # Complaints of different consumers are handled jointly only with their consent (DOMAIN.md, 并案).
        if not _yes(body.get("consent")):
            raise Invalid([{"field": "consent", "message": "不同消费者的投诉合并处理须经投诉人同意：请取得同意后勾选“投诉人已同意合并处理”。"}])
        consent = True
    reason = _text(body["reason"])
    met = list(case.clocks.filter(met_on__isnull=True).order_by("id").values_list("name", flat=True))
    Merge.objects.create(case=case, into=primary, reason=reason, consent=consent, merged_at=timeutil.now(),
                         merged_by=actor, before_state=case.state, before_unit=case.unit,
                         before_handler=case.handler, met_clocks=met)
    clocks.settle(case)
    cs._move(case, actor, "merge", primary.state, note=reason,
             data={"into": primary.pk, "into_number": primary.number, "consent": consent, "met_clocks": met,
                   "unit": _code(primary.unit)},
             unit=primary.unit, handler=primary.handler, routed_at=case.routed_at or primary.routed_at)
    cs._event(primary, actor, "merged_in", from_state=primary.state, to_state=primary.state,
              note=f"{case.number} 并入本件：{reason}", data={"case": case.pk, "number": case.number,
                                                           "consent": consent})
    return case


@transaction.atomic
def unmerge(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "unmerge")
    cs._require(body, "reason")
    found = open_merge(case)
    if found is None:
        raise WrongState("该件没有并入其他件。", state=case.state)
    merge_row = Merge.objects.select_for_update(of=("self",)).select_related("into", "before_unit").get(pk=found.pk)
    primary, reason = merge_row.into, _text(body["reason"])
    # The clocks the merge met run again with their own due dates: the time merged is not given back.
    case.clocks.filter(name__in=merge_row.met_clocks).update(met_on=None, settled=None)
    cs._move(case, actor, "unmerge", merge_row.before_state, note=reason,
             data={"into": primary.pk, "into_number": primary.number, "reopened_clocks": merge_row.met_clocks,
                   "unit": _code(merge_row.before_unit)},
             unit=merge_row.before_unit, handler=merge_row.before_handler)
    clocks.recompute(case)
    merge_row.undone_at, merge_row.undone_by, merge_row.undo_reason = timeutil.now(), actor, reason
    merge_row.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    cs._event(primary, actor, "merged_out", from_state=primary.state, to_state=primary.state,
              note=f"{case.number} 撤销并案：{reason}", data={"case": case.pk, "number": case.number})
    return case


@transaction.atomic
def repeat_report(*, actor: Staff, case_id: int, body: dict) -> Case:
    case = cs._lock(actor, case_id)
    cs._check(actor, case, "repeat_report")
    cs._require(body, "reason")
    earlier = _target(actor, body.get("of"), "of", "已办结的举报")
    if earlier.pk == case.pk or earlier.kind != Kind.REPORT:
        raise Invalid([{"field": "of", "message": "请填写本件所重复的另一件举报的编号。"}])
    if earlier.state not in DONE:
        raise WrongState(f"举报 {earlier.number} 尚未办结：重复举报不予处理须在该事项办结之后；尚在办理的同一事项可并案。",
                         state=case.state)
    reason = _text(body["reason"])
    # Concluded as such; a named reporter who asked for a reply is told, with the rule cited (举报处理结果告知书).
    cs._conclude(case, actor, "repeat_report", Outcome.REPEAT_NOT_HANDLED, note=reason,
                 data={"of": earlier.pk, "of_number": earlier.number, "of_outcome": earlier.outcome,
                       "basis": REPEAT_BASIS})
    cs._event(earlier, actor, "repeated_by", from_state=earlier.state, to_state=earlier.state, notifies=False,
              note=f"{case.number} 重复举报本事项，不予处理", data={"case": case.pk, "number": case.number})
    return case


def follow_primary(event: Event) -> None:
    """Move the items merged into an item along with it (cases.actions.on_event): they show its state and unit,
    and are concluded with it."""
    if event.from_state == event.to_state or not event.to_state:
        return
    merges = list(Merge.objects.filter(into_id=event.case_id, undone_at__isnull=True)
                  .exclude(case__state__in=DONE).order_by("case_id").values_list("case_id", flat=True))
    if not merges:
        return
    primary = event.case
    for case_id in merges:
        case = _lock(case_id)
        if primary.state == State.CONCLUDED:
            outcome = primary.get_outcome_display() or ""
            cs._conclude(case, event.actor, "conclude_with_primary", primary.outcome,
                         note=f"随主件 {primary.number} 办结：{outcome}",
                         data={"primary": primary.pk, "primary_number": primary.number,
                               **({"ground": primary.ground} if primary.ground else {})},
                         ground=primary.ground, unit=primary.unit, handler=primary.handler)
        elif primary.state != State.ARCHIVED:
            cs._move(case, event.actor, "follow_primary", primary.state,
                     note=f"随主件 {primary.number}：{action_label(event.action)}",
                     data={"primary": primary.pk, "primary_number": primary.number, "action": event.action,
                           "unit": _code(primary.unit)},
                     unit=primary.unit, handler=primary.handler, routed_at=case.routed_at or primary.routed_at)


ACTIONS = {"merge": merge, "unmerge": unmerge, "repeat_report": repeat_report}
PRECONDITIONS = {
    # A primary with items merged into it does not merge itself; an item merged is undone, not merged again.
    "merge": lambda case: not merging_of(case)[1],
    "unmerge": lambda case: merging_of(case)[0] is not None,
}
