"""Request and response shapes of API v1 (../shared/design/API-v1.md), declared for the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, create_model

from xiaobao.lib import timeutil
from xiaobao.lib.boundary import MAX_PAGE

# Object ids are 64-bit integers in both databases; a larger one names nothing and must not reach a query.
MAX_ID = 2**63 - 1

# Bounded where they enter (issue 16, point 10; the bound is explained at MAX_PAGE). A page size has no upper
# bound here: the endpoints serve a larger one as their maximum, as they did before the bounds were declared.
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE, description=f"页码，从 1 开始（1–{MAX_PAGE}）")]
PageSize = Annotated[int, Field(ge=1, description="每页条数；超过该接口的上限时按上限返回")]
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    error: str


class ConflictOut(Schema):
    error: str
    state: str


class FieldError(Schema):
    field: str
    message: str


class ValidationOut(Schema):
    errors: list[FieldError]


class TokenIn(Schema):
    username: str = ""
    password: str = ""
    otp: str = Field("", description="两步验证码（6 位数字）：仅已启用两步验证的账号需要")


class TokenOut(Schema):
    token: str


class PasswordIn(Schema):
    username: str = ""
    password: str = Field("", description="当前密码（如初始密码）")
    new_password: str = Field("", description="新密码：至少 10 个字符，不能是常见密码或纯数字，不能与用户名相近")
    otp: str = Field("", description="两步验证码（6 位数字）：仅已启用两步验证的账号需要")


class MessageOut(Schema):
    message: str


def _lengths(**limits: int):
    """The columns' lengths, in the document (the service names every text that is too long at once: 422)."""
    def extra(schema: dict) -> None:
        for name, limit in limits.items():
            prop = schema["properties"][name]
            for variant in prop.get("anyOf", [prop]):
                if variant.get("type") == "string":
                    variant["maxLength"] = limit
    return extra


def declared(*, required: tuple[str, ...] = (), enums: dict[str, tuple] | None = None,
             formats: dict[str, str] | None = None, not_blank: tuple[str, ...] = ()):
    """A json_schema_extra that declares what the service behind an endpoint checks itself (so that it names every
    error at once, in its own words): required fields, closed sets of values, formats, texts that may not be
    blank. The pydantic model itself checks the JSON types only."""
    def extra(schema: dict) -> None:
        props = schema["properties"]
        if required:
            schema["required"] = list(required)
        for name, values in (enums or {}).items():
            props[name] = {"type": "string", "enum": list(values), **_described(props[name])}
        for name, fmt in (formats or {}).items():
            props[name] = {"type": "string", "format": fmt, **_described(props[name])}
        for name in not_blank:
            props[name] = {"type": "string", "pattern": r"\S", **_described(props[name])}
    return extra


def _described(prop: dict) -> dict:
    return {k: prop[k] for k in ("description", "title") if k in prop}


# Texts: a number sent where a text is expected is taken as its text, as register_case always did.
TEXT = {"coerce_numbers_to_str": True}


class PersonIn(Schema):
    """The complainant or reporter. Which fields a kind needs is said by the rule set in force (see CaseIn)."""

    model_config = {**TEXT, "json_schema_extra": _lengths(name=120, phone=40, address=250, id_type=30, id_number=40)}

    name: str | None = None
    phone: str | None = None
    address: str | None = None
    id_type: str | None = Field(None, description="证件类型，如 居民身份证")
    id_number: str | None = None
    anonymous: bool = Field(False, description="匿名（仅举报可以匿名）")
    wants_reply: bool = True
    # 送达地址确认 (SAMR-2026): consent to electronic delivery, with the mobile number for SMS (default: the phone,
    # when a mobile number) and the e-mail address; a consent without either → 422.
    e_delivery_consent: bool | None = Field(None, description="同意电子送达；同意时须有可用的手机号码（e_delivery_phone，"
                                                               "或为手机号码的 phone）或电子邮箱，否则 422")
    e_delivery_phone: str | None = Field(None, description="接收短信的 11 位手机号码")
    e_delivery_email: str | None = Field(None, description="接收文书的电子邮箱")
    # 举报奖励: the reporter's wish; an anonymous reporter's identity code and password (the password is kept
    # only as a hash and never shown).
    wants_reward: bool = Field(False, description="要求举报奖励：仅举报；匿名举报要求奖励须同时设置 reward_code 和 reward_password")
    reward_code: str | None = Field(None, description="奖励身份代码，4–40 个字符（须同时 wants_reward）")
    reward_password: str | None = Field(None, description="奖励密码，至少 6 个字符（须同时 wants_reward）")


class RespondentIn(Schema):
    model_config = {**TEXT, "json_schema_extra": _lengths(name=120, address=250, phone=40, credit_code=30,
                                                          contact_person=60)}

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    credit_code: str | None = Field(None, description="统一社会信用代码")
    contact_person: str | None = None


class AgentIn(Schema):
    model_config = {**TEXT, "json_schema_extra": _lengths(name=60, phone=40)}

    name: str | None = None
    phone: str | None = None


# The channels an item may be registered through here: a 12345 work order comes in through
# POST /api/v1/hotline/orders (register_case refuses `hotline` with 422 naming channel).
CASE_CHANNELS = ("phone", "visit", "letter", "web", "platform_12315", "referral")
KINDS = ("complaint", "report", "inquiry")
TIERS = ("urgent", "general", "difficult")
AMOUNT_PATTERN = r"^[0-9]{1,12}(\.[0-9]+)?$"
# A moment the services take, as its document states it (timeutil.parse_moment).
MOMENT = timeutil.MOMENT_PATTERN


def _case_in_schema(schema: dict) -> None:
    """What register_case checks, declared: kind and channel required, closed sets, the amount's form. Each kind's
    required particulars depend on the rule set in force and are added when the document is served (v1.py)."""
    props = schema["properties"]
    schema["required"] = ["kind", "channel"]
    props["kind"] = {"type": "string", "enum": list(KINDS), "description": "complaint 投诉 · report 举报 · inquiry 咨询"}
    props["channel"] = {"type": "string", "enum": list(CASE_CHANNELS),
                        "description": "来源渠道；12345工单请用 POST /api/v1/hotline/orders"}
    props["tier"] = {"type": "string", "enum": list(TIERS), "default": "general"}
    props["received_at"] = {"type": "string", "format": "date-time", "pattern": MOMENT,
                            "description": "接收时间，ISO 8601（2000–2999 年，不晚于现在；缺省为现在）"}
    props["amount"] = {"anyOf": [{"type": "string", "pattern": AMOUNT_PATTERN}, {"type": "number", "minimum": 0}],
                       "description": "涉案金额，非负，小于 10¹²，如 \"1299.00\""}
    props["external_id"] = {"anyOf": [{"type": "string", "maxLength": 80}, {"type": "null"}],
                            "description": "外部编号（如 12315 平台编号）；同一渠道内唯一：再次提交返回已登记的件（200）"}
    props["category"] = {"anyOf": [{"type": "string"}, {"type": "null"}],
                         "description": "类别代码（须为已有类别）"}


class CaseIn(Schema):
    """POST /api/v1/cases (API-v1.md "Items"). Missing or bad content is named at once (422) by register_case."""

    model_config = {**TEXT, "json_schema_extra": _case_in_schema}

    kind: str | None = None
    channel: str | None = None
    received_at: str | None = None
    external_id: str | None = None
    complainant: PersonIn | None = None
    respondent: RespondentIn | None = None
    facts: str | None = Field(None, description="事实与理由")
    demand: str | None = Field(None, description="诉求")
    question: str | None = Field(None, description="咨询的问题（咨询件可代替 facts）")
    amount: str | None = None
    category: str | None = None
    tier: str | None = None
    consent_disclosure: bool | None = Field(None, description="同意向被投诉人公开身份")
    consent_entrusted_mediation: bool | None = Field(None, description="同意委托消协等组织调解")
    agent: AgentIn | None = Field(None, description="代理人")


class ClockOut(Schema):
    name: str
    label: str
    start: str
    due: str
    state: str
    provisional: bool
    days_left: int | None
    length: int
    unit: str
    basis: str
    explanation: str
    met_on: str | None
    late: bool = False
    settled: str | None = None


class ClockRunOut(Schema):
    """A superseded run of a restarted clock (re-routing, reopening), kept for the record and the statistics."""
    name: str
    label: str
    start: str
    due: str
    met_on: str | None
    unit_code: str | None
    unit_name: str | None
    superseded_on: str
    reason: str
    explanation: str


class PartyOut(Schema):
    """The complainant or reporter; masked (`name` "***", no phone, address or id) for those who may not see them."""

    name: str
    phone: str | None
    address: str | None
    id_type: str | None
    id_number: str | None
    anonymous: bool
    wants_reply: bool
    masked: bool
    # 送达地址确认 (SAMR-2026): the consent, and the confirmed addresses (null when masked or not given).
    e_delivery_consent: bool | None = None
    e_delivery_phone: str | None = None
    e_delivery_email: str | None = None


class RespondentOut(Schema):
    name: str
    address: str
    phone: str
    credit_code: str
    contact_person: str


class AgentOut(Schema):
    name: str
    phone: str | None
    masked: bool


class PendingApprovalOut(Schema):
    kind: str = Field(description="routing · filing · not_filed · referral")
    unit: str | None
    approver: str | None = Field(description="审批的角色")


class LinkOut(Schema):
    id: int
    number: str
    kind: str


# `from` is a Python keyword: the model is built with the field's own name.
EventOut = create_model(
    "EventOut", __base__=Schema,
    at=(str, ...), at_local=(str, ...), actor=(str | None, ...), actor_name=(str, ...), action=(str, ...),
    label=(str, ...), to=(str | None, None), note=(str, ...),
    # when the recorded fact happened, where the user said (record actions, deliveries); null otherwise
    occurred_at=(str | None, None),
    data=(dict[str, Any], Field(description="该行的数据（随操作而定）")),
    **{"from": (str | None, None)},
)


class EarlierClaimsOut(Schema):
    total: int
    last_year: int
    matched_on: list[str]


class ConsumerPurposeOut(Schema):
    """生活消费需要的考量因素 and the handler's assessment; the filer's earlier claims as counts only."""

    goods: str
    quantity: int | None
    purchases: int | None
    period_days: int | None
    earlier_claims: EarlierClaimsOut
    assessment: str
    assessment_label: str
    note: str
    summary: str
    at: str
    by: str
    basis: str


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    received_at: str
    external_id: str | None
    state: str
    outcome: str | None
    ground: str | None
    unit: str | None
    handler: str | None
    tier: str
    category: str | None
    returns_count: int
    complainant: PartyOut | None
    respondent: RespondentOut | None
    facts: str
    demand: str
    amount: str | None
    amount_recovered: str | None
    rule_set: str
    consent_disclosure: bool | None = None
    consent_entrusted_mediation: bool | None = None
    agent: AgentOut | None = None
    pending_approval: PendingApprovalOut | None
    links: list[LinkOut]
    clocks: list[ClockOut]
    clock_runs: list[ClockRunOut] = []
    events: list[EventOut]  # type: ignore[valid-type]
    actions: list[str]
    # xiaobao.merging: the primary item this one was merged into (并案), while it is.
    merged_into: int | None = None
    # xiaobao.mediation.purpose: the factors of 生活消费需要 last recorded on a complaint and the handler's
    # assessment; the filer's earlier claims across the bureau as counts only.
    consumer_purpose: ConsumerPurposeOut | None = None


class CaseSummaryOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    received_at: str
    state: str
    outcome: str | None
    unit: str | None
    tier: str
    category: str | None
    returns_count: int
    complainant: PartyOut | None
    respondent: RespondentOut | None
    # The deadline column (issue 18, point 2): the nearest open due date and the working days left to it.
    next_due: str | None = Field(None, description="最近的未完成期限的届满日 YYYY-MM-DD")
    workdays_left: int | None = Field(None, description="距届满的工作日数（按工作日历；逾期为负数）")


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseSummaryOut]


class RuleClockOut(BaseModel):
    """A clock of the rule set (its other keys, such as `cap` and `tiers`, as the rule set has them)."""

    model_config = ConfigDict(extra="allow")

    name: str
    length: int
    unit: str = Field(description="workdays 工作日 · days 自然日")
    basis: str = ""


class GroundOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str
    text: str
    basis: str = ""


class RuleSetOut(Schema):
    code: str
    name: str
    effective_from: str
    basis: str
    clocks: list[RuleClockOut]
    grounds: dict[str, list[GroundOut]] = Field(description="not_accepted、mediation_terminated 等的理由代码")
    required: dict[str, list[str]] = Field(description="各类件登记时必填的内容")
