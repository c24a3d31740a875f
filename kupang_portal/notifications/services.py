"""Writing to the outbox and delivering from it. Views, workflows and tasks call only these."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, router, transaction
from django.db.models import sql
from django.db.models.constants import OnConflict
from django.utils import timezone, translation

from kupang_portal.accounts.phone import normalize_phone

from . import app_settings, events, unread
from .backends import PermanentFailure, get_backend, render_email_html
from .models import Channel, Notification

logger = logging.getLogger(__name__)

PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


def channels_for(user):
    """The channels a user receives on. The in-app inbox always records the message, even for a
    user who switched every other channel off (or has no address for it)."""
    chosen = [Channel.INAPP]
    if user.notify_email and user.email:
        chosen.append(Channel.EMAIL)
    if user.notify_sms and user.phone:
        chosen.append(Channel.SMS)
    if user.notify_whatsapp and user.phone:
        chosen.append(Channel.WHATSAPP)
    return chosen


def phone_address(raw):
    """E.164 form of a stored phone number. An unparseable number is kept as it is, so the row is
    written and then fails permanently with a visible reason instead of vanishing."""
    try:
        return normalize_phone(raw)
    except ValidationError:
        return (raw or "").strip()


def _address(user, channel):
    if channel == Channel.EMAIL:
        return (user.email or "").strip()
    if channel in PHONE_CHANNELS:
        return phone_address(user.phone)
    return ""


def absolute_link(path):
    if not path or path.startswith("http"):
        return path or ""
    return f"{settings.SITE_URL}{path}"


# Rows of the notify() calls inside ``one_insert()`` (None outside it).
_batched = ContextVar("notifications_batched", default=None)


@contextmanager
def one_insert():
    """The ``notify()`` calls inside the block write their rows together, in one INSERT when the
    block ends (in the caller's transaction, before its commit): a transition that tells the
    resident and the office's staff writes its outbox in one statement. Inside the block
    ``notify()`` returns []; an exception discards the rows with the rest of the transaction.
    A nested block adds its rows to the outer one."""
    if _batched.get() is not None:
        yield
        return
    token = _batched.set([])
    try:
        yield
        pending = _batched.get()
    finally:
        _batched.reset(token)
    _write_many(pending)


def notify(event_code, recipients, context, *, link="", case_number="", dedupe_key=None, channels=None):
    """Write outbox rows for ``recipients`` (users) in the current transaction; deliver on commit.

    ``dedupe_key`` makes the call idempotent (per recipient and channel): rows that exist already
    are skipped, so a periodic job may run twice. Returns the rows written (none inside
    ``one_insert()``, which writes them when it ends).
    """
    link = absolute_link(link)
    context = {"link": link, "number": case_number, **context}
    pending = []
    for user in {u.pk: u for u in recipients if u is not None}.values():
        language = getattr(user, "preferred_language", "id") or "id"
        subject, body, short = events.render(event_code, context, language)
        allowed = channels_for(user)
        # ``channels`` narrows what the user chose; it never adds a channel they switched off.
        for channel in [c for c in allowed if channels is None or c in channels or c == Channel.INAPP]:
            key = f"{dedupe_key}:{user.pk}:{channel}" if dedupe_key else None
            pending.append(dict(
                recipient=user, channel=channel, address=_address(user, channel), event=event_code,
                subject=subject[:200], body=short if channel in PHONE_CHANNELS else body,
                html_body=_html(channel, subject, body, link, case_number, language),
                link=link, case_number=case_number, dedupe_key=key,
            ))
    batch = _batched.get()
    if batch is not None:
        batch.extend(pending)
        return []
    return _write_many(pending)


def _write_many(pending):
    """All rows of one notify() call in one statement: ``INSERT ... ON CONFLICT (dedupe_key) DO
    NOTHING RETURNING``. A key written earlier (or by a concurrent run, which the INSERT waits
    for) is skipped by the database itself: no lookup before it, no savepoint around it.

    (Row by row it was four statements per recipient and channel, most of a submit's SQL; then a
    lookup of existing keys plus a savepoint around one INSERT.) Returns the rows written."""
    if not pending:
        return []
    now = timezone.now()
    rows = [Notification(**f, **({"status": Notification.Status.SENT, "sent_at": now} if f["channel"] == Channel.INAPP else {}))
            for f in pending]
    written = _insert_skipping_duplicates(rows)
    unread.changed(*(row.recipient_id for row in written if row.channel == Channel.INAPP))  # a raw INSERT sends no post_save
    for row in written:
        if row.channel != Channel.INAPP:
            transaction.on_commit(lambda pk=row.pk: enqueue_delivery(pk))
    return written


def _insert_skipping_duplicates(rows):
    """INSERT ``rows`` in one statement; a row whose ``dedupe_key`` exists is left out. Returns the
    rows inserted, their ``pk`` set (matched by dedupe_key; keyless rows in insertion order)."""
    opts = Notification._meta
    using = router.db_for_write(Notification)
    conn = connections[using]
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    query = sql.InsertQuery(Notification, on_conflict=OnConflict.IGNORE, unique_fields=[opts.get_field("dedupe_key")])
    query.insert_values(fields, rows)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [opts.pk, opts.get_field("dedupe_key")]
    (statement, params), = compiler.as_sql()
    with conn.cursor() as cursor:
        cursor.execute(statement, params)
        returned = cursor.fetchall()
    by_key = {key: pk for pk, key in returned if key is not None}
    keyless = iter([pk for pk, key in returned if key is None])
    written = []
    for row in rows:
        pk = by_key.get(row.dedupe_key) if row.dedupe_key else next(keyless, None)
        if pk is not None:
            row.pk = pk
            row._state.adding = False
            row._state.db = using
            written.append(row)
    return written


def _html(channel, subject, body, link, case_number, language):
    if channel != Channel.EMAIL:
        return ""
    with translation.override(language):
        return render_email_html(Notification(subject=subject, body=body, link=link, case_number=case_number))


def notify_address(event_code, channel, address, context, *, link="", case_number="", language="id", dedupe_key=None):
    """A message to an address without an account (e.g. an anonymous reporter's e-mail)."""
    link = absolute_link(link)
    context = {"link": link, "number": case_number, **context}
    subject, body, short = events.render(event_code, context, language)
    if channel in PHONE_CHANNELS:
        address = phone_address(address)
    return _write(
        recipient=None, channel=channel, address=(address or "").strip(), event=event_code, subject=subject[:200],
        body=short if channel in PHONE_CHANNELS else body,
        html_body=_html(channel, subject, body, link, case_number, language), link=link,
        case_number=case_number, dedupe_key=dedupe_key,
    )


def _write(checked=False, **fields):
    if not checked and fields.get("dedupe_key") and Notification.objects.filter(dedupe_key=fields["dedupe_key"]).exists():
        return None
    if fields["channel"] == Channel.INAPP:
        # The in-app inbox is the row itself: written as sent (one INSERT, no UPDATE after it).
        fields = {**fields, "status": Notification.Status.SENT, "sent_at": timezone.now()}
    try:
        with transaction.atomic():
            row = Notification.objects.create(**fields)
    except IntegrityError:
        # A concurrent run wrote the same dedupe_key first.
        return None
    if row.channel != Channel.INAPP:
        transaction.on_commit(lambda pk=row.pk: enqueue_delivery(pk))
    return row


def enqueue_delivery(notification_id):
    from .tasks import deliver_notification

    try:
        deliver_notification.delay(notification_id)
    except Exception:  # broker down: the sweeper re-enqueues pending rows later
        logger.warning("could not enqueue notification %s; the sweeper will retry", notification_id, exc_info=True)


def backoff_seconds(attempts):
    """Exponential backoff after the ``attempts``-th failure: base, 2x base, 4x base ... capped."""
    base, cap = app_settings.retry_base_seconds(), app_settings.retry_cap_seconds()
    return min(cap, base * (2 ** max(0, attempts - 1)))


class DeliveryResult:
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


_CLAIM_PLANS = {}


def _claim_plan():
    """(SQL, attnames, converters per column) for the claim query, built once per database."""
    plan = _CLAIM_PLANS.get(connection.alias)
    if plan is None:
        opts = Notification._meta
        qn = connection.ops.quote_name
        fields = opts.concrete_fields
        lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
        sql = (f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(opts.db_table)} "
               f"WHERE {qn(opts.pk.column)} = %s AND {qn('status')} = %s{lock}")
        converters = []
        for field in fields:
            column = field.get_col(opts.db_table)
            converters.append((column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)))
        plan = _CLAIM_PLANS[connection.alias] = (sql, [f.attname for f in fields], converters)
    return plan


def _claim(notification_id):
    """Lock the pending row ``notification_id`` (None when it is sent, failed, or locked by a
    worker sending it right now). The hot path of every delivery: plain cursor SQL instead of the
    ORM halves its cost (bench/notifications.py)."""
    sql, attnames, converters = _claim_plan()
    with connection.cursor() as cursor:
        cursor.execute(sql, [notification_id, Notification.Status.PENDING])
        values = cursor.fetchone()
    if values is None:
        return None
    row = []
    for value, (column, functions) in zip(values, converters, strict=True):
        for convert in functions:
            value = convert(value, column, connection)
        row.append(value)
    return Notification.from_db(connection.alias, attnames, row)


def _finish(row, **fields):
    """UPDATE only the delivery fields of the claimed row (plain SQL, no model save machinery)."""
    opts = Notification._meta
    qn = connection.ops.quote_name
    assignments, params = [], []
    for name, value in fields.items():
        setattr(row, name, value)
        field = opts.get_field(name)
        assignments.append(f"{qn(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(opts.db_table)} SET {', '.join(assignments)} WHERE {qn(opts.pk.column)} = %s", [*params, row.pk]
        )


def deliver(notification_id, now=None):
    """Send one outbox row. Locks it, so a redelivered task or a second worker sends nothing twice.

    Returns (result, retry_in_seconds).
    """
    with transaction.atomic():
        row = _claim(notification_id)
        if row is None:
            return DeliveryResult.SKIPPED, None
        now = now or timezone.now()
        attempts = row.attempts + 1
        try:
            get_backend(row.channel).send(row)
        except PermanentFailure as exc:
            _finish(row, status=Notification.Status.FAILED, attempts=attempts, last_error=str(exc)[:2000], next_attempt_at=None)
            return DeliveryResult.FAILED, None
        except Exception as exc:  # transient: network, timeout, 5xx
            error = f"{type(exc).__name__}: {exc}"[:2000]
            if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                _finish(row, status=Notification.Status.FAILED, attempts=attempts, last_error=error, next_attempt_at=None)
                return DeliveryResult.FAILED, None
            delay = backoff_seconds(attempts)
            _finish(row, attempts=attempts, last_error=error, next_attempt_at=now + timedelta(seconds=delay))
            return DeliveryResult.RETRY, delay
        _finish(row, status=Notification.Status.SENT, attempts=attempts, sent_at=now, last_error="", next_attempt_at=None)
        return DeliveryResult.SENT, None


def pending_due(now=None, older_than_seconds=None, limit=None):
    """Ids of pending rows the sweeper should re-enqueue: stuck for a minute, or due for a retry."""
    now = now or timezone.now()
    if older_than_seconds is None:
        older_than_seconds = app_settings.sweep_older_than_seconds()
    limit = limit or app_settings.sweep_batch()
    cutoff = now - timedelta(seconds=older_than_seconds)
    rows = Notification.objects.filter(status=Notification.Status.PENDING, created_at__lte=cutoff).exclude(
        next_attempt_at__gt=now
    )
    return list(rows.order_by("created_at").values_list("pk", flat=True)[:limit])


def resend(notification):
    """Admin action: put a failed row back in the queue. Returns whether it was requeued (only
    failed rows are: a pending row is already on its way and a sent one must not go twice)."""
    requeued = Notification.objects.filter(pk=notification.pk, status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, attempts=0, last_error="", next_attempt_at=None
    )
    if requeued:
        transaction.on_commit(lambda pk=notification.pk: enqueue_delivery(pk))
    return bool(requeued)


def sweep_pending(now=None, older_than_seconds=None):
    """Re-enqueue what is still pending (broker outage, lost task, retry due). Returns the count."""
    ids = pending_due(now=now, older_than_seconds=older_than_seconds)
    for notification_id in ids:
        enqueue_delivery(notification_id)
    return len(ids)


def mark_read(user, ids=None):
    rows = Notification.objects.filter(recipient=user, channel=Channel.INAPP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    updated = rows.update(read_at=timezone.now())
    unread.changed(user.pk)  # after the UPDATE: on commit, or at once outside a transaction
    return updated
