from django import template

from .. import queues

register = template.Library()


@register.simple_tag(takes_context=True)
def case_queue_summary(context):
    request = context.get("request")
    return queues.summary(request) if request is not None else []
