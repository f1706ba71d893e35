"""Login throttling for pages, the token endpoint and second-factor codes (issue 16, point 8).

Brute force is kept out without giving anyone a switch that locks the bureau out. A wrong password counts
against the account *at the client it came from* (its address, xiaobao.lib.clientaddress):

- account and client together: after FREE_FAILURES failures since that client's last good login, each further
  try waits twice as long as the one before (1, 2, 4, 8 minutes, at most 15). Wrong passwords typed at one
  address slow that account down at that address only; its owner logs in elsewhere as usual.
- one client, many accounts (password spraying): past CLIENT_FAILURES failures within CLIENT_WINDOW an address
  may try only the accounts that have logged in from it before, so colleagues behind the same address still can.
- one account, many clients (a guesser spread over many addresses): past ACCOUNT_FAILURES failures within
  ACCOUNT_WINDOW the account may log in only from addresses it has logged in from before.

When an account is first held back, `throttled` is sent; xiaobao.notify tells the administrators.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.dispatch import Signal
from django.utils import timezone

from .models import LoginAttempt

FREE_FAILURES = getattr(settings, "XIAOBAO_LOGIN_FREE_FAILURES", 5)
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(minutes=15)
PAIR_MEMORY = timedelta(days=1)  # an account's failures at a client are forgotten after this
CLIENT_FAILURES = getattr(settings, "XIAOBAO_LOGIN_CLIENT_FAILURES", 20)
CLIENT_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = getattr(settings, "XIAOBAO_LOGIN_ACCOUNT_FAILURES", 50)
ACCOUNT_WINDOW = timedelta(days=1)
KNOWN_FOR = timedelta(days=90)  # a client an account logged in from within this time is one of its own

# Sent with username, failures and reason ("client" or "account") when an account is first held back.
throttled = Signal()


def address_hash(ip: str | None) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip or ''}".encode()).hexdigest()[:32]


def delay_after(failures: int) -> timedelta:
    """How long the next try waits after `failures` failures in a row at one client."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES, 16), MAX_DELAY)


def _pair_failures(username: str, key: str, now: datetime) -> tuple[int, datetime | None]:
    """Failures of the account at this client since its last good login there (within PAIR_MEMORY)."""
    pair = LoginAttempt.objects.filter(username=username, address=key)
    # By id, not time: a good login and the failures after it may carry the same timestamp.
    last_good = pair.filter(success=True).aggregate(id=Max("id"))["id"] or 0
    failed = (pair.filter(success=False, id__gt=last_good, at__gt=now - PAIR_MEMORY)
              .aggregate(n=Count("id"), last=Max("at")))
    return failed["n"], failed["last"]


def _known(username: str, key: str, now: datetime) -> bool:
    return LoginAttempt.objects.filter(username=username, address=key, success=True, at__gte=now - KNOWN_FOR).exists()


def _client_failures(key: str, now: datetime) -> int:
    return LoginAttempt.objects.filter(address=key, success=False, at__gte=now - CLIENT_WINDOW).count()


def _account_failures(username: str, now: datetime) -> int:
    return LoginAttempt.objects.filter(username=username, success=False, at__gte=now - ACCOUNT_WINDOW).count()


def _minutes(wait: timedelta) -> str:
    return f"{max(1, math.ceil(wait.total_seconds() / 60))} 分钟"


def refusal(username: str, ip: str | None) -> str | None:
    """A Chinese message when this account may not be tried from this client now, else None."""
    username, key, now = username[:150], address_hash(ip), timezone.now()
    failures, last = _pair_failures(username, key, now)
    if last is not None and (wait := delay_after(failures)) and now < last + wait:
        return (f"该账号在本机已连续登录失败 {failures} 次，请 {_minutes(last + wait - now)}后再试。"
                "如果不是您本人在尝试，请联系系统管理员。")
    if _client_failures(key, now) >= CLIENT_FAILURES and not _known(username, key, now):
        return "本机登录失败次数过多，暂时只能登录曾在本机登录过的账号，请稍后再试。"
    if _account_failures(username, now) >= ACCOUNT_FAILURES and not _known(username, key, now):
        return "该账号近期登录失败次数过多，暂时只能在曾经登录过的电脑上登录；请联系系统管理员。"
    return None


def note(username: str, ip: str | None, *, success: bool) -> None:
    username, key, now = username[:150], address_hash(ip), timezone.now()
    LoginAttempt.objects.create(username=username, address=key, success=success)
    if success:
        # What is older than the memory of known clients is of no use any more.
        LoginAttempt.objects.filter(username=username, at__lt=now - KNOWN_FOR).delete()
        return
    failures, _ = _pair_failures(username, key, now)
    if failures == FREE_FAILURES:
        throttled.send(sender=LoginAttempt, username=username, failures=failures, reason="client")
    elif _account_failures(username, now) == ACCOUNT_FAILURES:
        throttled.send(sender=LoginAttempt, username=username, failures=ACCOUNT_FAILURES, reason="account")

