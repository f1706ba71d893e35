"""How an item looks to a given user: masked where needed, with clocks and timeline. Reading a person's
unmasked data is recorded in the audit trail (rules 三.5)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xiaobao.clocks import services as clocks
from xiaobao.clocks.models import ClockName
from xiaobao.records.audit import record
from xiaobao.units.models import Staff

from . import actions
from .lifecycle import TRANSITIONS
from .models import Case
from .selectors import agent_view, identity_fields, party_view, respondent_view, sees_identity

CLOCK_LABELS = dict(ClockName.choices)
EXTRA_LABELS = {"register": "登记", "issue_document": "制作文书", "deliver_document": "送达文书",
                "recompute_clocks": "重新计算期限", "attach": "上传附件", "import_update": "平台数据更新"}


def action_label(action: str) -> str:
    t = TRANSITIONS.get(action)
    return t.label if t else EXTRA_LABELS.get(action) or actions.label(action) or action


def clock_views(case: Case, *, on: date | None = None, of: list | None = None, cal=None) -> list[dict]:
    """The item's clocks as shown (`of`: these clocks, read already, and no pause: an item just registered,
    with the calendar `cal` they were computed with)."""
    on = on or clocks.today()
    stopped = clocks.stopped_now(case, list(case.pauses.all())) if of is None else frozenset()
    out = []
    # The running clocks with the nearest due date first: where a hotline's deadline stands beside a legal
    # one, the stricter shows first (DOMAIN.md "The 12345 hotline"), and of the national acceptance period and
    # the unit's own the earlier, the unit's own on the same day (clocks.services.beside); met clocks follow.
    secondary = clocks.beside(case.rule_set)
    rows = case.clocks.all() if of is None else of
    for c in sorted(rows, key=lambda c: (c.met_on is not None, c.due, c.name in secondary, c.pk)):
        out.append({
            "name": c.name, "label": CLOCK_LABELS.get(c.name, c.name), "start": c.start.isoformat(),
            "due": c.due.isoformat(), "state": clocks.state_of(c, paused=c.name in stopped, on=on),
            "provisional": c.provisional, "days_left": clocks.days_left(c, on=on, cal=cal), "length": c.length,
            "unit": c.unit, "basis": c.basis, "explanation": c.explanation,
            "met_on": c.met_on.isoformat() if c.met_on else None,
            # Closed after its due date (逾期完成), and whether the item's conclusion or archiving closed it
            # ("met" by the due date, "missed" after it: state "missed", 未按期; issue 18, point 2).
            "late": bool(c.met_on and c.met_on > c.due), "settled": c.settled,
        })
    return out


def clock_run_views(case: Case) -> list[dict]:
    """Runs replaced by a restart (xiaobao.clocks.models.ClockRun), oldest first."""
    return [{
        "name": r.name, "label": CLOCK_LABELS.get(r.name, r.name), "start": r.start.isoformat(),
        "due": r.due.isoformat(), "met_on": r.met_on.isoformat() if r.met_on else None,
        "unit_code": r.for_unit.code if r.for_unit else None,
        "unit_name": r.for_unit.name if r.for_unit else None, "superseded_on": r.superseded_on.isoformat(),
        "reason": r.reason, "explanation": r.explanation,
    } for r in case.clock_runs.select_related("for_unit")]


def _local(moment) -> tuple[str | None, str | None]:
    if moment is None:
        return None, None
    local = timezone.localtime(moment)
    return local.isoformat(), local.strftime("%Y-%m-%d %H:%M")


def event_views(case: Case) -> list[dict]:
    """The timeline in the order it was entered. `at` is when a line was entered; `occurred_at`, when the fact
    it records happened where the user said so (API-v1.md "Law enforced on actions"), else null."""
    return [{
        # Times in the bureau's zone (API-v1.md: ISO 8601 with offset, Asia/Shanghai).
        "at": timezone.localtime(e.at).isoformat(), "at_local": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
        "occurred_at": _local(e.occurred_at)[0], "occurred_at_local": _local(e.occurred_at)[1],
        "actor": e.actor.username if e.actor else None,
        "actor_name": str(e.actor) if e.actor else "公众", "action": e.action, "label": action_label(e.action),
        "from": e.from_state or None, "to": e.to_state or None, "note": e.note, "data": e.data,
    } for e in case.events.select_related("actor")]


def complainant_for(user: Staff, case: Case, *, audit: bool = True) -> dict | None:
    if case.complainant is None:
        return None
    masked = not sees_identity(user, case)
    view = party_view(case.complainant, masked=masked)
    if not masked and audit:
        record(actor=user, action="read_personal", obj=f"case:{case.pk}", case_id=case.pk,
               detail={"fields": ["complainant"]})
    return view


def identity_for(user: Staff, case: Case) -> dict:
    """The complainant and the agent as the user may see them; reading them unmasked is one audit row."""
    masked = not sees_identity(user, case)
    if not masked and (fields := identity_fields(case)):
        record(actor=user, action="read_personal", obj=f"case:{case.pk}", case_id=case.pk,
               detail={"fields": fields})
    return {"complainant": party_view(case.complainant, masked=masked),
            "agent": agent_view(case, masked=masked)}


def case_detail(user: Staff, case: Case) -> dict:
    from .services import available_actions

    links = [{"id": lk.target_id, "number": lk.target.number, "kind": lk.kind} for lk in
             case.links_out.select_related("target")]
    links += [{"id": lk.source_id, "number": lk.source.number, "kind": lk.kind} for lk in
              case.links_in.select_related("source")]
    return {
        **case_summary(user, case, audit=False),
        **identity_for(user, case),
        "external_id": case.external_id,
        "respondent": respondent_view(case.respondent),
        "facts": case.facts, "demand": case.demand,
        "amount": str(case.amount) if case.amount is not None else None,
        "amount_recovered": str(case.amount_recovered) if case.amount_recovered is not None else None,
        "ground": case.ground or None,
        "handler": case.handler.username if case.handler else None,
        "rule_set": case.rule_set.code,
        "consent_disclosure": case.consent_disclosure,
        "consent_entrusted_mediation": case.consent_entrusted_mediation,
        "pending_approval": {"kind": case.approval_kind,
                             "unit": case.approval_unit.code if case.approval_unit else None,
                             "approver": case.rule_set.approver_role(case.approval_kind) or None}
        if case.state == "pending_approval" else None,
        "links": links,
        "clocks": clock_views(case),
        "clock_runs": clock_run_views(case),
        "events": event_views(case),
        "actions": [t.action for t in available_actions(user, case)],
        **actions.fields(case),
    }


def case_summary(user: Staff, case: Case, *, audit: bool = False) -> dict:
    return {
        "id": case.pk, "number": case.number, "kind": case.kind, "channel": case.channel,
        "received_at": timezone.localtime(case.received_at).isoformat(), "state": case.state, "outcome": case.outcome,
        "unit": case.unit.code if case.unit else None, "tier": case.tier, "category": case.category or None,
        "returns_count": case.returns_count,
        "complainant": complainant_for(user, case, audit=audit),
        "respondent": respondent_view(case.respondent),
    }
