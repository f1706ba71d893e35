from django import template

from xiaobao.intake.views import attachments_context

register = template.Library()


@register.inclusion_tag("intake/_attachment_panel.html", takes_context=True)
def attachment_panel(context, case) -> dict:
    """The attachments of an item with the upload form, for the item's page."""
    return {**attachments_context(context["request"], case), "csrf_token": context.get("csrf_token")}
