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

from xiaobao.cases import actions, services
from xiaobao.cases.errors import Refused
from xiaobao.cases.present import action_label, case_detail, case_summary, clock_views
from xiaobao.cases.search import search_count, search_page
from xiaobao.cases.selectors import (
    agent_view,
    filter_cases,
    get_visible_case,
    list_page,
    sees_identity,
    visible_cases,
    visible_parts,
)
from xiaobao.clocks import services as clock_services
from xiaobao.records.audit import record
from xiaobao.rules.models import RuleSet
from xiaobao.units.models import ApiToken

from .archive import router as archive_router
from .audit import router as audit_router
from .auth import issue_token
from .calendar import router as calendar_router
from .documents import router as documents_router
from .errors import answer_disk_full, field_errors
from .hotline import router as hotline_router
from .intake import router as intake_router
from .rendering import ChineseJSONRenderer
from .routing import router as routing_router
from .schemas import (
    ActionIn,
    CaseIn,
    CaseListOut,
    CaseOut,
    ConflictOut,
    ErrorOut,
    PageNumber,
    PageSize,
    TokenIn,
    TokenOut,
    ValidationOut,
)
from .stats import router as stats_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        staff = ApiToken.staff_for(token)
        if staff is not None:
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


api = NinjaAPI(
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
    q: str | None = None
    page: PageNumber = 1
    page_size: PageSize = 50  # served as at most 200


@api.get("/cases", response={200: CaseListOut, **ERRORS}, summary="列出可见的件")
def list_cases(request, filters: Query[CaseFilters]):
    page_size = min(filters.page_size, 200)
    page = filters.page
    start, stop = (page - 1) * page_size, page * page_size
    if q := (filters.q or "").strip():
        # Search results come newest registered first, read off the search index (xiaobao/cases/search.py).
        qs = filter_cases(visible_cases(request.user), {**filters.dict(), "q": None})
        count, rows = search_count(qs, q), search_page(qs, q, start, stop)
    else:
        # Each part of what the user may see (their unit; items they are invited to) is read off its index.
        parts = [filter_cases(part, filters.dict()) for part in visible_parts(request.user)]
        count = sum(part.count() for part in parts)
        rows = list_page(parts, start, stop)
    results = [case_summary(request.user, c) for c in rows]
    shown = [c.pk for c in rows if c.complainant_id and sees_identity(request.user, c)]
    if shown:
        record(actor=request.user, action="read_personal", obj="case-list", detail={"cases": shown})
    return Status(200, {"count": count, "page": page, "page_size": page_size, "results": results})


@api.post("/cases/{case_id}/actions/{action}", response={200: CaseOut, **ERRORS}, summary="对一件执行操作")
def act(request, case_id: int, action: str, payload: ActionIn | None = None):
    body = {k: v for k, v in payload.model_dump().items() if v is not None} if payload else {}
    case = services.perform(actor=request.user, case_id=case_id, action=action, body=body)
    # Re-read without the visibility filter: a return moves the item out of the actor's sight, yet the
    # actor is owed the result of their own action (identity stays masked by sees_identity).
    case = type(case).objects.select_related("complainant", "respondent", "unit", "handler").get(pk=case.pk)
    return Status(200, case_detail(request.user, case))


# ---------------------------------------------------------------- rules


@api.get("/rules/current", response={200: dict[str, Any], 401: ErrorOut}, summary="当前适用的规则集")
def rules_current(request):
    rs = RuleSet.in_force(clock_services.today())
    return Status(200, {"code": rs.code, "name": rs.name, "effective_from": rs.effective_from.isoformat(),
                 "basis": rs.basis, "clocks": rs.data["clocks"], "grounds": rs.data["grounds"],
                 "required": rs.data.get("required", {})})
