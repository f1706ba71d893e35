from django import template

from xiaobao.cases.models import Channel, Kind, Outcome, State, Tier
from xiaobao.cases.selectors import may_register as _may_register
from xiaobao.lib import dbrouter
from xiaobao.units.models import Role

register = template.Library()

LABELS = {
    **dict(State.choices), **dict(Outcome.choices), **dict(Kind.choices), **dict(Channel.choices),
    **dict(Tier.choices), **dict(Role.choices),
    "running": "计时中", "paused": "已中止", "met": "已完成", "overdue": "已逾期", "missed": "未按期",
    "workdays": "个工作日", "days": "日",
}


@register.filter
def label(code):
    return LABELS.get(code, code or "")


@register.filter
def may_register(user) -> bool:
    """Whether the navigation offers 登记 (the registration page refuses everyone else)."""
    return _may_register(user)


@register.simple_tag
def replica_status():
    """The read replica's state for the admin site's index (issue 24, point 2): measured afresh."""
    return dbrouter.replica_status(fresh=True)
