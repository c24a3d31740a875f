from django import template
from django.utils import formats

from .. import charts

register = template.Library()


@register.filter
def pct(value):
    """0.853 -> "85,3%" (Indonesian decimal comma); "–" when there is nothing to divide."""
    return charts.pct(value)


@register.filter
def num(value):
    """1234 -> "1.234"; "–" for None."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True)
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)
