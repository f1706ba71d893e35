"""A small question on the public forms against scripted floods. Stateless until answered: the question
travels signed in the form, expires after ten minutes, and its nonce is stored once answered so that a
captured form cannot be replayed. The JSON API relies on the per-address limits instead."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from xiaobao.lib import timeutil

from .models import UsedChallenge

SALT = "xiaobao.portal.challenge"
NUMERALS = "零一二三四五六七八九"


def max_age() -> int:
    return int(getattr(settings, "XIAOBAO_PORTAL_CHALLENGE_SECONDS", 600))


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str


def _question(a: int, b: int) -> str:
    return f"{NUMERALS[a]}加{NUMERALS[b]}等于几？（请填写阿拉伯数字）"


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.TimestampSigner(salt=SALT).sign_object({"n": secrets.token_hex(16), "a": a, "b": b})
    return Challenge(token=token, question=_question(a, b))


def check(token: str, answer: str) -> str | None:
    """None when the answer is right; otherwise why not, in Chinese. Any try uses the question up."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(token or "", max_age=max_age())
    except signing.SignatureExpired:
        return "验证题已过期，请回答新的验证题。"
    except signing.BadSignature:
        return "验证题无效，请回答新的验证题。"
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(nonce=str(payload["n"])[:32], used_at=timeutil.now())
    except IntegrityError:
        return "该验证题已使用过，请回答新的验证题。"
    if (answer or "").strip() != str(payload["a"] + payload["b"]):
        return "验证题答案不正确，请回答新的验证题。"
    return None


def prune() -> int:
    """Forget nonces whose questions have expired anyway."""
    cutoff = timeutil.now() - timedelta(seconds=max_age())
    return UsedChallenge.objects.filter(used_at__lt=cutoff).delete()[0]
