"""Channel backends. settings.NOTIFICATION_BACKENDS maps a channel to one of these classes.

A backend's ``send(notification)`` returns normally when the message was handed over, raises
``PermanentFailure`` when retrying cannot help (invalid address, 4xx from a gateway) and any
other exception for a transient failure (retried with backoff).
"""

import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """Delivery cannot succeed by retrying."""


class InAppBackend:
    """The row itself is the inbox entry: nothing to send."""

    def __init__(self, channel):
        self.channel = channel

    def send(self, notification):
        return None


class FileBackend:
    """Development channel: appends one JSON line per message to var/notifications/<channel>.jsonl."""

    def __init__(self, channel):
        self.channel = channel

    def send(self, notification):
        if not notification.address:
            raise PermanentFailure("no address")
        directory = Path(settings.NOTIFICATION_FILE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps(message_payload(notification), ensure_ascii=False) + "\n"
        # O_APPEND writes of one short line are atomic, so concurrent workers don't interleave.
        fd = os.open(directory / f"{self.channel}.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
        logger.info("notification %s via %s to %s: %s", notification.pk, self.channel, notification.address, notification.subject)


class EmailBackend:
    """Django mail (SMTP in production, files under var/mail in development)."""

    def __init__(self, channel):
        self.channel = channel

    def send(self, notification):
        if not notification.address or "@" not in notification.address:
            raise PermanentFailure("invalid e-mail address")
        message = EmailMultiAlternatives(
            subject=notification.subject, body=notification.body, to=[notification.address]
        )
        if notification.html_body:
            message.attach_alternative(notification.html_body, "text/html")
        message.send(fail_silently=False)


def message_payload(notification):
    """The documented JSON a gateway (or the development file) receives for one message."""
    return {
        "id": str(notification.pk),
        "idempotency_key": f"kupang-notification-{notification.pk}",
        "channel": notification.channel,
        "to": notification.address,
        "event": notification.event,
        "subject": notification.subject,
        "text": notification.body,
        "link": notification.link,
        "case_number": notification.case_number,
        "created_at": notification.created_at.isoformat() if notification.created_at else None,
        "sent_at": timezone.now().isoformat(),
    }


_backends = {}


def get_backend(channel):
    path = settings.NOTIFICATION_BACKENDS[channel]
    key = (channel, path)
    if key not in _backends:
        _backends[key] = import_string(path)(channel)
    return _backends[key]
