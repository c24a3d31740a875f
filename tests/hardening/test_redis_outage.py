"""Issue 12, item 6: with Redis stopped a resident logs in and files a complaint and the clerks
open their queues (no 500); when Redis is back the messages go out, each exactly once.

Runs its own redis-server (no persistence) on a spare port as cache and broker, and a real worker.
"""

import datetime as dt
import json
import time

import pytest
from django.test import Client
from django.utils import timezone

from kupang_portal.accounts.roles import Role
from kupang_portal.celery import app as celery_app
from kupang_portal.core import cache as resilient_cache
from kupang_portal.notifications import services as notifications
from kupang_portal.notifications.models import Channel, Notification
from kupang_portal.organization.models import Kelurahan
from pengaduan import tasks as pengaduan_tasks
from pengaduan.models import Category, Complaint
from tests import factories
from tests.integration.conftest import require_services, use_broker, wait_for  # noqa: F401
from tests.notifications.conftest import make_worker  # noqa: F401
from tests.notifications.test_pipeline import OwnRedis

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def own_redis(require_services, tmp_path):  # noqa: F811
    import shutil

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    (tmp_path / "redis").mkdir()
    server = OwnRedis(tmp_path / "redis").start()
    yield server
    server.stop()


def whatsapp_lines(settings):
    path = settings.NOTIFICATION_FILE_DIR / "whatsapp.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_redis_outage_keeps_the_portal_working_and_loses_no_message(make_worker, own_redis, settings):  # noqa: F811
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": own_redis.url,
        "KEY_PREFIX": f"outage-{time.time_ns()}", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}
    resilient_cache.local.clear()
    make_worker(broker_url=own_redis.url)
    resident = factories.resident(username="maria.outage", phone="+6281299900001", notify_whatsapp=True)
    desk = factories.staff(Role.VERIFIER, "BAG_ORGANISASI", username="meja.outage", phone="+6281299900002", notify_whatsapp=True)
    clerk = factories.staff(Role.CLERK, "DLHK", username="dlhk.outage")
    from django.core.cache import cache

    cache.set("probe", 1, 30)
    assert cache.get("probe") == 1  # the cache really is this Redis

    own_redis.stop()
    policy = celery_app.conf.task_publish_retry_policy
    celery_app.conf.task_publish_retry_policy = {"max_retries": 0}
    try:
        browser = Client(REMOTE_ADDR="10.0.0.7")
        response = browser.post("/akun/masuk/", {"username": "maria.outage", "password": factories.PASSWORD})
        assert response.status_code == 302 and "_auth_user_id" in browser.session
        response = browser.post("/pengaduan/baru/", {
            "kind": "pengaduan", "privacy": "terbuka", "category": Category.objects.get(service_code="sampah").pk,
            "title": "Sampah di Oeba", "description": "Sampah menumpuk tiga hari di depan pasar.",
            "kelurahan": Kelurahan.objects.get(code="53.71.01.1001").pk, "incident_date": timezone.localdate().isoformat(),
        })
        assert response.status_code == 302, response.content.decode()[:2000]
        complaint = Complaint.objects.get(reporter=resident)
        for staff_user in (desk, clerk):
            queue = Client()
            queue.force_login(staff_user)
            page = queue.get("/admin/pengaduan/complaint/")
            assert page.status_code == 200
        assert complaint.number in Client().get(f"/lacak/?nomor={complaint.number}").content.decode()
        assert complaint.deadline is not None  # the calendar answered from the database
    finally:
        celery_app.conf.task_publish_retry_policy = policy
    assert complaint.routed_at is None  # the routing task could not be queued

    own_redis.start()  # empty: whatever was queued before is gone
    use_broker(own_redis.url)
    # What beat does every minute: routing lost to the outage and pending messages are enqueued again.
    Complaint.objects.filter(pk=complaint.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert pengaduan_tasks.periodic_route_pending() == 1
    wait_for(lambda: Complaint.objects.filter(pk=complaint.pk, routed_at__isnull=False).exists(), timeout=60,
             message="the complaint routed after Redis came back")
    notifications.sweep_pending(older_than_seconds=0)
    phone_rows = Notification.objects.filter(channel=Channel.WHATSAPP)
    wait_for(lambda: phone_rows.exists() and not phone_rows.exclude(status=Notification.Status.SENT).exists(), timeout=60,
             message="every WhatsApp message sent")
    notifications.sweep_pending(older_than_seconds=0)  # a second sweep finds nothing to send again
    time.sleep(1)
    ids = [entry["id"] for entry in whatsapp_lines(settings)]
    assert sorted(ids) == sorted(str(pk) for pk in phone_rows.values_list("pk", flat=True))
    assert len(ids) == len(set(ids))
    recipients = set(phone_rows.values_list("recipient__username", flat=True))
    assert {"maria.outage", "meja.outage"} <= recipients
