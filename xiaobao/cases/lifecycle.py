"""The lifecycle of DOMAIN.md as one table: which action moves which kind from which state, and who may.

`scope` says where the actor must stand: "bureau" for 消保股 and leadership roles acting bureau-wide,
"unit" for staff of the unit that currently holds the item.
"""

from __future__ import annotations

from dataclasses import dataclass

from xiaobao.units.models import Role

ALL_KINDS = frozenset({"complaint", "report", "inquiry"})
UNIT_STAFF = frozenset({Role.HANDLER, Role.UNIT_LEADER})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    kinds: frozenset[str]
    sources: frozenset[str]
    roles: frozenset[str]
    scope: str  # "bureau" or "unit"
    basis: str = ""


def _t(action, label, kinds, sources, roles, scope, basis=""):
    return Transition(action, label, frozenset(kinds), frozenset(sources), frozenset(roles), scope, basis)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("submit_for_triage", "提交分流", ALL_KINDS, {"registered"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.1"),
    _t("keep", "本单位直接办理", ALL_KINDS, {"registered"}, UNIT_STAFF, "unit", "规则 一.3（2）"),
    _t("assign", "分派", ALL_KINDS, {"triage"}, {Role.DISPATCHER}, "bureau", "规则 二.1（1）（2）"),
    _t("approve", "批准", ALL_KINDS, {"pending_approval"}, {Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD},
       "bureau", "规则 二.1（2）、二.2"),
    _t("reject_approval", "退回重审", ALL_KINDS, {"pending_approval"}, {Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD},
       "bureau", "规则 二.1（2）、二.2"),
    _t("return", "退回消保股", ALL_KINDS, {"assigned"}, UNIT_STAFF, "unit", "DOMAIN：不属本单位管辖的退回"),
    _t("accept", "受理", {"complaint"}, {"assigned"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("not_accept", "不予受理", {"complaint"}, {"assigned"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("refer_elsewhere", "告知他部门", ALL_KINDS, {"triage", "assigned"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.2 末段"),
    _t("pause", "中止计时", {"complaint", "report"}, {"assigned", "in_progress"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("resume", "恢复计时", {"complaint", "report"}, {"assigned", "in_progress"}, UNIT_STAFF, "unit",
       "规则 二.2"),
    _t("change_tier", "调整等级", {"complaint"}, {"assigned", "in_progress"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.4"),
    _t("mediate", "调解结果", {"complaint"}, {"in_progress"}, UNIT_STAFF, "unit", "规则 二.4"),
    _t("begin_verification", "开始核查", {"report"}, {"assigned"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("file", "立案", {"report"}, {"in_progress"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("decline_filing", "拟不予立案", {"report"}, {"in_progress"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("answer", "答复咨询", {"inquiry"}, {"registered", "triage", "assigned"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 一.1（2）"),
    _t("reply", "回复当事人", ALL_KINDS, {"concluded"}, {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.4"),
    _t("archive", "归档", ALL_KINDS, {"concluded"}, {Role.ARCHIVIST}, "bureau", "规则 二.7"),
]}
