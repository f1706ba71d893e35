"""The approver's side of an approval (rules 二.1(2), 二.2): which items wait for this user's decision, and what
each one asks — the unit it goes to, who proposed it and why.

The queue is built over the values of `Case.approval_kind` found among the waiting items, not over a list of
kinds: who decides a kind is the lifecycle's answer (`available_actions` offers `approve`), so a kind added by a
new family of actions (立案, a referral) appears in the queue of whoever may approve it without a change here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from xiaobao.units.models import Staff

from .models import Case, Event, State
from .selectors import visible_cases

# What each kind of approval asks, in the approver's words. A kind without a label here is still listed, under
# its code, so that nothing waits unseen.
KIND_LABELS = {
    "routing": "分流",  # reports and food or drug safety complaints (rules 二.1(2))
    "not_filed": "不予立案",  # rules 二.2
    "filing": "立案",  # 《市场监督管理行政处罚程序规定》第十八条
    "referral": "告知他部门",  # a report not filed here is approved as 不予立案 is (rules 二.2)
}

# Details a proposal may carry in its timeline line's data, shown beside its reason.
PROPOSAL_DETAILS = {"record": "书面记录", "authority": "告知的主管部门", "penalty_case_number": "立案编号"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind or "审批")


def approval_queue(user: Staff) -> QuerySet[Case]:
    """The items waiting for an approval that `user` may give, oldest received first."""
    from .services import available_actions

    pending = visible_cases(user).filter(state=State.PENDING_APPROVAL)
    # Who decides depends on the kind and, through its rule set, on the item: one item of each pair is asked.
    groups = pending.order_by().values_list("approval_kind", "rule_set_id").distinct()
    mine = Q(pk__in=[])
    for kind, rule_set_id in groups:
        sample = pending.filter(approval_kind=kind, rule_set_id=rule_set_id).select_related("rule_set").first()
        if sample is not None and any(t.action == "approve" for t in available_actions(user, sample)):
            mine |= Q(approval_kind=kind, rule_set_id=rule_set_id)
    return pending.filter(mine).order_by("received_at", "id")


def next_waiting(user: Staff, *, after: int | None = None) -> Case | None:
    """The next item of the user's approval queue (leaving out `after`, the one just decided)."""
    qs = approval_queue(user)
    if after is not None:
        qs = qs.exclude(pk=after)
    return qs.first()


def proposals(cases: list[Case]) -> dict[int, dict]:
    """For each item pending approval, what is asked: {case id: request} (see `request_of`)."""
    latest: dict[int, Event] = {}
    lines = (Event.objects.filter(case__in=[c.pk for c in cases], to_state=State.PENDING_APPROVAL)
             .select_related("actor", "actor__unit").order_by("at", "id"))
    for e in lines:
        latest[e.case_id] = e
    return {c.pk: request_of(c, latest.get(c.pk)) for c in cases}


def request_of(case: Case, line: Event | None) -> dict:
    """What an approval asks: its kind, the unit concerned (the unit proposed for a routing, otherwise the unit
    that proposes), and the proposal's line of the timeline — who, when, the reason given and its details."""
    routing = case.approval_kind == "routing"
    unit = case.approval_unit if routing else case.unit
    data = line.data if line is not None else {}
    return {
        "kind": case.approval_kind,
        "label": kind_label(case.approval_kind),
        "unit": unit,
        "unit_label": "分流至" if routing else "承办单位",
        "proposer": str(line.actor) if line is not None and line.actor else "",
        "proposer_unit": line.actor.unit if line is not None and line.actor else None,
        "at": timezone.localtime(line.at) if line is not None else None,
        "reason": line.note if line is not None else "",
        "details": [(label, data[key]) for key, label in PROPOSAL_DETAILS.items() if data.get(key)],
    }
