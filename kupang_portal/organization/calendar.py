"""The one working-day calendar: every deadline in the portal is computed here.

Working days are Monday to Friday minus the Holiday table (national holidays and cuti bersama,
editable in the admin), in the city's time zone (WITA). Counting rule: the day a clock starts does
not count; ``add_working_days(start, n)`` is the n-th working day after ``start``'s local date, and
``working_days_between(start, add_working_days(start, n)) == n``. A deadline falls at the end of
its working day (settings.SLA_END_OF_DAY, local time).
"""

import datetime as dt
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from kupang_portal.core import cache

HOLIDAY_CACHE_KEY = "organization:holiday-dates:v1"
HOLIDAY_CACHE_SECONDS = 300
# Each process also keeps the set it read for this long: a queue page asks the calendar once per
# row (deadline, provisional mark, SLA badge), and one shared-cache round trip per row made a
# 50-row page ~20 ms slower at 1M cases. A holiday edited in another process shows here at most
# this much later; in the editing process (and in tests) at once.
HOLIDAY_LOCAL_SECONDS = 1.0
_local_dates = (0.0, None)  # (monotonic expiry, dates): one tuple, replaced whole (thread-safe)
_local_years = (None, frozenset())  # (the dates object they were computed from, years)

# National holidays on a fixed date (Keppres/UU), known for every year without a decree. The
# others (Idul Fitri, Nyepi, Waisak, cuti bersama …) move and come each year from the joint decree
# (SKB 3 Menteri), loaded into the Holiday table.
FIXED_DATE_HOLIDAYS = {
    (1, 1): "Tahun Baru Masehi",
    (5, 1): "Hari Buruh Internasional",
    (6, 1): "Hari Lahir Pancasila",
    (8, 17): "Hari Proklamasi Kemerdekaan Republik Indonesia",
    (12, 25): "Hari Raya Natal",
}
# From this month on, a missing calendar for the coming year is reported to the admins.
NEXT_YEAR_WARNING_MONTH = 10


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


def holiday_dates():
    """Set of non-working dates from the Holiday table (cached; invalidated when it changes).
    Without the cache (Redis down) the dates come from the database."""
    global _local_dates
    now = time.monotonic()
    expires, dates = _local_dates
    if dates is not None and expires > now:
        return dates
    dates = cache.get(HOLIDAY_CACHE_KEY)
    if dates is None:
        from .models import Holiday

        dates = frozenset(Holiday.objects.values_list("date", flat=True))
        cache.set(HOLIDAY_CACHE_KEY, dates, HOLIDAY_CACHE_SECONDS)
    _local_dates = (now + HOLIDAY_LOCAL_SECONDS, dates)
    return dates


def clear_holiday_cache(**kwargs):
    forget_local_holidays()
    cache.delete(HOLIDAY_CACHE_KEY)


def forget_local_holidays():
    """Drop this process' copy (a holiday saved here; tests clearing the caches)."""
    global _local_dates, _local_years
    _local_dates = (0.0, None)
    _local_years = (None, frozenset())


def to_local_date(value):
    """A date, or the local (WITA) date of an aware datetime."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError("naive datetime given to the working-day calendar")
        return value.astimezone(local_tz()).date()
    return value


def is_working_day(value, holidays=None):
    day = to_local_date(value)
    holidays = holiday_dates() if holidays is None else holidays
    return day.weekday() < 5 and day not in holidays and (day.month, day.day) not in FIXED_DATE_HOLIDAYS


def loaded_years(holidays=None):
    """Years whose decreed (moving) holidays are in the Holiday table: at least one holiday that is
    not a fixed-date one. For other years only the fixed-date holidays are known."""
    global _local_years
    holidays = holiday_dates() if holidays is None else holidays
    source, years = _local_years
    if source is holidays:  # the same set as last time (this process' copy): same years
        return years
    years = frozenset(day.year for day in holidays if (day.month, day.day) not in FIXED_DATE_HOLIDAYS)
    _local_years = (holidays, years)
    return years


def is_provisional(value):
    """A deadline (date or aware datetime) in a year whose holidays are not loaded: it may move
    once the decree is entered (it can only get later)."""
    return value is not None and to_local_date(value).year not in loaded_years()


def missing_years(today=None):
    """Years the admins must load now: the current one if missing, and from 1 October the next one."""
    today = to_local_date(today or timezone.now())
    years = loaded_years()
    missing = [today.year] if today.year not in years else []
    if today.month >= NEXT_YEAR_WARNING_MONTH and today.year + 1 not in years:
        missing.append(today.year + 1)
    return missing


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (date or aware datetime). ``days`` >= 0.

    With days == 0 the result is ``start``'s date if it is a working day, else the next one.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    holidays = holiday_dates()
    day = to_local_date(start)
    if days == 0:
        while not is_working_day(day, holidays):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def working_days_between(start, end):
    """Working days after ``start``'s date up to and including ``end``'s date (negative if end < start)."""
    holidays = holiday_dates()
    first, last = to_local_date(start), to_local_date(end)
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    count = 0
    day = first
    while day < last:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return sign * count


def end_of_working_day(day):
    """Aware datetime at the end of ``day`` (local time), when a deadline on that day expires."""
    hour, minute, second = (int(part) for part in settings.SLA_END_OF_DAY.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=local_tz())


def deadline_after(start, days):
    """The deadline ``days`` working days after ``start``: the end of that working day, WITA."""
    return end_of_working_day(add_working_days(start, days))


def remaining_working_days(deadline, now=None):
    """Whole working days left until ``deadline`` (0 on its last day, negative when overdue)."""
    now = now or timezone.now()
    if now > deadline:
        return -max(1, working_days_between(deadline, now))
    return working_days_between(now, deadline)


class SlaStatus:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    NONE = "none"
    DONE = "done"  # the case is no longer open: no clock runs


def sla_status(deadline, now=None, paused=False):
    """Badge value: on time, due within one working day, overdue (or paused / none)."""
    if paused:
        return SlaStatus.PAUSED
    if deadline is None:
        return SlaStatus.NONE
    now = now or timezone.now()
    if now > deadline:
        return SlaStatus.OVERDUE
    if working_days_between(now, deadline) <= 1:
        return SlaStatus.DUE_SOON
    return SlaStatus.ON_TIME
