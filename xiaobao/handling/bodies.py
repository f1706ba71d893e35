"""The bodies of the cross-cutting actions (cases.bodies explains how they are declared and checked)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from xiaobao.cases.bodies import (
    REPLY_CHANNELS,
    Body,
    Day,
    NoteBody,
    OptionalDay,
    Required,
    RequiredNoteBody,
    Text,
    choice,
    one_of,
)

from .models import Contact, FollowUp


class RecordContactBody(Body):
    messages: ClassVar[dict[str, str]] = {
        "with_whom": "联系对象应为 complainant 或 respondent。",
        "channel": "联系方式应为 phone、sms、visit、online 或 letter。"}

    content: Required = Field(description="联系内容")
    with_whom: choice("complainant", "respondent") = Field(None, description="联系对象，默认 complainant")  # type: ignore[valid-type]
    channel: choice(*Contact.Channel.values) = Field(None, description="联系方式，默认 phone")  # type: ignore[valid-type]


class SuperviseBody(Body):
    note: Required = Field(description="督办意见")
    due: OptionalDay = Field(None, description="答复期限（YYYY-MM-DD，不早于今天；默认 3 个工作日后）")


class SupervisionAnswerBody(Body):
    answer: Required = Field(description="对督办的答复")


class ConsultationBody(Body):
    missing: ClassVar[dict[str, str]] = {"units": "请选择参加会商的单位（单位代码）。"}
    messages = missing

    topic: Required = Field(description="会商议题")
    units: list[str] | str = Field(description="参加会商的单位代码（列表，或以逗号分隔）")


class OpinionBody(Body):
    opinion: Required = Field(description="会商意见")


class ConclusionBody(Body):
    conclusion: Required = Field(description="会商结论")


class RequestVisitBody(Body):
    reason: Required = Field(description="要求现场处置的理由")
    scheduled_for: OptionalDay = Field(None, description="计划日期（YYYY-MM-DD）")


class RecordVisitBody(Body):
    officers: Required = Field(description="现场处置人员")
    findings: Required = Field(description="现场处置情况")


class FollowUpBody(Body):
    # 回访问效 (issue 20.4) and no default answer (issue 18.6): 是否解决 and satisfaction are both asked.
    messages: ClassVar[dict[str, str]] = {
        "satisfaction": "满意度应为 satisfied（满意）、basic（基本满意）或 dissatisfied（不满意）。",
        "resolved": "请填写是否解决（true 已解决 或 false 未解决）。"}
    missing: ClassVar[dict[str, str]] = {"satisfaction": "请填写回访满意度：满意、基本满意或不满意。",
                                         "resolved": messages["resolved"]}

    resolved: bool = Field(description="是否解决：true 已解决 · false 未解决")
    satisfaction: one_of(*FollowUp.Satisfaction.values) = Field(description="满意度")  # type: ignore[valid-type]
    channel: Text = Field(None, description="回访方式，默认 phone")
    comment: Text = Field(None, description="消费者意见")
    note: Text = None
    occurred_at: Text = Field(None, description="回访时间，ISO 8601（不晚于现在、不早于收到该件）")


class RequestIdBody(Body):
    missing: ClassVar[dict[str, str]] = {"due": "请填写提供身份证明的期限（YYYY-MM-DD）。"}

    due: Day = Field(description="提供身份证明的期限（YYYY-MM-DD，不早于今天）")
    note: Text = None


class FactsBody(Body):
    facts: Required = Field(description="举报的事实")


class SendNoticeBody(Body):
    messages: ClassVar[dict[str, str]] = {"channel": "告知方式应为 phone、sms、email、letter 或 internet。"}

    channel: one_of(*REPLY_CHANNELS) = Field(description="告知方式")  # type: ignore[valid-type]
    content: Required = Field(description="告知内容")
    notice: Text = Field(None, description="告知事项（时钟名，如 not_filed_notice）；缺省时为全部待告知事项")


BODIES = {
    "send_notice": SendNoticeBody, "request_id": RequestIdBody, "receive_id": NoteBody, "sign": NoteBody,
    "record_contact": RecordContactBody, "supervise": SuperviseBody, "answer_supervision": SupervisionAnswerBody,
    "open_consultation": ConsultationBody, "give_opinion": OpinionBody, "conclude_consultation": ConclusionBody,
    "request_visit": RequestVisitBody, "record_visit": RecordVisitBody, "follow_up": FollowUpBody,
    "reopen": RequiredNoteBody, "split": FactsBody, "open_report": FactsBody,
}
