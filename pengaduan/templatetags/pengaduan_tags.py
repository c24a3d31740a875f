from django import template

from .. import app_settings, deadlines
from ..models import Category, Kind

register = template.Library()


@register.simple_tag
def complaint_deadline_steps():
    return deadlines.steps_text()


@register.simple_tag
def complaint_category_deadlines():
    """Every active category with its deadline text, and the report kinds that have their own time."""
    by_kind = app_settings.kind_follow_up_days()
    return {
        "categories": [(c, deadlines.category_text(deadlines.completion_days(c))) for c in Category.objects.filter(is_active=True)],
        "kinds": [(label, deadlines.category_text(by_kind[value])) for value, label in Kind.choices if value in by_kind],
    }
