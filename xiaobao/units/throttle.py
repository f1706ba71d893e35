"""Login throttling and lockout for pages and the token endpoint (issue 8: accounts)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import LoginAttempt

# A username is locked after this many failures within the window; an address is throttled after more.
USER_FAILURES = getattr(settings, "XIAOBAO_LOGIN_USER_FAILURES", 5)
ADDRESS_FAILURES = getattr(settings, "XIAOBAO_LOGIN_ADDRESS_FAILURES", 20)
WINDOW = timedelta(minutes=getattr(settings, "XIAOBAO_LOGIN_WINDOW_MINUTES", 15))


def address_hash(ip: str | None) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip or ''}".encode()).hexdigest()[:32]


def refusal(username: str, ip: str | None) -> str | None:
    """A Chinese message when this login may not be tried now, else None."""
    since = timezone.now() - WINDOW
    recent = LoginAttempt.objects.filter(at__gte=since, success=False)
    if recent.filter(username=username[:150]).count() >= USER_FAILURES:
        return f"该账号连续登录失败次数过多，已锁定 {int(WINDOW.total_seconds() // 60)} 分钟，请稍后再试或联系管理员。"
    if recent.filter(address=address_hash(ip)).count() >= ADDRESS_FAILURES:
        return "本机登录失败次数过多，请稍后再试。"
    return None


def note(username: str, ip: str | None, *, success: bool) -> None:
    LoginAttempt.objects.create(username=username[:150], address=address_hash(ip), success=success)
    if success:
        # A good login clears the user's failure streak.
        LoginAttempt.objects.filter(username=username[:150], success=False).delete()
