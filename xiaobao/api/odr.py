"""ODR businesses (API-v1.md, "ODR businesses (settling first)"): the register 消保股's dispatchers keep — add a
business with its account, list and read it, suspend, remove or reinstate it. Everyone else gets 403;
xiaobao.odr.registry decides and audits."""

from __future__ import annotations

from ninja import Field, Router, Schema, Status

from xiaobao.odr import registry
from xiaobao.odr.models import CONDITIONS, BusinessState, Commitment, Origin

from .schemas import TEXT, ErrorOut, ObjectId, ValidationOut, _lengths, declared

router = Router(tags=["ODR企业"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationOut}
CONDITION_DOC = "；".join(f"{key}：{label}" for key, label in CONDITIONS.items())


def _business_in_schema(schema: dict) -> None:
    declared(required=("name", "credit_code", "address", "contact", "phone", "conditions"),
             enums={"origin": tuple(Origin.values)}, not_blank=("name", "address", "contact", "phone"))(schema)
    _lengths(name=200, address=250, contact=60, phone=40)(schema)
    schema["properties"]["credit_code"] = {
        "type": "string", "pattern": "^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$",
        "description": "统一社会信用代码：18 位数字或大写字母（不含 I、O、S、V、Z），第 18 位是按 GB 32100-2015 "
                       "由前 17 位算出的校验位；已登记过的代码不能再登记（422）"}
    schema["properties"]["phone"]["pattern"] = r"^\s*" + registry.PHONE.pattern[1:-1] + r"\s*$"
    schema["properties"]["conditions"] = {
        "type": "object", "description": f"五项加入条件，每项都须为 true（{CONDITION_DOC}）",
        "properties": {key: {"type": "boolean", "const": True, "description": label}
                       for key, label in CONDITIONS.items()},
        "required": list(CONDITIONS), "additionalProperties": False}
    schema["properties"]["commitments"] = {
        "type": "array", "description": "企业的承诺：advance_compensation 先行赔付，no_reason_return 无理由退货",
        "items": {"type": "string", "enum": list(Commitment.values)}}


class BusinessIn(Schema):
    """A business reviewed by 消保股 joining the ODR scheme. Every field in error is named at once (422)."""

    model_config = {**TEXT, "json_schema_extra": _business_in_schema}

    name: str | None = Field(None, description="企业名称")
    credit_code: str | None = Field(None, description="统一社会信用代码（18 位，校验位按 GB 32100-2015 核对）")
    address: str | None = Field(None, description="地址")
    contact: str | None = Field(None, description="纠纷处理联系人")
    phone: str | None = Field(None, description="纠纷处理联系电话")
    origin: str | None = Field(None, description="加入方式：recommended 县级局推荐（默认），applied 企业自愿申请")
    conditions: dict[str, bool] | None = None
    commitments: list[str] | None = None


class ReasonIn(Schema):
    model_config = {**TEXT, "json_schema_extra": lambda schema: (
        declared(required=("reason",), not_blank=("reason",))(schema), _lengths(reason=2000)(schema))}

    reason: str | None = Field(None, description="原因（必填）")


class BusinessCreatedOut(Schema):
    id: int
    username: str = Field(description="企业账号的用户名")
    password: str = Field(description="初始密码，只显示这一次；企业首次使用前须通过 POST /api/v1/auth/password 修改")


class BusinessConditionsOut(Schema):
    place: bool
    staff: bool
    phone: bool
    procedure: bool
    commitment: bool


class BusinessOut(Schema):
    id: int
    name: str
    credit_code: str
    address: str
    contact: str
    phone: str
    origin: str
    origin_label: str
    conditions: BusinessConditionsOut
    commitments: list[str]
    commitment_labels: list[str]
    state: str = Field(description="pending 待审核，active 正常，suspended 暂停，removed 已移出")
    state_label: str
    state_reason: str
    username: str | None
    account_active: bool
    registered_by: str | None
    registered_at: str


@router.post("/odr/businesses", response={201: BusinessCreatedOut, **ERRORS}, summary="登记ODR企业并开通企业账号",
             description="限消保股分流员。五项加入条件须全部核实为 true，统一社会信用代码须通过校验且未登记过；"
                         "有误的字段一次全部列出（422）。初始密码只在此返回一次。")
def create_business(request, payload: BusinessIn):
    business, password = registry.register(actor=request.user, data=payload.model_dump())
    return Status(201, {"id": business.pk, "username": business.account.username, "password": password})


@router.get("/odr/businesses", response={200: list[BusinessOut], **ERRORS}, summary="ODR企业名录")
def list_businesses(request, state: str | None = None):
    if state and state not in BusinessState.values:
        return Status(422, {"errors": [{"field": "state", "message": "状态应为 pending、active、suspended 或 removed。"}]})
    return Status(200, [registry.view(b) for b in registry.businesses(actor=request.user, state=state)])


@router.get("/odr/businesses/{business_id}", response={200: BusinessOut, **ERRORS}, summary="查看一家ODR企业")
def get_business(request, business_id: ObjectId):
    return Status(200, registry.view(registry.get(actor=request.user, business_id=business_id)))


def _state_operation(action: str, label: str) -> None:
    def view(request, business_id: ObjectId, payload: ReasonIn):
        business = registry.change_state(actor=request.user, business_id=business_id, action=action,
                                         reason=payload.reason)
        return Status(200, registry.view(business))

    view.__name__ = f"{action}_business"
    router.post(f"/odr/businesses/{{business_id}}/{action}", response={200: BusinessOut, **ERRORS},
                summary=f"{label}ODR企业", description="须填写原因（422）。暂停或移出后企业账号不能登录，已发的令牌失效；"
                                                     "恢复后可再登录。")(view)


for _action, (_sources, _target, _label) in registry.STATE_ACTIONS.items():
    _state_operation(_action, _label)
