"""Request and response shapes of API v1 (../shared/design/API-v1.md), declared for the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema

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


class PersonIn(Schema):
    name: Any = None
    phone: Any = None
    address: Any = None
    id_type: Any = None
    id_number: Any = None
    anonymous: bool = False
    wants_reply: bool = True
    # 送达地址确认 (SAMR-2026): consent to electronic delivery, with the mobile number for SMS (default: the phone,
    # when a mobile number) and the e-mail address; a consent without either → 422.
    e_delivery_consent: bool | None = None
    e_delivery_phone: Any = None
    e_delivery_email: Any = None
    # 举报奖励: the reporter's wish; an anonymous reporter's identity code and password (the password is kept
    # only as a hash and never shown).
    wants_reward: bool = False
    reward_code: Any = None
    reward_password: Any = None


class RespondentIn(Schema):
    name: Any = None
    address: Any = None
    phone: Any = None
    credit_code: Any = None
    contact_person: Any = None


class AgentIn(Schema):
    name: Any = None
    phone: Any = None


class CaseIn(Schema):
    kind: Any = None
    channel: Any = None
    received_at: Any = None
    external_id: Any = None
    complainant: PersonIn | None = None
    respondent: RespondentIn | None = None
    facts: Any = None
    demand: Any = None
    question: Any = None
    amount: Any = None
    category: Any = None
    tier: Any = None
    consent_disclosure: bool | None = None
    consent_entrusted_mediation: bool | None = None
    agent: AgentIn | None = None


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


class EventOut(Schema):
    at: str
    occurred_at: str | None = None
    actor: str | None
    action: str
    label: str
    to: str | None = None
    note: str
    data: dict[str, Any]


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
    complainant: dict[str, Any] | None
    respondent: dict[str, Any] | None
    facts: str
    demand: str
    amount: str | None
    amount_recovered: str | None
    rule_set: str
    consent_disclosure: bool | None = None
    consent_entrusted_mediation: bool | None = None
    agent: dict[str, Any] | None = None
    pending_approval: dict[str, Any] | None
    links: list[dict[str, Any]]
    clocks: list[ClockOut]
    clock_runs: list[ClockRunOut] = []
    events: list[dict[str, Any]]
    actions: list[str]
    # xiaobao.merging: the primary item this one was merged into (并案), while it is.
    merged_into: int | None = None
    # xiaobao.mediation.purpose: the factors of 生活消费需要 last recorded on a complaint and the handler's
    # assessment; the filer's earlier claims across the bureau as counts only.
    consumer_purpose: dict[str, Any] | None = None


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[dict[str, Any]]


class ActionIn(Schema):
    """The body of an action; which fields matter depends on the action (API-v1.md, "Actions")."""

    model_config = {"extra": "allow"}

    unit: Any = None
    note: Any = None
    reason: Any = None
    ground: Any = None
    authority: Any = None
    result: Any = None
    amount_recovered: Any = None
    agreement: Any = None
    answer: Any = None
    channel: Any = None
    content: Any = None
    tier: Any = None
    penalty_case_number: Any = None
    approver: Any = None
    with_whom: Any = None
    due: Any = None
    units: Any = None
    topic: Any = None
    opinion: Any = None
    conclusion: Any = None
    scheduled_for: Any = None
    officers: Any = None
    findings: Any = None
    satisfaction: Any = None
    facts: Any = None
    # Records of facts (record_contact, record_session, pause, resume, record_visit, follow_up): when it happened,
    # ISO 8601, Beijing time if naive; decisions refuse it (API-v1.md "Law enforced on actions").
    occurred_at: Any = Field(None, description="ISO 8601; records of facts only, not in the future nor before "
                                               "the item's receipt")
    # xiaobao.mediation: sessions, entrusted mediation, pause payer, remedies, verification, penalty decisions
    mode: Any = None
    at: Any = None
    place: Any = None
    lead: Any = None
    staff: Any = None
    parties: Any = None
    summary: Any = None
    recusals: Any = None
    recused: Any = None
    recusal_reason: Any = None
    body: Any = None
    consent: Any = None
    payer: Any = None
    remedies: Any = None
    method: Any = None
    attachment: Any = None
    number: Any = None
    decision: Any = None
    # xiaobao.mediation.purpose: assess_consumer_purpose {"goods", "quantity", "purchases", "period_days",
    # "assessment", "note"}; terminate_and_refer {"reason", "authority"}; dispatch_referral {"channel", "address",
    # "proof", "occurred_at"}
    goods: Any = None
    quantity: Any = None
    purchases: Any = None
    period_days: Any = None
    assessment: Any = None
    proof: Any = None
    address: Any = None
    occurred_at: Any = None
    # xiaobao.merging: merge {"into", "reason", "consent"}, repeat_report {"of", "reason"}
    into: Any = None
    of: Any = None
    # Law enforced on actions: the category confirmed at routing, the written record of 不予立案, the notice sent
    category: Any = None
    record: Any = None
    notice: Any = None
    # xiaobao.hotline: extension (until, approved), the reply's 公开答复内容, the hotline's 回访 result
    until: Any = None
    approved: Any = None
    public_reply: Any = None
    resolved: Any = None
    comment: Any = None
