"""The bodies of forward_to_business, business_answer and escalate (cases.bodies explains how they are declared
and checked), and of the business's contact record (POST /api/v1/odr/inbox/{case_id}/contacts)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from xiaobao.cases.bodies import Body, ReasonBody, Required, Text, one_of


class ForwardBody(Body):
    """转ODR企业先行和解：消费者同意先行和解的，将投诉转送被投诉的ODR企业，10个工作日内协商处理。"""

    missing: ClassVar[dict[str, str]] = {"business": "请选择ODR企业。",
                                         "consent": "须经消费者同意先行和解：请取得同意后勾选“消费者已同意先行和解”。"}

    business: int | str = Field(description="ODR企业的 id（GET /api/v1/odr/businesses）")
    consent: bool | str = Field(description="消费者已同意由企业先行和解（true）；未同意的不能转送")
    consent_note: Text = Field(None, description="同意的方式和时间等记录，如 2026-09-28 电话确认")


class BusinessAnswerBody(Body):
    """ODR企业答复和解结果：和解成功的以“先行和解”办结；和解不成的转入正常程序。"""

    missing: ClassVar[dict[str, str]] = {"result": "请选择和解结果。", "detail": "请填写处理情况。"}
    messages: ClassVar[dict[str, str]] = {"result": "和解结果应为 settled（和解成功）或 not_settled（和解不成）。"}

    result: one_of("settled", "not_settled") = Field(description="settled（和解成功）或 not_settled（和解不成）")
    detail: Required = Field(description="处理情况：协商过程和结果")
    amount: Text = Field(None, description="和解金额（元，和解成功时），非负数字，如 300.00")


class ContactBody(Body):
    """企业与消费者的一次联系：时间、方式、过程和企业提出的方案。"""

    missing: ClassVar[dict[str, str]] = {"at": "请填写联系时间。", "method": "请填写联系方式。",
                                         "process": "请填写联系过程。"}

    at: Required = Field(description="联系时间，ISO 8601，如 2026-09-29T10:00:00+08:00（不带时区的为北京时间）")
    method: Required = Field(description="联系方式，如 电话、面谈、网络")
    process: Required = Field(description="联系过程")
    offer: Text = Field(None, description="企业提出的方案")


BODIES = {"forward_to_business": ForwardBody, "business_answer": BusinessAnswerBody, "escalate": ReasonBody}
