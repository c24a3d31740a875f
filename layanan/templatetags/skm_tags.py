"""Number display for SKM and transparency pages: Indonesian separators, small cells masked."""

from django import template
from django.utils import formats

register = template.Library()

SMALL_CELL = 5


@register.filter
def num(value, places=2):
    """87.5 -> "87,50" (Indonesian format); None -> "–"."""
    if value is None or value == "":
        return "–"
    return formats.number_format(value, int(places), use_l10n=True, force_grouping=True)


@register.filter
def small_cell(count):
    """Counts under 5 are shown as "< 5" so that small groups do not identify people."""
    if count is None:
        return "–"
    return "< 5" if int(count) < SMALL_CELL else formats.number_format(count, 0, use_l10n=True, force_grouping=True)


@register.filter
def cell(value):
    """A public figure that may already be masked: "< 5" stays, None is "–", numbers in Indonesian format."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    return formats.number_format(value, 0, use_l10n=True, force_grouping=True)


@register.filter
def pct(value):
    """A percentage (already ×100) with one decimal and a "%" sign; None is "–"."""
    if value is None or value == "":
        return "–"
    return formats.number_format(value, 1, use_l10n=True) + "%"
