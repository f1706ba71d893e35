"""The bodies of the handler's workspace actions and of mediate/file (cases.bodies explains how they are declared
and checked)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from xiaobao.cases.bodies import Body, Required, Text, choice, one_of
from xiaobao.lib import timeutil

from .models import Entrustment, MediationSession, Remedy

OUTCOMES = ("agreed", "terminated", "withdrawn")


class MediateBody(Body):
    messages: ClassVar[dict[str, str]] = {
        "result": "调解结果应为 agreed（调解成功）、terminated（终止调解）或 withdrawn（撤回）。",
        "remedies": "约定事项应为 repair（修理）、replace（更换）、refund（退货退款）、compensation（赔偿损失）中的一项或几项。"}
    missing: ClassVar[dict[str, str]] = {"result": messages["result"]}

    result: one_of(*OUTCOMES) = Field(description="agreed 调解成功 · terminated 终止调解 · withdrawn 撤回")  # type: ignore[valid-type]
    amount_recovered: Text = Field(None, description="挽回金额（agreed），非负数字，如 800.00")
    agreement: Text = Field(None, description="调解协议内容（agreed）")
    remedies: list[choice(*Remedy.values)] | str | None = Field(  # type: ignore[valid-type]
        None, description="约定事项（agreed）：列表，或以逗号分隔")
    ground: Text = Field(None, description="终止调解的理由代码（terminated 时必填；GET /api/v1/rules/current）")
    reason: Text = None


class FileBody(Body):
    note: Text = None
    penalty_case_number: Text = Field(None, description="行政处罚案件编号")


class Recusal(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    staff: Text = Field(None, description="回避人员（用户名）")
    reason: Text = Field(None, description="回避理由")


class SessionBody(Body):
    messages: ClassVar[dict[str, str]] = {
        "mode": "调解方式应为 on_site（现场）或 remote（远程）。",
        "recusals": "回避应为列表，如 [{\"staff\": \"用户名\", \"reason\": \"理由\"}]。"}
    missing: ClassVar[dict[str, str]] = {"mode": messages["mode"]}

    mode: one_of(*MediationSession.Mode.values) = Field(description="on_site 现场 · remote 远程")  # type: ignore[valid-type]
    at: Text = Field(None, description="调解时间，ISO 8601（不晚于现在；默认现在）",
                     json_schema_extra={"format": "date-time", "pattern": timeutil.MOMENT_PATTERN})
    place: Text = None
    lead: Text = Field(None, description="主持人（用户名；默认本人）")
    staff: list[str] | str | None = Field(None, description="参加人员（用户名列表，或以逗号分隔）")
    parties: Text = None
    summary: Text = None
    recusals: list[Recusal] | None = Field(None, description="申明回避的人员")
    recused: Text = Field(None, description="申明回避的一名人员（网页表单）")
    recusal_reason: Text = None


class EntrustBody(Body):
    body: Required = Field(description="受托调解组织，如 曾都区消费者协会")
    consent: bool | str | None = Field(None, description="投诉人现在同意委托调解（登记时未同意的，须为 true）")
    note: Text = None


class EntrustedResultBody(Body):
    messages: ClassVar[dict[str, str]] = {"result": "委托调解结果应为 agreed（调解成功）或 failed（调解不成）。"}
    missing = messages

    result: one_of(*Entrustment.Result.values) = Field(description="agreed 调解成功 · failed 调解不成")  # type: ignore[valid-type]
    note: Text = None


class VerificationBody(Body):
    missing: ClassVar[dict[str, str]] = {"method": "请填写核查方式。", "findings": "请填写核查情况。"}

    method: Required = Field(description="核查方式")
    findings: Required = Field(description="核查情况")


class PenaltyDecisionBody(Body):
    missing: ClassVar[dict[str, str]] = {"attachment": "请先把处罚决定书作为附件上传到该件，再选择该附件。"}

    attachment: Required = Field(description="该件的附件编号（PDF）")
    number: Text = Field(None, description="处罚决定书文号")


class ArchivePenaltyBody(Body):
    decision: Text = Field(None, description="处罚决定书编号（缺省：待存档的那一份）")
    note: Text = None


class AssessPurposeBody(Body):
    """生活消费需要的考量因素 (SAMR-2026): what the function checks (positive whole numbers, the assessment's
    values, a reason for gain or extortion) it words itself."""

    goods: Text = Field(None, description="所购商品")
    quantity: int | str | None = Field(None, description="购买数量（正整数）")
    purchases: int | str | None = Field(None, description="期间内购买次数（正整数）")
    period_days: int | str | None = Field(None, description="期间天数（正整数）")
    assessment: Text = Field(None, description="consumption 为生活消费需要 · undetermined 尚难认定 · gain 以牟利为目的 · "
                                               "extortion 涉嫌敲诈勒索")
    note: Text = Field(None, description="认定理由（gain、extortion 时必填）")


class TerminateAndReferBody(Body):
    reason: Text = Field(None, description="终止调解并移送公安机关的理由")
    authority: Text = Field(None, description="公安机关，默认 XIAOBAO_POLICE_AUTHORITY")


class DispatchReferralBody(Body):
    channel: Text = Field(None, description="in_person 当面移交 · letter 信函 · email 电子邮件 · internet 互联网")
    address: Text = Field(None, description="送达地址")
    proof: Text = Field(None, description="送达凭证：签收人、回执编号或邮件编号")
    authority: Text = None
    occurred_at: Text = Field(None, description="送达时间，ISO 8601")


BODIES = {
    "assess_consumer_purpose": AssessPurposeBody, "terminate_and_refer": TerminateAndReferBody,
    "dispatch_referral": DispatchReferralBody,
    "mediate": MediateBody, "file": FileBody, "record_session": SessionBody, "entrust": EntrustBody,
    "entrusted_result": EntrustedResultBody, "record_verification": VerificationBody,
    "upload_penalty_decision": PenaltyDecisionBody, "archive_penalty_decision": ArchivePenaltyBody,
}
