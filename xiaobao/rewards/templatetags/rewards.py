from django import template

from xiaobao.rewards.services import may_see

register = template.Library()


@register.inclusion_tag("rewards/_slot.html", takes_context=True)
def reward_slot(context, case):
    """The 举报奖励 card of an item's page, only for those who may see rewards (nothing at all for others), and
    never on the printed item (工作秘密 stays off paper that leaves the office)."""
    printed = context.get("base") == "web/print_base.html"
    return {"case": case, "show": not printed and may_see(context["request"].user, case)}
