"""The ODR business's side of API v1 (API-v1.md "ODR businesses (settling first)"): the complaints forwarded to it
and still with it, each with only the consumer's name and phone, the facts, the demand, its due date and its own
exchange; its contact records; its answer (`POST /api/v1/cases/{case_id}/actions/business_answer`, declared in
v1.py beside the other actions, answered by `answer` here). Anything else → 404; a user who is no business → 403
on the inbox. Every read of the consumer's data is audited (xiaobao.odr.settling.audit_read)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from xiaobao.cases.errors import NotFound, NotPermitted
from xiaobao.odr import settling

from .body import json_object
from .schemas import ErrorOut, ObjectId, ValidationOut

router = Router(tags=["odr-business"])


class ConsumerOut(Schema):
    name: str
    phone: str


class ContactOut(Schema):
    at: str
    method: str
    process: str
    offer: str


class AnswerOut(Schema):
    result: str
    detail: str
    amount: str | None
    answered_at: str | None


class InboxItemOut(Schema):
    id: int
    number: str
    received_on: str
    consumer: ConsumerOut
    facts: str
    demand: str
    due: str
    contacts: list[ContactOut]
    answer: AnswerOut | None


class InboxRowOut(Schema):
    id: int
    number: str
    received_on: str
    consumer_name: str
    due: str


class InboxOut(Schema):
    count: int
    results: list[InboxRowOut]


class ContactIn(Schema):
    at: str | None = None
    method: str | None = None
    process: str | None = None
    offer: str | None = None

    model_config = {"json_schema_extra": {"required": ["at", "method", "process"],
                                          "description": "企业与消费者的一次联系：联系时间（ISO 8601）、方式、过程、企业提出的方案"}}


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationOut}


def _business(request: HttpRequest):
    business = settling.business_of(request.user)
    if business is None:
        raise NotPermitted("仅限ODR企业账号使用。")
    return business


@router.get("/odr/inbox", response={200: InboxOut, 401: ErrorOut, 403: ErrorOut}, summary="ODR企业：转送本企业的投诉")
def inbox(request):
    business = _business(request)
    rows = list(settling.inbox(business)[:500])
    settling.audit_read(request.user, rows, via="api", listing=True)
    return Status(200, {"count": len(rows), "results": [settling.list_view(f) for f in rows]})


@router.get("/odr/inbox/{case_id}", response={200: InboxItemOut, **ERRORS}, summary="ODR企业：查看一件转送的投诉")
def inbox_item(request, case_id: ObjectId):
    forwarding = settling.forwarding_for(_business(request), case_id)
    if forwarding is None:
        raise NotFound("未找到该件，或您无权查看。")
    settling.audit_read(request.user, [forwarding], via="api")
    return Status(200, settling.item_view(forwarding))


@router.post("/odr/inbox/{case_id}/contacts", response={201: InboxItemOut, **ERRORS},
             summary="ODR企业：记录与消费者的联系")
def add_contact(request, case_id: ObjectId, payload: ContactIn):
    _business(request)
    forwarding = settling.add_contact(actor=request.user, case_id=case_id, body=payload.dict())
    settling.audit_read(request.user, [forwarding], via="api")
    return Status(201, settling.item_view(forwarding))


def answer(request: HttpRequest, case_id: ObjectId):
    """business_answer, for the business the item was forwarded to (everyone else: 404, staff who may see the item
    403). The answer: the item as the business saw it, with its answer."""
    user = request.user
    body = json_object(request)
    if settling.business_of(user) is None:
        # Staff: the spine's path (404 unless they may see the item, then 403: the business answers).
        from xiaobao.cases import services

        services.perform(actor=user, case_id=case_id, action="business_answer", body=body)
        raise NotFound("未找到该件，或您无权查看。")  # not reached: only a business may answer
    _case, forwarding = settling.answer_as_business(actor=user, case_id=case_id, body=body)
    settling.audit_read(user, [forwarding], via="api")
    return Status(200, settling.item_view(forwarding, answer=True))
