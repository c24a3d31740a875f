"""Readable case numbers, unique under concurrent submission: PREFIX-YYYY-NNNNNN."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import NumberSequence


def next_number(prefix, now=None, width=6):
    """Reserve the next number for ``prefix`` in the current (local) year.

    The counter row is incremented with a single UPDATE, which holds its row lock until the
    surrounding transaction commits, so two submissions can never draw the same value; a rolled
    back submission leaves a gap, which is harmless.
    """
    year = timezone.localtime(now or timezone.now()).year
    key = f"{prefix}-{year}"
    with transaction.atomic():
        NumberSequence.objects.get_or_create(key=key)
        NumberSequence.objects.filter(key=key).update(last_value=F("last_value") + 1)
        value = NumberSequence.objects.values_list("last_value", flat=True).get(key=key)
    return f"{key}-{value:0{width}d}"
