"""Who may see which statistics: the bureau's figures for 消保股, the leadership and the auditor; a handling
unit's staff only their own unit's (rules 一.3(3): units report their own monthly figures)."""

from __future__ import annotations

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.units.models import Role, Staff, Unit

BUREAU_ROLES = (Role.DISPATCHER, Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD, Role.AUDITOR)
UNIT_ROLES = (Role.HANDLER, Role.UNIT_LEADER)


def may_see_statistics(user: Staff) -> bool:
    return user.is_authenticated and (user.has_role(*BUREAU_ROLES)
                                      or (user.unit_id is not None and user.has_role(*UNIT_ROLES)))


def default_unit_code(user: Staff) -> str | None:
    """What a user sees when asking for nothing in particular: the bureau, or their own unit."""
    if user.has_role(*BUREAU_ROLES) or user.unit is None:
        return None
    return user.unit.code


def statistics_scope(user: Staff, unit_code: str | None) -> Unit | None:
    """The unit whose figures the user asks for (None: the whole bureau), once it is known to exist and
    the user may see it. Raises Invalid (unknown unit) or NotPermitted."""
    unit = None
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise Invalid([{"field": "unit", "message": f"单位“{unit_code}”不存在。"}])
    if user.has_role(*BUREAU_ROLES):
        return unit
    if user.unit_id is not None and user.has_role(*UNIT_ROLES):
        if unit is None:
            raise NotPermitted("您只能查看本单位的统计数据。")
        if unit.pk != user.unit_id:
            raise NotPermitted("您只能查看本单位的统计数据，不能查看其他单位的。")
        return unit
    raise NotPermitted("您的角色不能查看统计数据。")
