from django import template

from xiaobao.cases.models import Channel, Kind, Outcome, State, Tier
from xiaobao.units.models import Role

register = template.Library()

LABELS = {
    **dict(State.choices), **dict(Outcome.choices), **dict(Kind.choices), **dict(Channel.choices),
    **dict(Tier.choices), **dict(Role.choices),
    "running": "计时中", "paused": "已中止", "met": "已完成", "overdue": "已逾期",
    "workdays": "个工作日", "days": "日",
}


@register.filter
def label(code):
    return LABELS.get(code, code or "")
