"""The register of ODR businesses (issue 22, point 1; API-v1.md "ODR businesses"; DOMAIN.md "Settling first").

消保股's dispatchers review a business that joins the scheme (《全国12315互联网平台在线消费纠纷解决企业管理暂行办法》:
recommended by the county bureau or applying itself; a place, a staff member, a phone, a written procedure and a
signed commitment), record its commitments (先行赔付, 无理由退货), and give it an account of its own — an outside
user (role "business", no unit) whose first password is shown once and must be changed before anything else.
They suspend, remove and reinstate it with a reason. Every write, and every read of its contact data, is audited.
"""

from __future__ import annotations

import re
import secrets
import string

from django.db import IntegrityError, transaction
from django.utils import timezone

from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.records.audit import record
from xiaobao.units.models import ApiToken, Role, Staff

from . import credit_code
from .models import CONDITIONS, Business, BusinessState, Commitment, Origin

NOT_PERMITTED = "ODR企业名录由消保股分流员管理。"
NOT_FOUND = "未找到该ODR企业。"
USERNAME_PREFIX = "odr-"
# A phone number as people write it: digits, spaces and + - ( ), at least 7 characters, ending in a digit.
PHONE = re.compile(r"^[0-9+\-()][0-9+\-() ]{5,}[0-9]$")
LIMITS = {"name": 200, "address": 250, "contact": 60, "phone": 40}
LABELS = {"name": "企业名称", "address": "地址", "contact": "纠纷处理联系人", "phone": "联系电话"}

# What a state change does: the states it may start from, the state it leads to, and its label.
STATE_ACTIONS = {
    "suspend": ({BusinessState.ACTIVE, BusinessState.PENDING}, BusinessState.SUSPENDED, "暂停"),
    "remove": ({BusinessState.ACTIVE, BusinessState.PENDING, BusinessState.SUSPENDED}, BusinessState.REMOVED, "移出名录"),
    "reinstate": ({BusinessState.SUSPENDED, BusinessState.REMOVED}, BusinessState.ACTIVE, "恢复"),
}


def may_manage(user) -> bool:
    """消保股's dispatchers review, register, suspend and remove ODR businesses (DOMAIN.md: "reviewed and given an
    account by the county bureau")."""
    return bool(user and user.is_authenticated and user.is_active and user.has_role(Role.DISPATCHER))


def _check(actor) -> None:
    if not may_manage(actor):
        raise NotPermitted(NOT_PERMITTED)


def username_for(code: str) -> str:
    return f"{USERNAME_PREFIX}{code.lower()}"


def new_password() -> str:
    """A random first password (shown once): 16 characters from letters, digits and a few signs, with each
    kind present, so that it passes the password validators (length 10, not common, not numeric). No characters
    that are read one for another when the password is handed over on paper (O 0, I l 1)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "O0Il1") + "-_.!@#"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if (any(c.islower() for c in password) and any(c.isupper() for c in password)
                and any(c.isdigit() for c in password)):
            return password


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def validate(data: dict) -> tuple[dict, list[dict]]:
    """The cleaned fields of a new business and every problem at once, each naming its field."""
    errors: list[dict] = []
    clean: dict = {}
    for key, limit in LIMITS.items():
        value = _text(data, key)
        if not value:
            errors.append({"field": key, "message": f"请填写{LABELS[key]}。"})
        elif len(value) > limit:
            errors.append({"field": key, "message": f"{LABELS[key]}不能超过 {limit} 个字。"})
        elif key == "phone" and not PHONE.match(value):
            errors.append({"field": key, "message": "联系电话只能包含数字、空格和 + - ( )，至少 7 位，以数字结尾。"})
        clean[key] = value

    # 统一社会信用代码 with its check character (GB 32100-2015); one business per code.
    code = _text(data, "credit_code").upper()
    if problem := credit_code.problem(code):
        errors.append({"field": "credit_code", "message": problem})
    elif (other := Business.objects.filter(credit_code=code).first()) is not None:
        errors.append({"field": "credit_code", "message": f"该统一社会信用代码已登记（{other.name}），不能重复登记。"})
    elif Staff.objects.filter(username=username_for(code)).exists():
        errors.append({"field": "credit_code", "message": "该统一社会信用代码对应的企业账号已存在，请联系系统管理员。"})
    clean["credit_code"] = code

    # Recommended by the county bureau or applying itself (暂行办法; DOMAIN.md "Settling first").
    origin = data.get("origin") or Origin.RECOMMENDED
    if origin not in Origin.values:
        errors.append({"field": "origin", "message": "加入方式应为 recommended（县级局推荐）或 applied（企业自愿申请）。"})
    clean["origin"] = origin

    # Every joining condition of the 暂行办法 checked by 消保股 (odr.models.CONDITIONS).
    conditions = data.get("conditions")
    if conditions is None:
        conditions = {}
    if not isinstance(conditions, dict):
        errors.append({"field": "conditions", "message": "加入条件应为对象：条件代码 → true。"})
        conditions = {}
    for key, label in CONDITIONS.items():
        if conditions.get(key) is not True:
            errors.append({"field": f"conditions.{key}", "message": f"加入条件未核实：{label}。五项条件都具备才能加入。"})
    for key in conditions:
        if key not in CONDITIONS:
            errors.append({"field": f"conditions.{key}", "message": "没有这项加入条件。"})
    clean["conditions"] = {key: True for key in CONDITIONS}

    # The commitments it may make: 先行赔付, 无理由退货.
    commitments = data.get("commitments")
    if commitments is None:
        commitments = []
    if not isinstance(commitments, list) or any(c not in Commitment.values for c in commitments):
        errors.append({"field": "commitments",
                       "message": "承诺只能是 advance_compensation（先行赔付）、no_reason_return（无理由退货）。"})
        commitments = []
    clean["commitments"] = [c for c in Commitment.values if c in commitments]
    return clean, errors


def register(*, actor, data: dict) -> tuple[Business, str]:
    """A reviewed business joins the register with its account; returns it and the first password (shown once)."""
    _check(actor)
    clean, errors = validate(data)
    if errors:
        raise Invalid(errors)
    password = new_password()
    try:
        with transaction.atomic():
            account = Staff(username=username_for(clean["credit_code"]), full_name=clean["name"][:40],
                            roles=[Role.BUSINESS], unit=None, phone=clean["phone"], must_change_password=True)
            account.set_password(password)
            account.save()
            business = Business.objects.create(**clean, state=BusinessState.ACTIVE, account=account,
                                               registered_by=actor)
            record(actor=actor, action="odr_business_registered", obj=f"odr-business:{business.pk}",
                   detail={"name": business.name, "credit_code": business.credit_code, "origin": business.origin,
                           "conditions": business.conditions, "commitments": business.commitments,
                           "contact": business.contact, "phone": business.phone, "address": business.address,
                           "account": account.username})
            record(actor=actor, action="account_created", obj=f"user:{account.username}",
                   detail={"must_change_password": True, "roles": account.roles})
    except IntegrityError as e:  # a registration of the same code at the same moment
        raise Invalid([{"field": "credit_code", "message": "该统一社会信用代码已登记，不能重复登记。"}]) from e
    return business, password


def businesses(*, actor, state: str | None = None):
    """The register, for 消保股; reading it reads every business's contact data, so it is audited."""
    _check(actor)
    qs = Business.objects.select_related("account", "registered_by")
    if state:
        qs = qs.filter(state=state)
    rows = list(qs)
    record(actor=actor, action="odr_business_list_read", obj="odr-business-list",
           detail={"businesses": [b.pk for b in rows]})
    return rows


def get(*, actor, business_id: int, audit: bool = True) -> Business:
    _check(actor)
    business = Business.objects.select_related("account", "registered_by").filter(pk=business_id).first()
    if business is None:
        raise NotFound(NOT_FOUND)
    if audit:
        record(actor=actor, action="odr_business_read", obj=f"odr-business:{business.pk}", detail={})
    return business


def change_state(*, actor, business_id: int, action: str, reason: object) -> Business:
    """Suspend, remove or reinstate with a reason. Suspended or removed, the business's account can neither log
    in nor use a token it holds (its sessions end with it: an inactive user is logged out on the next request);
    reinstated, it logs in again."""
    _check(actor)
    if action not in STATE_ACTIONS:
        raise NotFound("没有这个操作。")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise Invalid([{"field": "reason", "message": f"请填写{STATE_ACTIONS[action][2]}的原因。"}])
    if len(reason) > 2000:
        raise Invalid([{"field": "reason", "message": "原因不能超过 2000 个字。"}])
    sources, target, label = STATE_ACTIONS[action]
    with transaction.atomic():
        business = Business.objects.select_for_update().filter(pk=business_id).first()
        if business is None:
            raise NotFound(NOT_FOUND)
        if business.state not in sources:
            raise WrongState(f"该企业当前状态为“{business.get_state_display()}”，不能{label}。")
        before = business.state
        business.state, business.state_reason = target, reason
        business.save(update_fields=["state", "state_reason"])
        revoked = 0
        if business.account_id:
            active = target == BusinessState.ACTIVE
            Staff.objects.filter(pk=business.account_id).update(is_active=active)
            if not active:
                revoked, _ = ApiToken.objects.filter(staff_id=business.account_id).delete()
        record(actor=actor, action=f"odr_business_{action}", obj=f"odr-business:{business.pk}",
               detail={"from": before, "to": target, "reason": reason, "tokens_revoked": revoked})
    return Business.objects.select_related("account", "registered_by").get(pk=business.pk)


def view(business: Business) -> dict:
    """A business as the register shows it (API and pages)."""
    return {
        "id": business.pk, "name": business.name, "credit_code": business.credit_code,
        "address": business.address, "contact": business.contact, "phone": business.phone,
        "origin": business.origin, "origin_label": business.get_origin_display(),
        "conditions": {key: bool(business.conditions.get(key)) for key in CONDITIONS},
        "commitments": list(business.commitments),
        "commitment_labels": [Commitment(c).label for c in business.commitments if c in Commitment.values],
        "state": business.state, "state_label": business.get_state_display(), "state_reason": business.state_reason,
        "username": business.account.username if business.account_id else None,
        "account_active": bool(business.account_id and business.account.is_active),
        "registered_by": business.registered_by.username if business.registered_by_id else None,
        "registered_at": timezone.localtime(business.registered_at).isoformat(),
    }
