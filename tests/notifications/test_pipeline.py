"""The outbox on real Redis with real Celery workers: exactly once, through outages and crashes.

Needs REDIS_URL and a PostgreSQL DATABASE_URL (skipped otherwise). The broker-outage test runs its
own throw-away redis-server on a spare port; nothing here touches the shared Redis beyond its
integration database number.
"""

import json
import shutil
import subprocess
import time

import pytest
from django.db import transaction

from kupang_portal.celery import app as celery_app
from kupang_portal.notifications import services
from kupang_portal.notifications.models import Channel, Notification
from tests.factories import UserFactory
from tests.integration.conftest import use_broker, wait_for

from .gateway import FakeGateway, free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CTX = {"service": "KTP-el baru", "instructions": "Dokumen dapat diunduh di portal."}


def sms_users(count, start=0):
    return [
        UserFactory(phone=f"+62812100{start + i:05d}", notify_sms=True, notify_email=False, notify_whatsapp=False, email=None)
        for i in range(count)
    ]


def notify_each(users, prefix):
    """One notify() per user, each in its own transaction (as state changes would)."""
    for i, user in enumerate(users):
        with transaction.atomic():
            services.notify("application_completed", [user], CTX, case_number=f"{prefix}-{i:04d}")


def lines(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def sms_rows():
    return Notification.objects.filter(channel=Channel.SMS)


def all_sent():
    return not sms_rows().exclude(status=Notification.Status.SENT).exists()


def assert_exactly_once(path, expected):
    delivered = lines(path)
    ids = [entry["id"] for entry in delivered]
    assert len(ids) == expected, f"{len(ids)} lines for {expected} messages"
    assert len(set(ids)) == expected, "a message was delivered twice"
    assert set(ids) == {str(pk) for pk in sms_rows().values_list("pk", flat=True)}


def test_n_notifications_are_delivered_exactly_once(make_worker, settings):
    make_worker()
    users = sms_users(40)
    notify_each(users, "ONCE")
    # A sweeper run while the tasks are still in flight enqueues duplicates: they must be skipped.
    services.sweep_pending(older_than_seconds=0)
    wait_for(all_sent, timeout=60, message="40 SMS sent")
    services.sweep_pending(older_than_seconds=0)
    time.sleep(1)
    assert_exactly_once(settings.NOTIFICATION_FILE_DIR / "sms.jsonl", 40)
    assert set(sms_rows().values_list("attempts", flat=True)) == {1}
    # The in-app rows never went through the broker.
    assert Notification.objects.filter(channel=Channel.INAPP, status="sent").count() == 40


class OwnRedis:
    """A throw-away redis-server (no persistence) on a spare port, stoppable mid-test."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.tmp_path = tmp_path
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        import redis

        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)

        def up():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(up, timeout=10, interval=0.05, message="own redis-server")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def own_redis(require_services, tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = OwnRedis(tmp_path).start()
    yield server
    server.stop()


def test_broker_outage_delays_but_loses_nothing(make_worker, own_redis, settings):
    make_worker(broker_url=own_redis.url)
    before = sms_users(5)
    notify_each(before, "UP")
    wait_for(all_sent, timeout=30, message="messages before the outage")

    own_redis.stop()
    # Fail fast instead of retrying the publish against a dead broker.
    policy = celery_app.conf.task_publish_retry_policy
    celery_app.conf.task_publish_retry_policy = {"max_retries": 0}
    try:
        during = sms_users(5, start=100)
        notify_each(during, "DOWN")  # every commit succeeds; the enqueue failures are swallowed
    finally:
        celery_app.conf.task_publish_retry_policy = policy
    assert sms_rows().filter(status="pending").count() == 5

    own_redis.start()  # empty: whatever was queued is gone
    use_broker(own_redis.url)
    assert services.sweep_pending(older_than_seconds=0) == 5
    wait_for(all_sent, timeout=60, message="messages after the broker came back")
    time.sleep(0.5)
    assert_exactly_once(settings.NOTIFICATION_FILE_DIR / "sms.jsonl", 10)


def test_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(make_worker, settings):
    env = {"NOTIFY_SMS_BACKEND": "tests.notifications.slow_backend.SlowFileBackend", "NOTIFY_SLOW_SECONDS": "0.3"}
    worker = make_worker(extra_env=env)
    n = 16
    users = sms_users(n, start=200)
    calls = settings.NOTIFICATION_FILE_DIR / "sms.calls.jsonl"
    notify_each(users, "KILL")
    wait_for(lambda: len(lines(calls)) >= 4, timeout=30, message="the first messages")
    time.sleep(0.15)  # mid-sleep of the slow backend, not mid-commit
    worker.kill()
    pending = sms_rows().filter(status="pending").count()
    assert 0 < pending < n

    worker.start()
    # The killed worker's unacked messages come back only after the visibility timeout (an hour):
    # the sweeper is what brings them back now.
    services.sweep_pending(older_than_seconds=0)
    wait_for(all_sent, timeout=60, message="every message after the restart")
    time.sleep(0.5)
    assert_exactly_once(settings.NOTIFICATION_FILE_DIR / "sms.jsonl", n)
    # At most the messages in flight at the kill were handed to the backend a second time
    # (and deduplicated by their Idempotency-Key).
    assert n <= len(lines(calls)) <= n + 2


def test_http_gateway_500_then_200_is_retried_and_400_fails(make_worker, settings):
    ok_after_retry, rejected = sms_users(2, start=300)
    with FakeGateway({
        ok_after_retry.phone: [(500, "sedang gangguan"), (200, '{"status": "queued"}')],
        rejected.phone: [(400, '{"error": "nomor diblokir"}')],
    }) as gateway:
        make_worker(extra_env={
            "NOTIFY_SMS_BACKEND": "kupang_portal.notifications.backends.HttpGatewayBackend",
            "SMS_GATEWAY_URL": gateway.url, "SMS_GATEWAY_TOKEN": "token-uji",
            "NOTIFICATION_RETRY_BASE_SECONDS": "1", "GATEWAY_TIMEOUT_SECONDS": "2",
        })
        notify_each([ok_after_retry, rejected], "GW")
        wait_for(lambda: not sms_rows().filter(status="pending").exists(), timeout=30, message="gateway outcomes")
        time.sleep(2.5)  # would a failed row be tried again? (it must not)

        good = sms_rows().get(recipient=ok_after_retry)
        assert good.status == "sent" and good.attempts == 2
        requests = gateway.requests_to(ok_after_retry.phone)
        assert len(requests) == 2
        assert {r["headers"]["Idempotency-Key"] for r in requests} == {f"kupang-notification-{good.pk}"}
        assert requests[0]["headers"]["Authorization"] == "Bearer token-uji"

        bad = sms_rows().get(recipient=rejected)
        assert bad.status == "failed" and bad.attempts == 1
        assert "HTTP 400" in bad.last_error and "nomor diblokir" in bad.last_error
        assert len(gateway.requests_to(rejected.phone)) == 1
