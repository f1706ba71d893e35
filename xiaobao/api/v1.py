"""API v1: translates HTTP to service calls and back. No business rules here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from xiaobao.cases import actions, persons, reference, services
from xiaobao.cases.errors import Refused
from xiaobao.cases.lifecycle import TRANSITIONS
from xiaobao.cases.present import action_label, case_detail, case_summary, clock_views
from xiaobao.cases.search import search_count, search_page
from xiaobao.cases.selectors import (
    add_deadlines,
    agent_view,
    filter_cases,
    get_visible_case,
    list_page,
    sees_identity,
    visible_cases,
    visible_parts,
    with_next_due,
)
from xiaobao.clocks import services as clock_services
from xiaobao.clocks.calendar import get_calendar
from xiaobao.hotline import services as hotline_services
from xiaobao.lib.dbrouter import replica_reads
from xiaobao.odr import access as odr_access
from xiaobao.records.audit import record
from xiaobao.rules.models import RuleSet
from xiaobao.units.models import ApiToken

from .alerts import router as alerts_router
from .archive import router as archive_router
from .audit import router as audit_router
from .auth import change_password, issue_token
from .body import json_object
from .calendar import router as calendar_router
from .contract import action_body_components, case_in_requirements, order_in_requirements
from .documents import router as documents_router
from .errors import answer_disk_full, field_errors
from .follow_ups import router as follow_ups_router
from .hotline import router as hotline_router
from .intake import router as intake_router
from .odr import router as odr_router
from .odr_business import InboxItemOut
from .odr_business import answer as odr_business_answer
from .odr_business import router as odr_business_router
from .odr_stats import router as odr_stats_router
from .rendering import ChineseJSONRenderer
from .rewards import router as rewards_router
from .routing import router as routing_router
from .schemas import (
    CaseIn,
    CaseListOut,
    CaseOut,
    ConflictOut,
    ErrorOut,
    MessageOut,
    PageNumber,
    PageSize,
    PasswordIn,
    RuleSetOut,
    TokenIn,
    TokenOut,
    ValidationOut,
)
from .stats import router as stats_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        staff = ApiToken.staff_for(token)
        if staff is not None:
            if not odr_access.may_use_api(staff, request.path):
                # An ODR business's account reaches its own operations only; every other one is not there for it.
                raise HttpError(404, odr_access.NOT_FOUND)
            request.user = staff
        return staff


class JsonObjectParser(Parser):
    """Bodies are JSON objects; a blank body is an empty one (actions such as accept need none)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if not request.body.strip():
            return {}
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


class XiaobaoApi(NinjaAPI):
    """API v1, whose document also carries what is known only once the apps are ready or the database is
    reachable: the body models of the actions the apps registered, and what the rule set in force and the
    category list require of a new item (xiaobao/api/contract.py)."""

    def get_openapi_operation_id(self, operation) -> str:
        # "hotline_receive_order", "v1_create_case": the module and the view, as generated clients name them.
        return f"{operation.view_func.__module__.rsplit('.', 1)[-1]}_{operation.view_func.__name__}"

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema["components"]["schemas"]
        components.update(action_body_components())
        rule_set = reference.rule_set_in_force(clock_services.today())
        if "CaseIn" in components:
            case_in_requirements(components["CaseIn"], rule_set, reference.category_codes())
        if "OrderIn" in components:
            order_in_requirements(components["OrderIn"], rule_set, hotline_services.KIND_OF_CATEGORY)
        return schema


api = XiaobaoApi(
    title="消保 Xiaobao API",
    version="1",
    description="曾都区市场监督管理局投诉举报办理系统接口（API v1，见 API-v1.md）",
    urls_namespace="api-v1",
    auth=BearerToken(),
    renderer=ChineseJSONRenderer(),
    docs_url="/docs",
    parser=JsonObjectParser(),
)

api.add_router("/calendar", calendar_router)
api.add_router("", documents_router)
api.add_router("/stats", stats_router)
api.add_router("/audit", audit_router)
api.add_router("", routing_router)
api.add_router("", archive_router)
api.add_router("", intake_router)
api.add_router("", hotline_router)
api.add_router("", alerts_router)
api.add_router("", follow_ups_router)
api.add_router("", rewards_router)
api.add_router("", odr_business_router)
api.add_router("", odr_router)
api.add_router("", odr_stats_router)

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ValidationOut}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    return api.create_response(request, {"errors": field_errors(exc)}, status=422)


answer_disk_full(api)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return api.create_response(request, {"error": "未登录或令牌无效。"}, status=401)


@api.exception_handler(Refused)
def on_refused(request, exc: Refused):
    if exc.status == 422:
        body: dict[str, Any] = {"errors": exc.errors}
    else:
        body = {"error": exc.message, **exc.extra}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # ninja answers a body it cannot parse with a bare 400; the contract says a bad body is a 422.
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        errors = [{"field": "body", "message": "请求体应为 JSON 对象（UTF-8 编码）。"}]
        return api.create_response(request, {"errors": errors}, status=422)
    return api.create_response(request, {"error": str(exc)}, status=exc.status_code)


# ---------------------------------------------------------------- auth


@api.post("/auth/token", auth=None,
          response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ValidationOut, 429: ErrorOut},
          summary="以用户名和密码换取令牌",
          description="已启用两步验证的账号还须在 otp 字段提供 6 位验证码（缺少或错误：401）。"
                      "须先修改初始密码、或须先启用两步验证的账号：403，请先登录网页完成。")
def token(request, payload: TokenIn):
    return issue_token(request, payload)


@api.post("/auth/password", auth=None,
          response={200: MessageOut, 401: ErrorOut, 422: ValidationOut, 429: ErrorOut},
          summary="以当前密码修改自己的密码",
          description="须先修改初始密码的账号（如ODR企业账号）在申请令牌前用它设置自己的密码；已启用两步验证的账号"
                      "还须在 otp 字段提供验证码（401）。新密码不符合密码规则：422（字段 new_password）。"
                      "修改后该账号已有的令牌全部失效。与登录一样限制尝试次数（429）。")
def password(request, payload: PasswordIn):
    return change_password(request, payload)


# ---------------------------------------------------------------- items


@api.post("/cases", response={200: CaseOut, 201: CaseOut, **ERRORS}, summary="登记投诉、举报或咨询")
def create_case(request, payload: CaseIn):
    data = payload.dict(exclude_unset=True)
    case, created = services.register_case(actor=request.user, data=data, shows_registrant=True)
    if created:
        return Status(201, registered_detail(request.user, case))
    case = visible_cases(request.user).filter(pk=case.pk).first() or case
    return Status(200, case_detail(request.user, case))


def registered_detail(user, case) -> dict:
    """case_detail of an item just registered, from the objects register_case created instead of reading
    them back (issue 9): no links or pauses yet, the clocks that run from the receipt, one timeline line. The read of the complainant's
    data is in the registration's audit row (shows_registrant). tests/perf/test_intake.py checks that this
    equals what GET /api/v1/cases/{id} answers."""
    event = case.registration_event
    local = timezone.localtime(event.at)
    return {
        **case_summary(user, case, audit=False),
        "external_id": case.external_id,
        "facts": case.facts, "demand": case.demand,
        "amount": str(case.amount) if case.amount is not None else None,
        "amount_recovered": None, "ground": None, "handler": None, "rule_set": case.rule_set.code,
        "consent_disclosure": case.consent_disclosure,
        "consent_entrusted_mediation": case.consent_entrusted_mediation,
        "agent": agent_view(case, masked=not sees_identity(user, case)),
        "pending_approval": None, "links": [], "clock_runs": [],
        # The clocks that run from the receipt (clocks.services.AT_RECEIPT), as created.
        "clocks": clock_views(case, of=case.registration_clocks, cal=case.registration_calendar),
        "events": [{"at": local.isoformat(), "at_local": local.strftime("%Y-%m-%d %H:%M"),
                    "actor": user.username, "actor_name": str(user), "action": event.action,
                    "label": action_label(event.action), "from": None, "to": event.to_state, "note": event.note,
                    "data": event.data}],
        "actions": [t.action for t in services.available_actions(user, case)],
        **actions.fields(None),
    }


@api.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="查看一件")
def get_case(request, case_id: int):
    case = get_visible_case(request.user, case_id)
    if case is None:
        return Status(404, {"error": "未找到该件，或您无权查看。"})
    return Status(200, case_detail(request.user, case))


class CaseFilters(Schema):
    state: str | None = None
    unit: str | None = None
    kind: str | None = None
    overdue: bool | None = None
    # 含已办结 (issue 18, point 2): absent, the contract's lists (every item; overdue: open work); false, finished
    # items left out unless a state is asked for; true, with overdue also the finished items that missed a clock.
    include_closed: bool | None = None
    q: str | None = None
    # A complainant's or reporter's phone, ID number or name (exact, or its beginning), for those who may see
    # identities (cases/persons.py); 403 for others, 422 when too short to name someone; audited.
    person: str | None = None
    page: PageNumber = 1
    page_size: PageSize = 50  # served as at most 200


@api.get("/cases", response={200: CaseListOut, **ERRORS}, summary="列出可见的件",
         description="person：按投诉举报人的电话、证件号码或姓名（完整或开头）查找，仅限可以查看其身份的人员"
                     "（否则 403），每次查找记入审计记录；电话或证件号码不足 7 位数字、姓名不足 2 个字：422。")
def list_cases(request, filters: Query[CaseFilters]):
    # A search reads from the replica when there is one (issue 24, point 2); the lists of open work, the primary.
    with replica_reads(bool((filters.q or "").strip() or (filters.person or "").strip())):
        return _list_cases(request, filters)


def _list_cases(request, filters: CaseFilters):
    page_size = min(filters.page_size, 200)
    page = filters.page
    start, stop = (page - 1) * page_size, page * page_size
    f = filters.dict()
    if (filters.person or "").strip():
        f["person_items"] = persons.person_items(actor=request.user, text=filters.person, via="api")
    if q := (filters.q or "").strip():
        # Search results come newest registered first, read off the search index (xiaobao/cases/search.py).
        qs = filter_cases(visible_cases(request.user), {**f, "q": None})
        count, rows = search_count(qs, q), search_page(with_next_due(qs), q, start, stop)
    else:
        # Each part of what the user may see (their unit; items they are invited to) is read off its index.
        parts = [filter_cases(part, f) for part in visible_parts(request.user)]
        count = sum(part.count() for part in parts)
        rows = list_page([with_next_due(part) for part in parts], start, stop)
    add_deadlines(rows, today=clock_services.today(), cal=get_calendar())
    # Each row's deadline: its nearest open due date and the working days to it by the calendar (issue 18).
    results = [{**case_summary(request.user, c), "next_due": c.next_due.isoformat() if c.next_due else None,
                "workdays_left": c.workdays_left} for c in rows]
    shown = [c.pk for c in rows if c.complainant_id and sees_identity(request.user, c)]
    if shown:
        record(actor=request.user, action="read_personal", obj="case-list", detail={"cases": shown})
    return Status(200, {"count": count, "page": page, "page_size": page_size, "results": results})


def _act(request: HttpRequest, case_id: int, action: str):
    case = services.perform(actor=request.user, case_id=case_id, action=action, body=json_object(request))
    # Re-read without the visibility filter: a return moves the item out of the actor's sight, yet the
    # actor is owed the result of their own action (identity stays masked by sees_identity).
    case = type(case).objects.select_related("complainant", "respondent", "unit", "handler").get(pk=case.pk)
    return Status(200, case_detail(request.user, case))


ACTION_BODIES = actions.bodies()
ACTION_DOC = {
    "description": "按路径中的操作名执行（API-v1.md“Actions”）。每个操作的请求体见该操作自己的接口 "
                   "`POST /api/v1/cases/{case_id}/actions/<操作名>`（与本接口相同，文档逐一列出其字段）；"
                   "请求体不符合该操作的模型时 422，操作不存在时 404。",
    "requestBody": {"required": False, "content": {"application/json": {"schema": {
        "anyOf": [{"$ref": f"#/components/schemas/{m.__name__}"} for m in dict.fromkeys(ACTION_BODIES.values())],
        "x-body-by-action": {a: {"$ref": f"#/components/schemas/{m.__name__}"} for a, m in ACTION_BODIES.items()},
    }}}},
}


def _action_operation(action: str, model: type, own=None, out: type = CaseOut) -> None:
    """One documented operation per action, with the body model the action validates with (cases.bodies);
    `own`: a view of its own answering `out` instead of the item (the ODR business's answer)."""

    def view(request, case_id: int):
        return own(request, case_id) if own is not None else _act(request, case_id, action)

    view.__name__ = f"action_{action}"
    t = TRANSITIONS[action]
    required = bool(model.model_json_schema().get("required"))
    api.post(f"/cases/{{case_id}}/actions/{action}", response={200: out, **ERRORS}, operation_id=f"action_{action}",
             summary=f"操作：{t.label}（{action}）", tags=["actions"],
             description=((model.__doc__ or "").strip() + (f"\n\n依据：{t.basis}" if t.basis else "")).strip(),
             openapi_extra={"requestBody": {"required": required, "content": {"application/json": {
                 "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}})(view)


# The ODR business's answer is the one action a business takes, and it sees only its own view of the item
# (xiaobao/api/odr_business.py), never the item as staff see it.
OWN_OPERATIONS = {"business_answer": (odr_business_answer, InboxItemOut)}


for _name, _model in ACTION_BODIES.items():
    if _name in OWN_OPERATIONS:
        _action_operation(_name, _model, *OWN_OPERATIONS[_name])
    else:
        _action_operation(_name, _model)


@api.post("/cases/{case_id}/actions/{action}", response={200: CaseOut, **ERRORS}, summary="对一件执行操作",
          openapi_extra=ACTION_DOC)
def act(request, case_id: int, action: str):
    return _act(request, case_id, action)


# ---------------------------------------------------------------- rules


@api.get("/rules/current", response={200: RuleSetOut, 401: ErrorOut}, summary="当前适用的规则集")
def rules_current(request):
    rs = RuleSet.in_force(clock_services.today())
    return Status(200, {"code": rs.code, "name": rs.name, "effective_from": rs.effective_from.isoformat(),
                 "basis": rs.basis, "clocks": rs.data["clocks"], "grounds": rs.data["grounds"],
                 "required": rs.data.get("required", {})})
