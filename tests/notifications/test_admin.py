"""The outbox in the admin: filters, search, read-only rows, "Kirim ulang" for failed rows."""

import pytest
from django.urls import reverse

from kupang_portal.notifications.models import Channel, Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def row(**kwargs):
    fields = {"channel": Channel.SMS, "address": "+6281234567890", "event": "complaint_closed", "subject": "s",
              "body": "b", "case_number": "ADU-2026-000001"}
    fields.update(kwargs)
    return Notification.objects.create(**fields)


def test_changelist_filters_and_search(admin_client):
    row(status="failed", last_error="gateway HTTP 400: nomor diblokir")
    row(case_number="KTP-2026-000009", channel=Channel.EMAIL, address="warga@example.id", status="sent")
    response = admin_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "+6281******890" in body  # masked phone in the list
    for query in ("?status__exact=failed", "?channel__exact=email", "?event=complaint_closed", "?q=KTP-2026-000009", "?q=warga@example.id"):
        response = admin_client.get(URL + query)
        assert response.status_code == 200, query
    assert response.context["cl"].result_count == 1
    assert admin_client.get(URL + "?q=ADU-2026-000001").context["cl"].result_count == 1


def test_change_page_is_read_only(admin_client):
    r = row()
    response = admin_client.get(reverse("admin:notifications_notification_change", args=[r.pk]))
    assert response.status_code == 200
    assert b'name="status"' not in response.content and b'name="address"' not in response.content
    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_resend_action_requeues_failed_rows_only(admin_client, settings, django_capture_on_commit_callbacks):
    failed = row(status="failed", attempts=8, last_error="TransientFailure: gateway HTTP 503")
    sent = row(status="sent", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(URL, {"action": "resend_failed", "_selected_action": [failed.pk, sent.pk]}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 notifikasi dijadwalkan" in m for m in messages)
    assert any("1 notifikasi dilewati" in m for m in messages)
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == "sent" and failed.attempts == 1 and failed.last_error == ""  # eager delivery on commit
    assert sent.status == "sent" and sent.attempts == 1
    lines = (settings.NOTIFICATION_FILE_DIR / "sms.jsonl").read_text().splitlines()
    assert len(lines) == 1
