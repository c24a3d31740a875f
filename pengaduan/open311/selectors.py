"""The public Open311 list: one query per page, only the columns ``serializers.request_json`` reads,
as plain rows (``values()``: no model instances per record)."""

import datetime as dt

from django.utils import timezone

from ..models import Complaint

DEFAULT_WINDOW_DAYS = 90  # without start_date/end_date: the last 90 days (the spec's suggestion)

REQUEST_COLUMNS = (
    "number", "status", "created_at", "updated_at", "deadline", "reject_reason", "is_confidential",
    "description", "address", "latitude", "longitude", "kelurahan_id", "office_id",
    "category__name", "category__service_code", "office__name", "kelurahan__name",
)


def base_queryset():
    return Complaint.objects.values(*REQUEST_COLUMNS).order_by("-created_at", "-pk")


def by_numbers(numbers):
    return list(base_queryset().filter(number__in=numbers))


def by_number(number):
    """One request by its number (any case), or None."""
    return base_queryset().filter(number=(number or "").strip().upper()).first()


def filtered(*, codes=(), status=frozenset(), start=None, end=None, now=None):
    qs = base_queryset()
    if codes:
        qs = qs.filter(category__service_code__in=codes)
    # is_open is the engine's stored "status in open_states": the partial indexes on open
    # complaints by created_at (overall and per category) serve these lists.
    if status == {"open"}:
        qs = qs.filter(is_open=True)
    elif status == {"closed"}:
        qs = qs.filter(is_open=False)
    if start is None and end is None:
        start = (now or timezone.now()) - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    return qs


def page_of(queryset, page, page_size):
    """(rows, has_next) of a 1-based page: one query (one extra row tells whether a next page
    exists; no COUNT over the whole filter)."""
    offset = (page - 1) * page_size
    rows = list(queryset[offset:offset + page_size + 1])
    return rows[:page_size], len(rows) > page_size
