"""The mediation cap enforced (rules 二.2, 二.4; SAMR-2026 第二十三条): mediation ends within 60 days of acceptance,
testing and appraisal time excluded (which pauses stop the cap is rule-set data, RuleSet.pause_stops). Past
the cap the only way on is to terminate mediation on the rule set's time-limit ground (RuleSet.cap_ground);
before the cap that ground is refused. The warnings ahead of the cap are sent by the daily clock scan
(xiaobao.notify.overdue.warn_before_cap)."""

from __future__ import annotations

from datetime import date

from xiaobao.cases.errors import WrongState
from xiaobao.cases.models import Case, Outcome
from xiaobao.clocks import services as clocks

OUTCOMES = {"agreed": "达成调解协议", "withdrawn": "以撤回投诉结案"}


def cap_due(case: Case, *, on: date | None = None) -> date | None:
    """The item's mediation cap as of `on`: its last day, or None for an item never accepted."""
    return clocks.due_now(case, "mediation_cap", on=on)


def _time_limit(case: Case) -> dict | None:
    code = case.rule_set.cap_ground()
    return case.rule_set.ground(Outcome.MEDIATION_TERMINATED, code) if code else None


def check_outcome(case: Case, *, result: str, ground: str, on: date | None = None) -> None:
    """Refuse (409) a mediation outcome the cap does not allow on `on` (today)."""
    on = on or clocks.today()
    due = cap_due(case, on=on)
    limit = _time_limit(case)
    if due is None or limit is None:
        return
    if result == "terminated" and ground == limit["code"]:
        if on <= due:
            raise WrongState(f"调解终结期限 {due:%Y-%m-%d} 尚未届满，不能以“{limit['text']}”终止调解"
                             f"（{limit['basis']}）。", state=case.state, cap_due=due.isoformat())
        return
    if on > due and result in (*OUTCOMES, "terminated"):
        what = OUTCOMES.get(result, "以其他理由终止调解")
        raise WrongState(f"调解终结期限已于 {due:%Y-%m-%d} 届满（检测、鉴定时间已扣除），不能再{what}；"
                         f"只能以“{limit['text']}”终止调解（{limit['basis']}）。",
                         state=case.state, cap_due=due.isoformat())


def check_session(case: Case, *, held_on: date) -> None:
    """No mediation session after the cap (rules 二.2: 60日内终结调解)."""
    due = cap_due(case, on=held_on)
    if due is not None and held_on > due:
        raise WrongState(f"调解终结期限已于 {due:%Y-%m-%d} 届满，不能再组织调解，应当终止调解。", state=case.state,
                         cap_due=due.isoformat())
