"""Writing to the outbox, channel choice, addresses, delivery, retries, the sweeper, resend."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kupang_portal.notifications import backends, services
from kupang_portal.notifications.models import Channel, Notification
from kupang_portal.notifications.services import DeliveryResult
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CTX = {"service": "KTP-el baru", "reason": "Foto KK buram", "deadline": "5 Desember 2026", "instructions": "Dokumen dapat diunduh di portal."}


def user(**kwargs):
    defaults = {"notify_email": True, "notify_sms": False, "notify_whatsapp": False, "phone": None}
    defaults.update(kwargs)
    return UserFactory(**defaults)


class FlakyBackend:
    """Fails transiently ``fail_times`` times, then succeeds; counts calls."""

    calls = 0
    fail_times = 0
    permanent = False

    def __init__(self, channel):
        self.channel = channel

    def send(self, notification):
        type(self).calls += 1
        if type(self).permanent:
            raise backends.PermanentFailure("gateway HTTP 400: nomor diblokir")
        if type(self).calls <= type(self).fail_times:
            raise backends.TransientFailure("gateway HTTP 503: sibuk")


@pytest.fixture
def flaky(settings):
    FlakyBackend.calls, FlakyBackend.fail_times, FlakyBackend.permanent = 0, 0, False
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "sms": f"{__name__}.FlakyBackend"}
    return FlakyBackend


# --- channel choice and addresses -------------------------------------------------------------
def test_channels_for_follows_choices_and_addresses():
    assert services.channels_for(user(email="a@example.id")) == [Channel.INAPP, Channel.EMAIL]
    assert services.channels_for(user(notify_sms=True, notify_whatsapp=True, phone="+6281234567890", email=None)) == [
        Channel.INAPP, Channel.SMS, Channel.WHATSAPP]
    # Chosen but no phone: nothing to send to.
    assert services.channels_for(user(notify_sms=True, notify_whatsapp=True, phone=None, notify_email=False)) == [Channel.INAPP]


def test_user_with_every_channel_off_still_gets_the_inbox_row(django_capture_on_commit_callbacks, monkeypatch):
    quiet = user(notify_email=False, notify_sms=False, notify_whatsapp=False, phone="+6281234567890")
    delivered = []
    monkeypatch.setattr(services, "enqueue_delivery", delivered.append)
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notify("application_completed", [quiet], CTX, case_number="KTP-2026-000001", link="/lacak/x/")
    assert [(r.channel, r.status) for r in rows] == [(Channel.INAPP, Notification.Status.SENT)]
    assert delivered == []  # nothing to deliver (the commit only replaces the unread count's stamp)
    assert Notification.objects.unread_count(quiet) == 1
    assert rows[0].link.startswith("http") and rows[0].body


def test_channels_argument_narrows_but_never_adds():
    u = user(email="b@example.id", notify_whatsapp=True, phone="+6281234567891")
    rows = services.notify("application_completed", [u], CTX, case_number="X-1", channels=[Channel.WHATSAPP, Channel.SMS])
    assert sorted(r.channel for r in rows) == sorted([Channel.INAPP, Channel.WHATSAPP])


@pytest.mark.parametrize("stored, expected", [
    ("081234567892", "+6281234567892"),
    ("0812-3456-7893", "+6281234567893"),
    ("6281234567894", "+6281234567894"),
    ("+62 812 3456 7895", "+6281234567895"),
])
def test_phone_addresses_are_normalised_to_e164(stored, expected):
    u = user(notify_sms=True, phone=stored, notify_email=False)
    rows = services.notify("application_completed", [u], CTX, case_number="X-2")
    assert [r.address for r in rows if r.channel == Channel.SMS] == [expected]


def test_notify_address_normalises_phone_too():
    row = services.notify_address("complaint_closed", Channel.WHATSAPP, "0812 3456 7896", {}, case_number="ADU-1")
    assert row.address == "+6281234567896" and len(row.body) <= 160


def test_sms_body_is_the_short_text_and_email_has_escaped_html():
    u = user(email="c@example.id", notify_sms=True, phone="+6281234567897")
    rows = {r.channel: r for r in services.notify(
        "application_rejected", [u], {**CTX, "reason": "<script>alert(1)</script> & lainnya"}, case_number="KTP-2026-000002")}
    assert len(rows[Channel.SMS].body) <= 160
    html = rows[Channel.EMAIL].html_body
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; lainnya" in html
    assert rows[Channel.INAPP].html_body == ""


def test_english_user_gets_english_render_with_same_fields():
    u = user(preferred_language="en")
    rows = services.notify("application_completed", [u], CTX, case_number="KTP-2026-000003")
    assert "KTP-2026-000003" in rows[0].subject


def test_dedupe_key_makes_notify_idempotent():
    u = user(email="d@example.id")
    first = services.notify("case_overdue", [u], {"office": "Dukcapil", "title": "t", "deadline": "d"}, case_number="K-1", dedupe_key="k:1")
    again = services.notify("case_overdue", [u], {"office": "Dukcapil", "title": "t", "deadline": "d"}, case_number="K-1", dedupe_key="k:1")
    assert len(first) == 2 and again == []
    assert Notification.objects.filter(case_number="K-1").count() == 2


# --- delivery ------------------------------------------------------------------------------------
def sms_row(**kwargs):
    fields = {"channel": Channel.SMS, "address": "+6281234567898", "event": "complaint_closed", "subject": "s", "body": "b"}
    fields.update(kwargs)
    return Notification.objects.create(**fields)


def test_deliver_sends_once_and_skips_a_sent_row(settings):
    row = sms_row()
    assert services.deliver(row.pk) == (DeliveryResult.SENT, None)
    assert services.deliver(row.pk) == (DeliveryResult.SKIPPED, None)
    lines = (settings.NOTIFICATION_FILE_DIR / "sms.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(row.pk)]
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1 and row.sent_at


def test_transient_failure_backs_off_then_fails_after_max_attempts(settings, flaky):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    flaky.fail_times = 99
    row = sms_row()
    now = timezone.now()
    assert services.deliver(row.pk, now=now) == (DeliveryResult.RETRY, 30)
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    assert row.next_attempt_at == now + timedelta(seconds=30)
    assert services.deliver(row.pk, now=now) == (DeliveryResult.RETRY, 60)
    assert services.deliver(row.pk, now=now) == (DeliveryResult.FAILED, None)
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 3 and row.next_attempt_at is None
    assert services.deliver(row.pk) == (DeliveryResult.SKIPPED, None)
    assert flaky.calls == 3


def test_transient_then_success(flaky):
    flaky.fail_times = 1
    row = sms_row()
    assert services.deliver(row.pk)[0] == DeliveryResult.RETRY
    assert services.deliver(row.pk)[0] == DeliveryResult.SENT
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""


def test_permanent_failure_is_never_retried(flaky):
    flaky.permanent = True
    row = sms_row()
    assert services.deliver(row.pk) == (DeliveryResult.FAILED, None)
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 1 and "400" in row.last_error
    assert services.deliver(row.pk)[0] == DeliveryResult.SKIPPED
    assert flaky.calls == 1
    assert row.pk not in services.pending_due(older_than_seconds=0)


@pytest.mark.parametrize("channel, address", [
    (Channel.SMS, "12345"), (Channel.SMS, "081234567890"), (Channel.WHATSAPP, "+62 812"), (Channel.SMS, ""),
    (Channel.EMAIL, "bukan-surel"), (Channel.EMAIL, "a@"), (Channel.EMAIL, ""),
])
def test_malformed_address_fails_without_retry(channel, address):
    row = sms_row(channel=channel, address=address)
    assert services.deliver(row.pk) == (DeliveryResult.FAILED, None)
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 1 and row.last_error


def test_user_with_unparseable_phone_gets_a_failed_row_with_reason(django_capture_on_commit_callbacks):
    u = user(notify_sms=True, phone="12345", notify_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify("application_completed", [u], CTX, case_number="X-3")
    row = Notification.objects.get(recipient=u, channel=Channel.SMS)
    assert row.status == "failed" and row.attempts == 1 and "E.164" in row.last_error


def test_backoff_is_exponential_and_capped(settings):
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert services.backoff_seconds(30) == 30 * 60
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 1
    settings.NOTIFICATION_RETRY_CAP_SECONDS = 5
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]


def test_eager_email_delivery_on_commit(django_capture_on_commit_callbacks):
    u = user(email="e@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify("application_completed", [u], {**CTX, "service": "<b>KTP</b>"}, case_number="KTP-2026-000004")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["e@example.id"] and "KTP-2026-000004" in message.subject
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "&lt;b&gt;KTP&lt;/b&gt;" in html
    assert Notification.objects.get(recipient=u, channel=Channel.EMAIL).status == "sent"


# --- sweeper and resend ----------------------------------------------------------------------------
def test_pending_due_picks_stuck_rows_and_due_retries_only():
    now = timezone.now()
    stuck = sms_row()
    fresh = sms_row()
    waiting = sms_row(next_attempt_at=now + timedelta(minutes=5))
    due = sms_row(next_attempt_at=now - timedelta(seconds=1))
    sent = sms_row(status="sent")
    Notification.objects.filter(pk__in=[stuck.pk, waiting.pk, due.pk, sent.pk]).update(created_at=now - timedelta(minutes=2))
    assert set(services.pending_due(now=now)) == {stuck.pk, due.pk}
    assert set(services.pending_due(older_than_seconds=0)) == {stuck.pk, due.pk, fresh.pk}


def test_sweeper_task_delivers_stuck_rows(settings):
    from kupang_portal.notifications.tasks import periodic_sweep_pending

    row = sms_row()
    Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert periodic_sweep_pending.delay().get() == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert periodic_sweep_pending.delay().get() == 0


def test_resend_requeues_failed_rows_only(django_capture_on_commit_callbacks, flaky):
    flaky.permanent = True
    row = sms_row()
    services.deliver(row.pk)
    flaky.permanent = False
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resend(row) is True
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.resend(row) is False
    assert callbacks == []


def test_enqueue_failure_is_swallowed(monkeypatch, django_capture_on_commit_callbacks):
    from kupang_portal.notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver_notification, "delay", broker_down)
    u = user(email="f@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify("application_completed", [u], CTX, case_number="X-4")
    assert Notification.objects.get(recipient=u, channel=Channel.EMAIL).status == "pending"
