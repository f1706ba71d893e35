"""Account pages (issue 8: accounts): the second login step, changing one's password, and the TOTP second
factor (两步验证) for leadership and administrators. The rules live in xiaobao.units.accounts."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from xiaobao.lib.clientaddress import client_address
from xiaobao.odr import access as odr_access
from xiaobao.records.audit import record
from xiaobao.units import accounts, throttle, totp
from xiaobao.units.models import Staff

PENDING = "otp_pending"
PENDING_SECONDS = 300  # the code must follow the password within five minutes


def _ip(request: HttpRequest) -> str | None:
    return client_address(request)


# ---------------------------------------------------------------- login, second step


def begin_second_step(request: HttpRequest, user: Staff, next_url: str) -> HttpResponse:
    """The password was right and the account has a second factor: nobody is logged in until the code is."""
    request.session[PENDING] = {"uid": user.pk, "backend": user.backend, "next": next_url, "at": time.time()}
    return redirect("web:login_otp")


def _pending_user(request: HttpRequest) -> tuple[Staff | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    return Staff.objects.filter(pk=pending["uid"], is_active=True).first(), pending


def login_otp(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(request, "登录已超时，请重新输入用户名和密码。")
        return redirect("web:login")
    context: dict = {"username": user.username}
    if request.method == "POST":
        if message := throttle.refusal(user.username, _ip(request)):
            request.session.pop(PENDING, None)
            record(actor=None, action="login_refused", obj=f"user:{user.username[:40]}", detail={"via": "web"})
            return render(request, "web/login_otp.html", {**context, "locked": message}, status=429)
        if accounts.check_code(user, request.POST.get("code", ""), ip=_ip(request), via="web"):
            request.session.pop(PENDING, None)
            auth_login(request, user, backend=pending["backend"])
            throttle.note(user.username, _ip(request), success=True)
            record(actor=user, action="login", obj=f"user:{user.username}",
                   detail={"via": "web", "second_factor": True})
            return redirect(pending.get("next") or "/")
        context["error"] = "验证码不正确或已使用过，请输入验证器上当前显示的 6 位数字。"
    return render(request, "web/login_otp.html", context)


# ---------------------------------------------------------------- password


class NewPasswordForm(PasswordChangeForm):
    def clean(self):
        cleaned = super().clean()
        if (new := cleaned.get("new_password1")) and new == cleaned.get("old_password"):
            self.add_error("new_password1", "新密码不能与原密码相同。")
        return cleaned


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = NewPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.change_password(request.user, form.cleaned_data["new_password1"], via="web")
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        if odr_access.is_business(request.user):  # an ODR business goes on to its own page (issue 22)
            return redirect(odr_access.business_home())
        return redirect("web:inbox")
    return render(request, "web/password_change.html",
                  {"form": form, "forced": request.user.password_change_pending}, status=422 if form.errors else 200)


# ---------------------------------------------------------------- second factor


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _qr_svg(uri: str) -> str | None:
    try:
        import segno
    except ImportError:  # the QR code is a convenience; the secret and the URI are on the page anyway
        return None
    return segno.make(uri, error="m").svg_inline(scale=4, title="两步验证二维码")


@login_required
def totp_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.may_use_totp:
        return render(request, "web/totp.html", {"not_eligible": True}, status=403)
    error = status = None
    if request.method == "POST":
        action = request.POST.get("action")
        code = request.POST.get("code", "")
        required = accounts.totp_required(user)
        if action in {"confirm", "disable"} and (locked := throttle.refusal(user.username, _ip(request))):
            error, status = locked, 429
        elif action == "start" and not accounts.totp_enabled(user):
            accounts.start_enrolment(user)
            return redirect("web:totp")
        elif action == "confirm":
            if accounts.confirm_enrolment(user, code, ip=_ip(request)):
                messages.success(request, "两步验证已启用。以后登录时，输入密码后还需输入验证器上的 6 位数字。")
                return redirect("web:totp")
            error, status = "验证码不正确，请核对手机时间是否准确后重新输入。", 422
        elif action == "disable" and required:
            error, status = "系统管理员要求您的角色使用两步验证，不能停用。", 409
        elif action == "disable":
            if accounts.disable(user, code, ip=_ip(request)):
                messages.success(request, "两步验证已停用。")
                return redirect("web:totp")
            error, status = "验证码不正确，两步验证未停用。", 422
    context: dict = {"enabled": accounts.totp_enabled(user), "required": accounts.totp_required(user),
                     "error": error}
    if not context["enabled"] and (secret := accounts.pending_secret(user)):
        uri = totp.otpauth_uri(secret, user.username, accounts.ISSUER)
        context.update(secret=_grouped(secret), uri=uri, qr=_qr_svg(uri))
    return render(request, "web/totp.html", context, status=status or 200)


urlpatterns = [
    path("login/otp/", login_otp, name="login_otp"),
    path("account/password/", password_change, name="password_change"),
    path("account/2fa/", totp_page, name="totp"),
]
