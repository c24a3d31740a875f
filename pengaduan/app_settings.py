"""Settings of the complaints app, each overridable in Django settings as ``PENGADUAN_<NAME>``."""

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


def max_per_ip_per_hour():
    return get("MAX_PER_IP_PER_HOUR", 5)


def max_per_user_per_day():
    return get("MAX_PER_USER_PER_DAY", 10)


def max_per_api_key_per_hour():
    return get("MAX_PER_API_KEY_PER_HOUR", 120)


def max_code_attempts():
    """Wrong secret codes per IP and complaint number within 15 minutes before a lockout."""
    return get("MAX_CODE_ATTEMPTS", 10)


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
