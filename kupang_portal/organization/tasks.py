"""Beat job of the calendar: tell the admins when the coming year's holidays are missing."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import calendar


def warn_missing_years(today=None):
    """Notify the admins of each missing year (once per year and ISO week). Returns the years."""
    from kupang_portal.accounts.roles import admin_users
    from kupang_portal.notifications.services import notify

    today = calendar.to_local_date(today or timezone.now())
    missing = calendar.missing_years(today)
    admins = list(admin_users())
    week = "%d-W%02d" % today.isocalendar()[:2]
    with transaction.atomic():
        for year in missing:
            notify("calendar_year_missing", admins, {"year": year}, link="/admin/organization/holiday/",
                   dedupe_key=f"calendar-missing:{year}:{week}")
    return missing


@shared_task
def periodic_check_calendar():
    return warn_missing_years()
