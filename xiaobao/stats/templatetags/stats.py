from django import template

from xiaobao.stats.access import may_see_statistics

register = template.Library()


@register.filter
def sees_statistics(user) -> bool:
    """For the navigation: `{% load stats %}{% if user|sees_statistics %}…`."""
    return may_see_statistics(user)


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"
