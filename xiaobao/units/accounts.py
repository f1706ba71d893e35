"""Account security (issue 8: accounts): forced password change and the optional TOTP second factor.

Pages (xiaobao.web.account_views), the gate middleware and the API token endpoint all ask these functions.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xiaobao.records.audit import record

from . import throttle, totp
from .models import ApiToken, Staff, TotpDevice

ISSUER = "消保"


def totp_required(user: Staff) -> bool:
    """Whether the administrator requires a second factor of this user's role group."""
    return any(user.in_role_group(g) for g in settings.XIAOBAO_REQUIRE_TOTP_FOR)


def totp_enabled(user: Staff) -> bool:
    return TotpDevice.objects.filter(staff=user, confirmed_at__isnull=False).exists()


def needs_enrolment(user: Staff) -> bool:
    return totp_required(user) and not totp_enabled(user)


# ---------------------------------------------------------------- passwords


def change_password(user: Staff, new_password: str, *, via: str) -> None:
    """The user's own change: the password is theirs alone from now on, and API tokens issued with the old one
    stop working (issue 16, point 10: a token taken with a stolen password must not outlive the change)."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    revoked, _ = ApiToken.objects.filter(staff=user).delete()
    record(actor=user, action="password_changed", obj=f"user:{user.username}",
           detail={"via": via, "tokens_revoked": revoked})


def note_password_set_by(admin: Staff, user: Staff, *, created: bool) -> None:
    """An administrator typed this password, so the user must replace it; tokens issued before stop working."""
    if admin.pk == user.pk:
        return
    Staff.objects.filter(pk=user.pk).update(must_change_password=True)
    user.must_change_password = True
    ApiToken.objects.filter(staff=user).delete()
    record(actor=admin, action="account_created" if created else "password_reset", obj=f"user:{user.username}",
           detail={"must_change_password": True})


# ---------------------------------------------------------------- TOTP


def start_enrolment(user: Staff) -> str:
    """A fresh secret, kept unconfirmed until the user types a code from it. Replaces an unconfirmed one."""
    if not user.may_use_totp:
        raise PermissionError("only leadership and administrators use a second factor")
    secret = totp.new_secret()
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(staff=user).first()
        if device is not None and device.confirmed_at is not None:
            raise ValueError("already enrolled")
        TotpDevice.objects.update_or_create(
            staff=user, defaults={"sealed_secret": totp.seal(secret), "confirmed_at": None, "last_step": 0})
    return secret


def pending_secret(user: Staff) -> str | None:
    device = TotpDevice.objects.filter(staff=user, confirmed_at__isnull=True).first()
    return totp.unseal(device.sealed_secret) if device else None


def check_code(user: Staff, code: str, *, ip: str | None, via: str, confirmed: bool = True) -> bool:
    """Whether `code` is a fresh valid code of the user's device. A failure counts towards the login lockout
    (xiaobao.units.throttle) and lands in the audit trail; a used code is never accepted again (replay)."""
    with transaction.atomic():
        device = (TotpDevice.objects.select_for_update()
                  .filter(staff=user, confirmed_at__isnull=not confirmed).first())
        secret = totp.unseal(device.sealed_secret) if device else None
        step = totp.matching_step(secret, code, time.time(), after_step=device.last_step) if secret else None
        if step is not None:
            device.last_step = step
            fields = ["last_step"]
            if not confirmed:
                device.confirmed_at = timezone.now()
                fields.append("confirmed_at")
            device.save(update_fields=fields)
            return True
    throttle.note(user.username, ip, success=False)
    record(actor=user, action="totp_failed", obj=f"user:{user.username}", detail={"via": via})
    return False


def confirm_enrolment(user: Staff, code: str, *, ip: str | None) -> bool:
    if not check_code(user, code, ip=ip, via="enrol", confirmed=False):
        return False
    record(actor=user, action="totp_enrolled", obj=f"user:{user.username}", detail={})
    return True


def disable(user: Staff, code: str, *, ip: str | None) -> bool:
    if not check_code(user, code, ip=ip, via="disable"):
        return False
    TotpDevice.objects.filter(staff=user).delete()
    record(actor=user, action="totp_disabled", obj=f"user:{user.username}", detail={})
    return True


def reset_by_admin(admin: Staff, user: Staff) -> bool:
    """A lost phone: the administrator removes the device, and the user enrols again."""
    deleted, _ = TotpDevice.objects.filter(staff=user).delete()
    if deleted:
        record(actor=admin, action="totp_reset", obj=f"user:{user.username}", detail={})
    return bool(deleted)
