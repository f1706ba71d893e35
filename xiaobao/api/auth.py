"""POST /api/v1/auth/token: password, then the account checks of issue 8 (forced password change, TOTP); POST
/api/v1/auth/password: the account's own password change (issue 22)."""

from __future__ import annotations

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from ninja import Status

from xiaobao.lib.clientaddress import client_address
from xiaobao.records.audit import record
from xiaobao.units import accounts, throttle
from xiaobao.units.models import ApiToken

from .schemas import PasswordIn, TokenIn


def issue_token(request, payload: TokenIn) -> Status:
    ip = client_address(request)
    if message := throttle.refusal(payload.username, ip):
        record(actor=None, action="login_refused", obj=f"user:{payload.username[:40]}", detail={"via": "api"})
        return Status(429, {"error": message})
    staff = authenticate(request, username=payload.username, password=payload.password)
    if staff is None:
        throttle.note(payload.username, ip, success=False)
        record(actor=None, action="login_failed", obj=f"user:{payload.username[:40]}", detail={"via": "api"})
        return Status(401, {"error": "用户名或密码错误。"})
    second_factor = accounts.totp_enabled(staff)
    if second_factor:
        if not payload.otp.strip():
            # Not a failure: a client may ask for the code only once it knows the account needs one.
            return Status(401, {"error": "该账号已启用两步验证，请在 otp 字段中提供验证器上的 6 位验证码。"})
        if not accounts.check_code(staff, payload.otp, ip=ip, via="api"):
            return Status(401, {"error": "两步验证码不正确或已使用过。"})
    throttle.note(payload.username, ip, success=True)
    if staff.password_change_pending:
        record(actor=staff, action="login_refused", obj=f"user:{staff.username}",
               detail={"via": "api", "reason": "must_change_password"})
        return Status(403, {"error": "该账号仍在使用初始密码或管理员设置的密码，请先修改密码（登录网页，或 POST /api/v1/auth/password），再申请接口令牌。"})
    if accounts.needs_enrolment(staff):
        record(actor=staff, action="login_refused", obj=f"user:{staff.username}",
               detail={"via": "api", "reason": "totp_enrolment_required"})
        return Status(403, {"error": "系统管理员要求您的角色使用两步验证，请先登录网页启用两步验证，再申请接口令牌。"})
    record(actor=staff, action="login", obj=f"user:{staff.username}",
           detail={"via": "api", "second_factor": second_factor})
    return Status(200, {"token": ApiToken.issue(staff)})


def change_password(request, payload: PasswordIn) -> Status:
    """POST /api/v1/auth/password: the account's own change with its current password (and its second factor's
    code when it has one), throttled like the token endpoint. An account whose first password someone else knows
    — an ODR business's, shown once to 消保股 (issue 22) — sets its own here before its first token."""
    ip = client_address(request)
    if message := throttle.refusal(payload.username, ip):
        record(actor=None, action="login_refused", obj=f"user:{payload.username[:40]}",
               detail={"via": "api-password"})
        return Status(429, {"error": message})
    staff = authenticate(request, username=payload.username, password=payload.password)
    if staff is None:
        throttle.note(payload.username, ip, success=False)
        record(actor=None, action="login_failed", obj=f"user:{payload.username[:40]}",
               detail={"via": "api-password"})
        return Status(401, {"error": "用户名或密码错误。"})
    if accounts.totp_enabled(staff):
        if not payload.otp.strip():
            return Status(401, {"error": "该账号已启用两步验证，请在 otp 字段中提供验证器上的 6 位验证码。"})
        if not accounts.check_code(staff, payload.otp, ip=ip, via="api-password"):
            return Status(401, {"error": "两步验证码不正确或已使用过。"})
    throttle.note(payload.username, ip, success=True)
    errors = []
    if not payload.new_password:
        errors.append({"field": "new_password", "message": "请填写新密码。"})
    elif payload.new_password == payload.password:
        errors.append({"field": "new_password", "message": "新密码不能与原密码相同。"})
    else:
        try:
            password_validation.validate_password(payload.new_password, staff)
        except ValidationError as e:
            errors += [{"field": "new_password", "message": m} for m in e.messages]
    if errors:
        return Status(422, {"errors": errors})
    accounts.change_password(staff, payload.new_password, via="api")
    return Status(200, {"message": "密码已修改，请用新密码申请令牌。"})
