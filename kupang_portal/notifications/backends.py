"""Channel backends. settings.NOTIFICATION_BACKENDS maps a channel to one of these classes.

A backend's ``send(notification)`` returns normally when the message was handed over, raises
``PermanentFailure`` when retrying cannot help (invalid address, 4xx from a gateway) and any
other exception (e.g. ``TransientFailure``) for a transient failure (retried with backoff).
"""

import json
import logging
import os
import re
from pathlib import Path

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from . import app_settings

logger = logging.getLogger(__name__)

# E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all.
E164_RE = re.compile(r"^\+[1-9]\d{7,14}$")
PHONE_CHANNELS = ("sms", "whatsapp")
BODY_EXCERPT_CHARS = 300


class PermanentFailure(Exception):
    """Delivery cannot succeed by retrying."""


class TransientFailure(Exception):
    """Delivery may succeed later (gateway 5xx, timeout, connection refused)."""


def check_address(channel, address):
    """Raise PermanentFailure when ``address`` cannot be delivered to on ``channel``."""
    if channel in PHONE_CHANNELS:
        if not address or not E164_RE.match(address):
            raise PermanentFailure(f"invalid phone number (E.164 expected): {address!r}"[:200])
    elif channel == "email":
        try:
            validate_email(address or "")
        except ValidationError:
            raise PermanentFailure(f"invalid e-mail address: {address!r}"[:200]) from None


def idempotency_key(notification):
    return f"kupang-notification-{notification.pk}"


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

    def path(self):
        directory = Path(settings.NOTIFICATION_FILE_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        return directory / f"{self.channel}.jsonl"

    def send(self, notification):
        if not notification.address:
            raise PermanentFailure("no address")
        check_address(self.channel, notification.address)
        line = json.dumps(message_payload(notification), ensure_ascii=False) + "\n"
        # O_APPEND writes of one short line are atomic, so concurrent workers don't interleave.
        fd = os.open(self.path(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
        # The id names the row; a log never carries the phone number or e-mail address.
        logger.debug("notification %s via %s written to %s", notification.pk, self.channel, self.path().name)


class EmailBackend:
    """Django mail (SMTP in production, files under var/mail in development): text plus HTML."""

    def __init__(self, channel):
        self.channel = channel

    def send(self, notification):
        check_address("email", notification.address)
        message = EmailMultiAlternatives(
            subject=notification.subject, body=plain_text_body(notification), to=[notification.address],
            headers={"X-Kupang-Notification": idempotency_key(notification)},
        )
        message.attach_alternative(notification.html_body or render_email_html(notification), "text/html")
        message.send(fail_silently=False)


def plain_text_body(notification):
    """The text part of an e-mail: the message, then the link on a line of its own (the message
    texts carry no URL: in the inbox and the HTML part the link is a button)."""
    return f"{notification.body}\n\n{notification.link}" if notification.link else notification.body


def render_email_html(notification):
    """The HTML alternative of an e-mail; the template escapes every value."""
    return render_to_string("notifications/email.html", {
        "subject": notification.subject, "body": notification.body, "link": notification.link,
        "case_number": notification.case_number, "site_url": settings.SITE_URL,
    })


class HttpGatewayBackend:
    """SMS or WhatsApp through an HTTP gateway.

    POSTs ``message_payload`` as JSON to settings.SMS_GATEWAY_URL / WHATSAPP_GATEWAY_URL with
    ``Authorization: Bearer <token>`` and ``Idempotency-Key`` (stable per outbox row, so a
    gateway that honours it never sends a retried message twice). 2xx: sent. 4xx: permanent
    (except 408 and 429, which ask us to come back later). 5xx, timeout, connection error:
    transient. Redirects are not followed (a misconfigured URL is permanent).
    """

    def __init__(self, channel):
        if channel not in PHONE_CHANNELS:
            raise ValueError(f"HttpGatewayBackend serves {PHONE_CHANNELS}, not {channel!r}")
        self.channel = channel
        self.session = requests.Session()

    def url(self):
        return getattr(settings, "SMS_GATEWAY_URL" if self.channel == "sms" else "WHATSAPP_GATEWAY_URL", "")

    def token(self):
        return getattr(settings, "SMS_GATEWAY_TOKEN" if self.channel == "sms" else "WHATSAPP_GATEWAY_TOKEN", "")

    def send(self, notification):
        check_address(self.channel, notification.address)
        url = self.url()
        if not url:
            raise TransientFailure(f"{self.channel} gateway URL is not configured")
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key(notification),
        }
        if self.token():
            headers["Authorization"] = f"Bearer {self.token()}"
        body = json.dumps(message_payload(notification), ensure_ascii=False).encode("utf-8")
        timeout = app_settings.gateway_timeout_seconds()
        try:
            response = self.session.post(url, data=body, headers=headers, timeout=(timeout, timeout), allow_redirects=False)
        except requests.Timeout as exc:
            raise TransientFailure(f"gateway timeout after {timeout:g}s: {exc}") from exc
        except requests.RequestException as exc:
            raise TransientFailure(f"gateway unreachable: {type(exc).__name__}: {exc}") from exc
        status = response.status_code
        if 200 <= status < 300:
            return None
        excerpt = " ".join((response.text or "")[:BODY_EXCERPT_CHARS].split())
        reason = f"gateway HTTP {status}: {excerpt}"
        if status >= 500 or status in (408, 429):
            raise TransientFailure(reason)
        raise PermanentFailure(reason)


def message_payload(notification):
    """The documented JSON a gateway (or the development file) receives for one message."""
    return {
        "id": str(notification.pk),
        "idempotency_key": idempotency_key(notification),
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
