"""Notification settings with their defaults, read from Django settings only.

Every environment variable is read in ``kupang_portal/settings.py``; the defaults here apply when
a settings module (e.g. a test's) does not define the name.
"""

from django.conf import settings


def _value(name, default, cast):
    value = getattr(settings, name, None)
    return cast(default if value is None else value)


def retry_base_seconds():
    """First retry delay of a transient failure; doubled each attempt up to the cap."""
    return _value("NOTIFICATION_RETRY_BASE_SECONDS", 30, float)


def retry_cap_seconds():
    return _value("NOTIFICATION_RETRY_CAP_SECONDS", 30 * 60, float)


def sweep_older_than_seconds():
    """A pending row older than this is re-enqueued by the beat sweeper."""
    return _value("NOTIFICATION_SWEEP_AFTER_SECONDS", 60, float)


def sweep_batch():
    return _value("NOTIFICATION_SWEEP_BATCH", 500, int)


def gateway_timeout_seconds():
    return _value("GATEWAY_TIMEOUT_SECONDS", 10, float)
