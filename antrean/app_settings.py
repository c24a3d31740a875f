"""Settings of the antrean app, each with a prefixed default (override in kupang_portal/settings.py
or the environment)."""

import datetime as dt

from django.conf import settings


def hold_minutes():
    """How long a chosen slot is held while the resident completes the booking form."""
    return int(getattr(settings, "ANTREAN_HOLD_MINUTES", 5))


def change_cutoff():
    """Local (WITA) time on the day before the visit after which it can no longer be changed."""
    hour, minute = (int(p) for p in str(getattr(settings, "ANTREAN_CHANGE_CUTOFF", "16:00")).split(":"))
    return dt.time(hour, minute)


def no_show_limit():
    """No-shows within ``no_show_window_days`` that trigger a temporary booking limit (0 = never)."""
    return int(getattr(settings, "ANTREAN_NO_SHOW_LIMIT", 2))


def no_show_window_days():
    return int(getattr(settings, "ANTREAN_NO_SHOW_WINDOW_DAYS", 90))


def restriction_days():
    """How long the temporary booking limit lasts (calendar days)."""
    return int(getattr(settings, "ANTREAN_RESTRICTION_DAYS", 30))
