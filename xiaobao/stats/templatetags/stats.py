from django import template

from xiaobao.stats.access import BUREAU_ROLES, may_see_statistics
from xiaobao.units.models import Role

register = template.Library()


@register.filter
def sees_statistics(user) -> bool:
    """For the navigation: `{% load stats %}{% if user|sees_statistics %}…`."""
    return may_see_statistics(user)


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@register.filter
def sees_dashboard(user) -> bool:
    return user.is_authenticated and user.has_role(*BUREAU_ROLES)


@register.filter
def sees_warnings(user) -> bool:
    return user.is_authenticated and user.has_role(Role.DISPATCHER)


@register.filter
def sees_alerts(user) -> bool:
    # Consumer warnings: 消保股 drafts them, the 分管局长 approves, the 局负责人 reads (disclosure.services.may_see).
    return user.is_authenticated and any(user.has_role(r) for r in (Role.DISPATCHER, Role.DEPUTY_DIRECTOR,
                                                                   Role.BUREAU_HEAD))


@register.filter
def submits_monthly(user) -> bool:
    """Staff of a handling unit who report its month (rules 一.3(3))."""
    return (user.is_authenticated and user.unit_id is not None and user.unit.handles_items
            and user.has_role(Role.HANDLER, Role.UNIT_LEADER))
