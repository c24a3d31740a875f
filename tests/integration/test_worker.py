"""A real Celery worker process on real Redis delivers what the portal enqueues."""

import json

import pytest
from django.db import transaction

from kupang_portal.notifications import services
from kupang_portal.notifications.models import Notification
from tests import factories
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_delivers_a_notification_enqueued_on_commit(celery_worker_process):
    user = factories.resident(phone="+6281234500077")
    with transaction.atomic():
        services.notify("application_submitted", [user], {"service": "KTP-el baru", "deadline": "1 Desember 2026"},
                        case_number="KTP-2026-000777", link="/lacak/KTP-2026-000777/")
    wait_for(lambda: not Notification.objects.filter(status=Notification.Status.PENDING).exists(), timeout=60,
             message="the worker to deliver every pending notification")
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    lines = (celery_worker_process.tmp_path / "notifications" / "whatsapp.jsonl").read_text().splitlines()
    assert [json.loads(line)["case_number"] for line in lines] == ["KTP-2026-000777"]
