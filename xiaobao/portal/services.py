"""Submissions from the public and tracking by number and query code.

The portal registers items through xiaobao.cases.services.register_case like every other channel; what it
adds is kept in its own tables: the query code (only its hash), and the
per-address counters that hold back floods. Counters live in the database so that every application
server sees the same ones.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.crypto import salted_hmac

from xiaobao.cases import services as cases
from xiaobao.cases.errors import Invalid, NotFound, Refused
from xiaobao.cases.models import Case, Channel, Kind, Party
from xiaobao.lib import timeutil

from .models import Hit, Submission, ThrottleBucket

# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand
# (no 0/O, 1/I/L, 8/B, 5/S, 2/Z).
QUERY_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
QUERY_CODE_LENGTH = 12

SUBMIT, LOOKUP = "submit", "lookup"
NOT_FOUND_MESSAGE = "编号或查询码不正确，请核对后重试。"

# What the public may set. The channel is always 网络 (web); the time received is now; the tier is the
# dispatcher's call; the public has no external id.
PUBLIC_FIELDS = ("kind", "complainant", "respondent", "facts", "demand", "question", "amount", "category")
TEXT_LIMITS = {"facts": 5000, "demand": 2000, "question": 5000}
AMOUNT_LIMIT = Decimal("1000000000000")


class Throttled(Refused):
    status = 429


def submit_limits() -> list[tuple[int, int]]:
    """(how many, within so many seconds) accepted submissions per address."""
    return list(getattr(settings, "XIAOBAO_PORTAL_SUBMIT_LIMITS", [(5, 600), (20, 86400)]))


def lookup_limits() -> list[tuple[int, int]]:
    """(how many, within so many seconds) failed lookups per address."""
    return list(getattr(settings, "XIAOBAO_PORTAL_LOOKUP_LIMITS", [(10, 600)]))


def client_key(address: str | None) -> str:
    """The address as a keyed hash: enough to count requests, useless to anyone without SECRET_KEY."""
    return salted_hmac("xiaobao.portal.client", address or "", algorithm="sha256").hexdigest()


# ---------------------------------------------------------------- query codes


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalize_query_code(code: str) -> str:
    """What people type back: lower case, spaces and dashes from the grouped display are all fine."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def hash_query_code(number: str, code: str) -> str:
    # The code carries about 56 random bits, so a fast hash is enough; the item number salts it so that
    # no table can be precomputed, and no SECRET_KEY is involved so a key rotation keeps codes valid.
    return hashlib.sha256(f"xiaobao.portal:{number}:{normalize_query_code(code)}".encode()).hexdigest()


def format_query_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


# ---------------------------------------------------------------- throttling


def _window_message(scope: str, seconds: int) -> str:
    span = f"{seconds // 3600} 小时" if seconds >= 3600 else f"{max(1, seconds // 60)} 分钟"
    if scope == SUBMIT:
        return f"同一网络地址在 {span} 内提交次数过多，请稍后再试；情况紧急的请拨打 12315。"
    return f"查询失败次数过多，请 {span} 后再试。"


def _count_and_hit(scope: str, client: str, limits: list[tuple[int, int]]) -> Hit:
    """Refuse when the client is over a limit, else count this request. The client's bucket row is locked
    for the count and the insert, so concurrent requests from one address queue instead of slipping by."""
    ThrottleBucket.objects.get_or_create(scope=scope, client=client)
    ThrottleBucket.objects.select_for_update().get(scope=scope, client=client)
    now = timeutil.now()
    for allowed, seconds in limits:
        recent = Hit.objects.filter(scope=scope, client=client, at__gt=now - timedelta(seconds=seconds))
        if recent.count() >= allowed:
            raise Throttled(_window_message(scope, seconds))
    return Hit.objects.create(scope=scope, client=client, at=now)


# ---------------------------------------------------------------- submission


def _length_errors(payload: dict) -> list[dict]:
    errors = []
    for role in ("complainant", "respondent"):
        party = payload.get(role)
        if not isinstance(party, dict):
            continue
        for key, value in party.items():
            if not isinstance(value, str):
                continue
            try:
                limit = Party._meta.get_field(key).max_length
            except FieldDoesNotExist:  # the registration ignores keys that are not Party fields
                continue
            if limit and len(value.strip()) > limit:
                errors.append({"field": f"{role}.{key}", "message": f"内容过长，最多 {limit} 个字。"})
    for key, limit in TEXT_LIMITS.items():
        value = payload.get(key)
        if isinstance(value, str) and len(value.strip()) > limit:
            errors.append({"field": key, "message": f"内容过长，最多 {limit} 个字。"})
    amount = str(payload.get("amount") or "").strip()
    if amount:
        try:
            if Decimal(amount) >= AMOUNT_LIMIT:
                errors.append({"field": "amount", "message": "涉案金额过大，请核对。"})
        except InvalidOperation:
            pass  # the registration names a malformed amount
    return errors


def public_payload(data: dict[str, Any]) -> dict[str, Any]:
    payload = {k: data[k] for k in PUBLIC_FIELDS if k in data}
    person = payload.get("complainant")
    if payload.get("kind") == Kind.REPORT and isinstance(person, dict) and person.get("anonymous"):
        # A reporter who withholds their identity is respected (rules 二.3): nothing identifying is kept,
        # even if the form was filled in before the box was ticked. Progress is followed by query code.
        # A reward is still asked for by identity code and password alone (举报奖励暂行办法: anonymous reporters).
        payload["complainant"] = {"anonymous": True, "wants_reply": False,
                                  **{k: person[k] for k in ("wants_reward", "reward_code", "reward_password")
                                     if k in person}}
    return payload


def submit(*, data: dict[str, Any], client: str, consent_disclosure: bool | None = None,
           consent_mediation: bool | None = None) -> tuple[Case, str]:
    """Register an item from the public. Returns the item and its query code, which exists nowhere else
    afterwards. Raises Throttled (429) when the address has submitted too often, Invalid (422) naming every
    missing field."""
    payload = public_payload(data)
    if payload.get("kind") == Kind.COMPLAINT:
        # The SAMR-2026 complaint form's consents are kept on the item itself.
        payload["consent_disclosure"] = bool(consent_disclosure)
        payload["consent_entrusted_mediation"] = bool(consent_mediation)
    if errors := _length_errors(payload):
        raise Invalid(errors)
    with transaction.atomic():
        _count_and_hit(SUBMIT, client, submit_limits())
        case, _ = cases.register_case(actor=None, data=payload, channel=Channel.WEB)
        code = new_query_code()
        Submission.objects.create(case=case, query_code_hash=hash_query_code(case.number, code),
                                  created_ip_hash=client)
    return case, code


# ---------------------------------------------------------------- tracking


def find(*, number: str, query_code: str, client: str) -> Case:
    """The item with this number and query code. A wrong number and a wrong code look the same (NotFound),
    so that nobody learns which numbers exist; failures are counted per address (Throttled)."""
    # Every lookup counts as a failure until it succeeds: a burst of guesses in parallel is counted at once.
    with transaction.atomic():
        hit = _count_and_hit(LOOKUP, client, lookup_limits())
    number = (number or "").strip().upper()
    submission = Submission.objects.select_related("case").filter(case__number=number).first()
    expected = submission.query_code_hash if submission else hash_query_code("", secrets.token_hex(8))
    if not hmac.compare_digest(expected, hash_query_code(number, query_code)) or submission is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    hit.delete()
    return submission.case
