"""Writing to the outbox and delivering from it. Views, workflows and tasks call only these."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import events
from .backends import PermanentFailure, get_backend
from .models import Channel, Notification

logger = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 30 * 60


def channels_for(user):
    """The channels a user receives on. The in-app inbox always records the message."""
    chosen = [Channel.INAPP]
    if user.notify_email and user.email:
        chosen.append(Channel.EMAIL)
    if user.notify_sms and user.phone:
        chosen.append(Channel.SMS)
    if user.notify_whatsapp and user.phone:
        chosen.append(Channel.WHATSAPP)
    return chosen


def _address(user, channel):
    if channel == Channel.EMAIL:
        return user.email or ""
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return user.phone or ""
    return ""


def absolute_link(path):
    if not path or path.startswith("http"):
        return path or ""
    return f"{settings.SITE_URL}{path}"


def notify(event_code, recipients, context, *, link="", case_number="", dedupe_key=None, channels=None):
    """Write outbox rows for ``recipients`` (users) in the current transaction; deliver on commit.

    ``dedupe_key`` makes the call idempotent (per recipient and channel): rows that exist already
    are skipped, so a periodic job may run twice. Returns the rows written.
    """
    link = absolute_link(link)
    context = {"link": link, "number": case_number, **context}
    written = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        subject, body, short = events.render(event_code, context, getattr(user, "preferred_language", "id") or "id")
        for channel in channels or channels_for(user):
            if channel not in channels_for(user) and channel != Channel.INAPP:
                continue
            key = f"{dedupe_key}:{user.pk}:{channel}" if dedupe_key else None
            row = _write(
                recipient=user, channel=channel, address=_address(user, channel), event=event_code,
                subject=subject[:200], body=short if channel in (Channel.SMS, Channel.WHATSAPP) else body,
                link=link, case_number=case_number, dedupe_key=key,
            )
            if row is not None:
                written.append(row)
    return written


def notify_address(event_code, channel, address, context, *, link="", case_number="", language="id", dedupe_key=None):
    """A message to an address without an account (e.g. an anonymous reporter's e-mail)."""
    link = absolute_link(link)
    context = {"link": link, "number": case_number, **context}
    subject, body, short = events.render(event_code, context, language)
    return _write(
        recipient=None, channel=channel, address=address, event=event_code, subject=subject[:200],
        body=short if channel in (Channel.SMS, Channel.WHATSAPP) else body, link=link,
        case_number=case_number, dedupe_key=dedupe_key,
    )


def _write(**fields):
    if fields.get("dedupe_key") and Notification.objects.filter(dedupe_key=fields["dedupe_key"]).exists():
        return None
    try:
        with transaction.atomic():
            row = Notification.objects.create(**fields)
    except IntegrityError:
        # A concurrent run wrote the same dedupe_key first.
        return None
    if row.channel == Channel.INAPP:
        row.status = Notification.Status.SENT
        row.sent_at = timezone.now()
        row.save(update_fields=["status", "sent_at"])
    else:
        transaction.on_commit(lambda pk=row.pk: enqueue_delivery(pk))
    return row


def enqueue_delivery(notification_id):
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception:  # broker down: the sweeper re-enqueues pending rows later
        logger.warning("could not enqueue notification %s; the sweeper will retry", notification_id, exc_info=True)


def backoff_seconds(attempts):
    return min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * (2 ** max(0, attempts - 1)))


class DeliveryResult:
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


def deliver(notification_id, now=None):
    """Send one outbox row. Locks it, so a redelivered task or a second worker sends nothing twice.

    Returns (result, retry_in_seconds).
    """
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if row is None:
            return DeliveryResult.SKIPPED, None
        now = now or timezone.now()
        row.attempts += 1
        try:
            get_backend(row.channel).send(row)
        except PermanentFailure as exc:
            row.status = Notification.Status.FAILED
            row.last_error = str(exc)[:2000]
            row.next_attempt_at = None
            row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
            return DeliveryResult.FAILED, None
        except Exception as exc:  # transient: network, timeout, 5xx
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                row.status = Notification.Status.FAILED
                row.next_attempt_at = None
                row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
                return DeliveryResult.FAILED, None
            delay = backoff_seconds(row.attempts)
            row.next_attempt_at = now + timedelta(seconds=delay)
            row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return DeliveryResult.RETRY, delay
        row.status = Notification.Status.SENT
        row.sent_at = now
        row.last_error = ""
        row.next_attempt_at = None
        row.save(update_fields=["status", "attempts", "sent_at", "last_error", "next_attempt_at"])
        return DeliveryResult.SENT, None


def pending_due(now=None, older_than_seconds=60, limit=500):
    """Ids of pending rows the sweeper should re-enqueue: stuck for a minute, or due for a retry."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=older_than_seconds)
    rows = Notification.objects.filter(status=Notification.Status.PENDING, created_at__lte=cutoff).exclude(
        next_attempt_at__gt=now
    )
    return list(rows.order_by("created_at").values_list("pk", flat=True)[:limit])


def resend(notification):
    """Admin action: put a failed row back in the queue."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.PENDING, attempts=0, last_error="", next_attempt_at=None
    )
    transaction.on_commit(lambda: enqueue_delivery(notification.pk))


def mark_read(user, ids=None):
    rows = Notification.objects.filter(recipient=user, channel=Channel.INAPP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
