"""The lifecycle of DOMAIN.md as one table: which action moves which kind from which state, and who may.

`scope` says where the actor must stand: "bureau" for 消保股 and leadership roles acting bureau-wide,
"unit" for staff of the unit that currently holds the item (消保股's dispatchers act bureau-wide where the
table lists them), "invited" for staff of a section invited to the item's open joint consultation.
The cross-cutting actions at the end change no state (except reopen); their functions are in
xiaobao.handling.services.
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
    scope: str  # "bureau", "unit", or "invited" (a unit invited to the item's open joint consultation)
    basis: str = ""


def _t(action, label, kinds, sources, roles, scope, basis=""):
    return Transition(action, label, frozenset(kinds), frozenset(sources), frozenset(roles), scope, basis)


TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("submit_for_triage", "提交分流", ALL_KINDS, {"registered"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.1"),
    _t("keep", "本单位直接办理", ALL_KINDS, {"registered"}, UNIT_STAFF, "unit", "规则 一.3（2）"),
    _t("assign", "分派", ALL_KINDS, {"triage"}, {Role.DISPATCHER}, "bureau", "规则 二.1（1）（2）"),
    _t("approve", "批准", ALL_KINDS, {"pending_approval"}, {Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD},
       "bureau", "规则 二.1（2）、二.2；《市场监督管理行政处罚程序规定》第十八条"),
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
    _t("file", "立案", {"report"}, {"in_progress"}, UNIT_STAFF, "unit",
       "规则 二.2；《市场监督管理行政处罚程序规定》第十八条"),
    _t("decline_filing", "拟不予立案", {"report"}, {"in_progress"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("answer", "答复咨询", {"inquiry"}, {"registered", "triage", "assigned"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 一.1（2）"),
    _t("reply", "回复当事人", ALL_KINDS, {"concluded"}, {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.4"),
    _t("archive", "归档", ALL_KINDS, {"concluded"}, {Role.ARCHIVIST}, "bureau", "规则 二.7"),
    # Cross-cutting actions (DOMAIN.md "Lifecycle", last paragraph).
    # Inquiries too: a 12345 work order is signed whatever its kind (API-v1.md "12345 hotline work orders").
    _t("sign", "签收", ALL_KINDS, {"assigned"}, UNIT_STAFF, "unit", "规则 一.3（1）"),
    _t("record_contact", "联系记录", ALL_KINDS, {"assigned", "in_progress", "concluded"}, UNIT_STAFF, "unit",
       "规则 一.3（1）"),
    _t("supervise", "督办", {"complaint", "report"}, {"assigned", "in_progress"}, {Role.DISPATCHER}, "bureau",
       "规则 一.1（3）"),
    _t("answer_supervision", "答复督办", {"complaint", "report"}, {"assigned", "in_progress", "concluded"},
       UNIT_STAFF, "unit", "规则 一.1（3）"),
    _t("open_consultation", "发起会商", {"complaint", "report"}, {"assigned", "in_progress"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 一.2"),
    _t("give_opinion", "会商意见", {"complaint", "report"}, {"assigned", "in_progress"}, UNIT_STAFF, "invited",
       "规则 一.2"),
    _t("conclude_consultation", "会商结论", {"complaint", "report"}, {"assigned", "in_progress"}, UNIT_STAFF,
       "unit", "规则 一.2"),
    _t("request_visit", "要求现场处置", {"complaint", "report"}, {"assigned", "in_progress"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.5"),
    _t("record_visit", "现场处置记录", {"complaint", "report"}, {"assigned", "in_progress"}, UNIT_STAFF, "unit",
       "规则 二.5"),
    _t("follow_up", "回访", {"complaint", "report"}, {"concluded"}, {Role.DISPATCHER, *UNIT_STAFF}, "unit",
       "规则 二.4"),
    _t("reopen", "重新办理", {"complaint", "report"}, {"concluded"}, {Role.DISPATCHER, *UNIT_STAFF}, "unit",
       "回访不满意，重新办理"),
    _t("request_id", "要求补充身份证明", {"complaint"}, {"assigned", "in_progress"}, UNIT_STAFF, "unit",
       "SAMR-2026 第十条"),
    _t("receive_id", "收到身份证明", {"complaint"}, {"assigned", "in_progress", "concluded"}, UNIT_STAFF, "unit",
       "SAMR-2026 第十条"),
    _t("split", "拆分出举报", {"complaint"}, {"registered", "triage"}, {Role.DISPATCHER}, "bureau",
       "DOMAIN：既投诉又举报的拆分为两件"),
    _t("open_report", "诉转案", {"complaint"}, {"in_progress", "concluded"}, UNIT_STAFF, "unit",
       "DOMAIN：诉转案"),
    # Notices to named people (rules 二.2, 二.4), sent by whoever may see the person (xiaobao.handling.services).
    _t("send_notice", "告知当事人", {"complaint", "report"}, {"in_progress", "concluded"},
       {Role.DISPATCHER, *UNIT_STAFF}, "unit", "规则 二.2、二.4"),
    # The handler's workspace (xiaobao.mediation): mediation sessions, entrusted mediation, verification
    # records, and the 处罚决定书 of a filed report, uploaded by the unit and archived by 消保股.
    _t("record_session", "调解记录", {"complaint"}, {"in_progress"}, UNIT_STAFF, "unit", "规则 二.4"),
    _t("entrust", "委托调解", {"complaint"}, {"in_progress"}, UNIT_STAFF, "unit",
       "投诉人同意委托消协或调解组织调解（SAMR-2026 投诉登记表）"),
    _t("entrusted_result", "委托调解结果", {"complaint"}, {"in_progress"}, UNIT_STAFF, "unit",
       "受托调解组织反馈调解结果"),
    _t("record_verification", "核查记录", {"report"}, {"in_progress"}, UNIT_STAFF, "unit", "规则 二.2"),
    _t("upload_penalty_decision", "上报处罚决定书", {"report"}, {"concluded"}, UNIT_STAFF, "unit", "规则 二.4"),
    _t("archive_penalty_decision", "处罚决定书存档", {"report"}, {"concluded"}, {Role.DISPATCHER}, "bureau",
       "规则 二.4"),
]}
