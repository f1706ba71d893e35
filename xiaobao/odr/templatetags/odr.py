from django import template

from xiaobao.odr.models import Forwarding
from xiaobao.odr.settling import matching_businesses

register = template.Library()


@register.inclusion_tag("odr/_slot.html", takes_context=True)
def odr_slot(context, case):
    """The 先行和解 card of a complaint's page: a suggestion to forward it when its respondent is an active ODR
    business (DOMAIN.md "Settling first") and the user may forward it, and each forwarding of the item with the
    business's contacts and answer."""
    printed = context.get("base") == "web/print_base.html"
    offered = [t for t in context.get("actions", ()) if t.action in ("forward_to_business", "escalate")]
    forwardings = list(Forwarding.objects.filter(case=case).select_related("business")
                       .prefetch_related("contacts")) if case.kind == "complaint" else []
    suggest = [] if printed or not any(t.action == "forward_to_business" for t in offered) else matching_businesses(case)
    return {"case": case, "offered": [] if printed else offered, "forwardings": forwardings, "suggest": suggest}
