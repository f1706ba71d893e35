"""The public API (no login): submit a complaint, report or inquiry, and follow it by number and query
code. A separate NinjaAPI so that nothing of the staff API's auth or documents leaks into it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from xiaobao.cases.errors import Refused
from xiaobao.portal import services as portal
from xiaobao.portal.http import client_key
from xiaobao.portal.present import public_view

from .errors import answer_disk_full, field_errors
from .rendering import ChineseJSONRenderer
from .schemas import ErrorOut, PersonIn, RespondentIn, ValidationOut
from .v1 import JsonObjectParser

public_api = NinjaAPI(
    title="消保 Xiaobao 公众服务接口",
    version="public-1",
    description="网上投诉、举报、咨询的提交与办理进度查询（无需登录，见 API-v1.md “Public portal”）",
    urls_namespace="api-public-v1",
    auth=None,
    renderer=ChineseJSONRenderer(),
    # ninja's docs page loads Swagger UI from a CDN, which the pages' CSP (and the no-CDN rule) forbid;
    # integrators read /api/public/v1/openapi.json.
    docs_url=None,
    parser=JsonObjectParser(),
)


class SubmissionIn(Schema):
    """The item fields of POST /api/v1/cases without channel (always web), external_id, received_at and
    tier, which are the bureau's to set; unknown fields are ignored."""

    kind: Any = None
    complainant: PersonIn | None = None
    respondent: RespondentIn | None = None
    facts: Any = None
    demand: Any = None
    question: Any = None
    amount: Any = None
    category: Any = None
    consent_disclosure: bool = False
    consent_mediation: bool = False


class SubmissionOut(Schema):
    number: str
    query_code: str


class PublicClockOut(Schema):
    name: str
    label: str
    due: str
    state: str


class ReplyOut(Schema):
    at: str
    channel: str
    content: str


class TrackOut(Schema):
    number: str
    kind: str
    state: str
    outcome: str | None
    received_at: str
    clocks: list[PublicClockOut]
    replies: list[ReplyOut]


@public_api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    return public_api.create_response(request, {"errors": field_errors(exc)}, status=422)


answer_disk_full(public_api)


@public_api.exception_handler(Refused)
def on_refused(request, exc: Refused):
    body: dict[str, Any] = {"errors": exc.errors} if exc.status == 422 else {"error": exc.message}
    return public_api.create_response(request, body, status=exc.status)


@public_api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        errors = [{"field": "body", "message": "请求体应为 JSON 对象（UTF-8 编码）。"}]
        return public_api.create_response(request, {"errors": errors}, status=422)
    return public_api.create_response(request, {"error": str(exc)}, status=exc.status_code)


@public_api.post("/submissions", response={201: SubmissionOut, 422: ValidationOut, 429: ErrorOut},
                 summary="提交投诉、举报或咨询")
def submit(request: HttpRequest, payload: SubmissionIn, response: HttpResponse):
    data = payload.dict(exclude={"consent_disclosure", "consent_mediation"}, exclude_unset=True)
    case, code = portal.submit(data=data, client=client_key(request),
                               consent_disclosure=payload.consent_disclosure,
                               consent_mediation=payload.consent_mediation)
    response["Cache-Control"] = "no-store"
    return Status(201, {"number": case.number, "query_code": code})


@public_api.get("/track", response={200: TrackOut, 404: ErrorOut, 422: ValidationOut, 429: ErrorOut},
                summary="凭编号和查询码查询办理进度")
def track(request: HttpRequest, number: str, query_code: str, response: HttpResponse):
    case = portal.find(number=number, query_code=query_code, client=client_key(request))
    response["Cache-Control"] = "no-store"
    return Status(200, public_view(case))
