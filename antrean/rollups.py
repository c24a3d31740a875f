"""Daily rollup of the counter figures (``VisitDaily``), filled with the dashboards' rollups.

``fill_day(day)`` replaces the day's rows from that day's bookings; the dashboards' fill calls it
in its own transaction and under its per-day lock (registered in ``AntreanConfig.ready``), so the
beat's fills (today and yesterday every few minutes, the last week nightly) and
``manage.py fill_dashboards`` keep it current. ``selectors.visit_figures`` reads these rows for
the days before today and the bookings themselves for today and the days ahead.
"""

from collections import defaultdict

from .constants import COUNTED_STATES, BookingChannel, BookingStatus
from .models import Booking, VisitDaily


def tenths(delta):
    """A duration in tenths of a minute (the histograms' unit)."""
    return round(delta.total_seconds() / 6)


def add_booking(bucket, row):
    """Count one booking (a ``values()`` row) into ``bucket`` (a dict of the VisitDaily figures)."""
    bucket["booked"] += 1
    bucket["assisted"] += row["channel"] == BookingChannel.ASSISTED
    bucket["no_show"] += row["status"] == BookingStatus.NO_SHOW
    bucket["attended"] += bool(row["checked_in_at"])
    add_times(bucket, row)


def add_times(bucket, row):
    """Count a booking's waiting time (check-in to call) and service time (call to done), when it
    has them, into the bucket's histograms."""
    if row["checked_in_at"] and row["called_at"]:
        key = str(tenths(row["called_at"] - row["checked_in_at"]))
        bucket["wait_hist"][key] = bucket["wait_hist"].get(key, 0) + 1
    if row["called_at"] and row["finished_at"]:
        key = str(tenths(row["finished_at"] - row["called_at"]))
        bucket["service_hist"][key] = bucket["service_hist"].get(key, 0) + 1


def empty_bucket():
    return {"booked": 0, "attended": 0, "no_show": 0, "assisted": 0, "wait_hist": {}, "service_hist": {}}


BOOKING_FIELDS = ["office_id", "service_id", "date", "status", "channel", "checked_in_at", "called_at", "finished_at"]


def compute_day(day):
    """The VisitDaily rows of one day (not saved)."""
    buckets = defaultdict(empty_bucket)
    for row in Booking.objects.filter(date=day, status__in=COUNTED_STATES).values(*BOOKING_FIELDS).iterator():
        add_booking(buckets[(row["office_id"], row["service_id"])], row)
    return [VisitDaily(day=day, office_id=office_id, service_id=service_id, **figures)
            for (office_id, service_id), figures in buckets.items()]


def fill_day(day):
    """Replace the day's rows (the caller holds the transaction and the day's lock). Returns the
    number of rows written."""
    rows = compute_day(day)
    VisitDaily.objects.filter(day=day).delete()
    VisitDaily.objects.bulk_create(rows)
    return len(rows)
