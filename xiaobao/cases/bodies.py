"""The bodies of the lifecycle's actions, as pydantic models (issue 21, point 8).

Each family of actions declares the body of each of its actions here or in its own `bodies` module and names it
with `actions.add_bodies({"assign": AssignBody, ...})` in its `ready()`. API v1's OpenAPI document is generated
from these models (one operation per action, `POST /api/v1/cases/{case_id}/actions/<action>`), and
`services.perform` validates every body with the action's model before the action's function runs, so what the
document says is what is checked:

- a required text is present and not blank (`pattern: \\S`), with the message the function gives it
  ("请填写理由。", `required_message`);
- a closed set of values (`enum`) is one of them, with the function's own message (`messages` of the model);
- every field has its JSON type (text, true/false, list); a number where a text is expected is taken as its
  text, as the functions always did (`coerce_numbers_to_str`).

What needs the database (a unit code that exists, a date after the finish date, the item's state) stays with the
function. Unknown fields are let through, as before. Optional texts and choices may be sent blank (`""`): the
functions take a blank as absent, and so does the model.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from xiaobao.clocks.models import PausePayer
from xiaobao.lib.validation import message

from .models import Kind, Tier

# The names `_require` gives the fields it asks for ("请填写{label}。"); the bodies' required texts use them too.
LABELS = {"note": "说明", "reason": "理由", "record": "书面记录", "category": "类别", "unit": "承办单位",
          "ground": "理由代码", "authority": "主管部门", "answer": "答复内容", "content": "回复内容",
          "channel": "回复方式", "result": "调解结果", "until": "延期日期"}


# The pause reasons a handler may give (rules 二.2; `jurisdiction` is the system's own, for 管辖争议) and the ways
# of replying; services.PAUSE_REASONS and services.REPLY_CHANNELS are built from these.
PAUSE_REASONS = ("testing", "appraisal", "expert_review", "other_department")
REPLY_CHANNELS = ("phone", "sms", "email", "letter", "internet")


def required_message(field: str) -> str:
    return f"请填写{LABELS.get(field, field)}。"


def _blank_is_absent(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


# A text that must be there and not blank.
Required = Annotated[str, Field(pattern=r"\S", description="必填，不能为空白")]
# A date (YYYY-MM-DD); whether it is a real date, and in range, the action checks.
Day = Annotated[str, Field(json_schema_extra={"format": "date"}, description="日期，YYYY-MM-DD")]
OptionalDay = Annotated[Day | None, BeforeValidator(_blank_is_absent)]
# An optional text: absent, null or blank all mean "not given".
Text = str | None


def one_of(*values: str) -> Any:
    """A closed set of values, one of which must be given."""
    return Literal[values]  # type: ignore[valid-type]


def choice(*values: str) -> Any:
    """An optional closed set of values (blank: not given)."""
    return Annotated[Literal[values] | None, BeforeValidator(_blank_is_absent)]  # type: ignore[valid-type]


class Body(BaseModel):
    """The body of an action. Subclasses declare its fields; `messages` gives the message of a field whose value
    is refused (missing or not one of its values) where the action's function words it its own way."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True, json_schema_extra={"additionalProperties": True})

    messages: ClassVar[dict[str, str]] = {}
    # The message of a missing (or blank, or null) field, where it is not `required_message(field)`.
    missing: ClassVar[dict[str, str]] = {}

    @classmethod
    def item_errors(cls, case, body: dict) -> list[dict[str, str]]:
        """What else the action would refuse in this body given the item, named beside the model's errors."""
        return []


def errors_of(model: type[Body], body: dict) -> list[dict[str, str]]:
    """The body's errors by the action's model (empty when it passes), in API v1's shape, one per field."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        out: dict[str, str] = {}
        for e in exc.errors():
            loc = [str(p) for p in e.get("loc", ())]
            field = ".".join(loc) or "body"
            top = loc[0] if loc else "body"
            kind = e.get("type")
            absent = len(loc) == 1 and (kind in ("missing", "string_pattern_mismatch") or e.get("input") is None)
            if absent:
                field, text = top, model.missing.get(top) or required_message(top)
            elif top in model.messages:
                field, text = top, model.messages[top]
            else:
                text = message(e)
            out.setdefault(field, text)
        return [{"field": f, "message": m} for f, m in out.items()]
    return []


# ---------------------------------------------------------------- the spine's actions (cases.services)


class NoteBody(Body):
    """Actions that take only an optional note (说明)."""

    note: Text = Field(None, description="说明（可选）")


# A complaint is routed with its category confirmed (rules 二.1(2)); services.assign says it in the same words.
CONFIRM_CATEGORY = "请确认投诉类别：食品药品安全投诉须报分管局长审批后分流（规则 二.1（2））。"


class AssignBody(Body):
    unit: Required = Field(description="承办单位代码，如 st-nanjiao")
    category: Text = Field(None, description="投诉类别代码；投诉件在本件和请求中都没有类别时必填（规则 二.1（2））")
    note: Text = None

    @classmethod
    def item_errors(cls, case, body: dict) -> list[dict[str, str]]:
        if case.kind == Kind.COMPLAINT and not (str(body.get("category") or "").strip() or case.category):
            return [{"field": "category", "message": CONFIRM_CATEGORY}]
        return []


class RequiredNoteBody(Body):
    note: Required = Field(description="说明")


class ReasonBody(Body):
    reason: Required = Field(description="理由")


class NotAcceptBody(Body):
    ground: Required = Field(description="不予受理理由代码（GET /api/v1/rules/current 的 grounds.not_accepted）")
    reason: Text = None


class ReferBody(Body):
    authority: Required = Field(description="有处理权限的部门")
    reason: Text = None


class PauseBody(Body):
    messages: ClassVar[dict[str, str]] = {
        "reason": "中止事由应为检验检测、鉴定、专家评审或其他部门协助之一。",
        "payer": "检测鉴定费用承担方应为 complainant、respondent、shared 或 bureau。"}
    missing = messages

    reason: one_of(*PAUSE_REASONS) = Field(  # type: ignore[valid-type]
        description="testing 检验检测 · appraisal 鉴定 · expert_review 专家评审 · other_department 其他部门协助")
    note: Text = None
    payer: choice(*PausePayer.values) = Field(None, description="检测鉴定费用承担方")  # type: ignore[valid-type]
    approver: Text = Field(None, description="批准中止的负责人（用户名）")


class TierBody(Body):
    messages: ClassVar[dict[str, str]] = {"tier": "等级应为 urgent、general 或 difficult。"}
    missing = messages

    tier: one_of(*Tier.values) = Field(description="urgent 紧急 · general 一般 · difficult 疑难")  # type: ignore[valid-type]
    note: Text = None


class DeclineFilingBody(Body):
    reason: Required = Field(description="拟不予立案的理由")
    record: Required = Field(description="核查的书面记录（规则 二.2“作书面记录留存”）")


class AnswerBody(Body):
    answer: Required = Field(description="答复内容")


class ReplyBody(Body):
    messages: ClassVar[dict[str, str]] = {"channel": "回复方式应为 phone、sms、email、letter 或 internet。"}

    channel: one_of(*REPLY_CHANNELS) = Field(description="回复方式")  # type: ignore[valid-type]
    content: Required = Field(description="回复内容（12345工单：办理情况）")
    public_reply: Text = Field(None, description="公开答复内容：12345工单必填")


BODIES: dict[str, type[Body]] = {
    "submit_for_triage": NoteBody, "keep": NoteBody, "assign": AssignBody, "approve": NoteBody,
    "reject_approval": RequiredNoteBody, "return": ReasonBody, "accept": NoteBody, "not_accept": NotAcceptBody,
    "refer_elsewhere": ReferBody, "pause": PauseBody, "resume": NoteBody, "change_tier": TierBody,
    "begin_verification": NoteBody, "decline_filing": DeclineFilingBody, "answer": AnswerBody, "reply": ReplyBody,
}
