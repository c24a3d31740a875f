"""Settings of the complaints app, each overridable in Django settings as ``PENGADUAN_<NAME>``."""

import datetime as dt

from django.conf import settings


def get(name, default):
    return getattr(settings, f"PENGADUAN_{name}", default)


def desk_office_code():
    """The verification desk (SP4N-LAPOR! admin of the city): Bagian Organisasi."""
    return get("DESK_OFFICE_CODE", "BAG_ORGANISASI")


def verify_days():
    return get("VERIFY_DAYS", 3)


def close_after_days():
    return get("CLOSE_AFTER_DAYS", 10)


def kind_follow_up_days():
    """Follow-up days by report kind; a kind not listed uses its category's value."""
    return get("KIND_FOLLOW_UP_DAYS", {"informasi": 5, "aspirasi": 14})


def max_anonymous_per_ip_per_hour():
    """Anonymous complaints per IP address and hour: high, a whole neighbourhood may share one."""
    return get("MAX_ANONYMOUS_PER_IP_PER_HOUR", 60)


def max_anonymous_per_browser_per_hour():
    """Anonymous complaints per browser (session) and hour."""
    return get("MAX_ANONYMOUS_PER_BROWSER_PER_HOUR", 5)


def max_per_user_per_day():
    """Complaints (named or anonymous) sent while logged in, per account and day."""
    return get("MAX_PER_USER_PER_DAY", 10)


def max_per_api_key_per_hour():
    return get("MAX_PER_API_KEY_PER_HOUR", 120)


def max_code_failures_per_number():
    """Wrong secret codes for one complaint number (from anywhere) before it is locked for a while."""
    return get("MAX_CODE_FAILURES_PER_NUMBER", 10)


def max_code_failures_per_ip():
    """Wrong secret codes from one IP address (any number) before it is locked for a while."""
    return get("MAX_CODE_FAILURES_PER_IP", 30)


def code_lock_seconds():
    """The window of the two counters above (and so the longest lockout)."""
    return get("CODE_LOCK_SECONDS", 3600)


def unlock_seconds():
    """How long a browser that gave the right code keeps the complaint open (no second prompt)."""
    return get("UNLOCK_SECONDS", 30 * 60)


def receipt_seconds():
    """How long the browser that filed an anonymous complaint may see its number and code again."""
    return get("RECEIPT_SECONDS", 30 * 60)


def bounds():
    """(south, west, north, east) of Kota Kupang, with a margin: coordinates outside are refused."""
    return get("BOUNDS", (-10.32, 123.48, -10.05, 123.75))


def number_prefix():
    return get("NUMBER_PREFIX", "ADU")


def incident_report_days():
    """SP4N-LAPOR! takes a report up to 30 days after the event; an older one needs a reason."""
    return get("INCIDENT_REPORT_DAYS", 30)


def incident_max_age_days():
    """No report about an event older than this (with or without a reason): a year."""
    return get("INCIDENT_MAX_AGE_DAYS", 365)


def pending_photo_max_age():
    """Photos kept for a complaint form that was never sent are deleted after this long (24 hours:
    nobody fills one complaint form for a day; the nightly purge may take up to a day more)."""
    return dt.timedelta(hours=get("PENDING_PHOTO_MAX_AGE_HOURS", 24))
