"""The outbox core: rows written in the caller's transaction, delivered once after commit."""

import json

import pytest
from django.db import transaction

from kupang_portal.notifications import services
from kupang_portal.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {"service": "KTP-el baru", "deadline": "5 Desember 2026"}


def test_rows_written_and_delivered_after_commit(settings):
    user = factories.resident(phone="+6281234500099")
    with transaction.atomic():
        rows = services.notify("application_submitted", [user], CONTEXT, case_number="KTP-2026-000001", link="/lacak/KTP-2026-000001/")
        # Not sent yet: delivery waits for the commit.
        assert {r.channel for r in rows} == {"inapp", "email", "whatsapp"}
        assert Notification.objects.get(channel="email").status == Notification.Status.PENDING
    statuses = dict(Notification.objects.values_list("channel", "status"))
    assert statuses == {"inapp": "sent", "email": "sent", "whatsapp": "sent"}
    lines = (settings.NOTIFICATION_FILE_DIR / "whatsapp.jsonl").read_text().splitlines()
    payload = json.loads(lines[0])
    assert payload["to"] == "+6281234500099" and "KTP-2026-000001" in payload["text"]
    assert payload["link"].endswith("/lacak/KTP-2026-000001/")


def test_rolled_back_transaction_leaves_no_row_and_sends_nothing(settings):
    user = factories.resident()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify("application_submitted", [user], CONTEXT, case_number="KTP-2026-000002")
        raise RuntimeError("the state change failed")
    assert not Notification.objects.exists()
    assert not (settings.NOTIFICATION_FILE_DIR / "email.jsonl").exists()


def test_delivering_twice_sends_once():
    user = factories.resident()
    with transaction.atomic():
        row = services.notify("application_verified", [user], {"service": "KK"}, case_number="KK-2026-000001", channels=["inapp", "email"])[1]
    from django.core import mail

    assert len(mail.outbox) == 1
    assert services.deliver(row.pk)[0] == services.DeliveryResult.SKIPPED
    assert len(mail.outbox) == 1


def test_dedupe_key_makes_repeated_jobs_idempotent():
    user = factories.resident()
    for _ in range(2):
        services.notify("complaint_closed", [user], {}, case_number="ADU-2026-000001", dedupe_key="close:1")
    assert Notification.objects.filter(event="complaint_closed").count() == 2  # inapp + email, once


def test_user_with_every_channel_off_still_gets_the_inbox_row():
    user = factories.resident(notify_email=False, notify_sms=False, notify_whatsapp=False)
    rows = services.notify("complaint_closed", [user], {}, case_number="ADU-2026-000002")
    assert [r.channel for r in rows] == ["inapp"]
    assert Notification.objects.unread_count(user) == 1


def test_inbox_page_and_mark_read(client):
    user = factories.resident()
    services.notify("complaint_closed", [user], {}, case_number="ADU-2026-000003")
    client.force_login(user)
    page = client.get("/akun/notifikasi/").content.decode()
    assert "ADU-2026-000003" in page and 'data-testid="unread-count"' in page
    client.post("/akun/notifikasi/baca/")
    assert Notification.objects.unread_count(user) == 0
    assert client.get("/akun/notifikasi/").status_code == 200


def test_inbox_requires_login(client):
    assert client.get("/akun/notifikasi/").status_code == 302


def test_one_insert_writes_the_rows_of_several_notify_calls_in_one_statement_and_delivers_them(settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    resident = factories.resident(phone="+6281234500098")
    clerk = factories.resident(username="clerk.batch")
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured, services.one_insert():
            assert services.notify("application_submitted", [resident], CONTEXT, case_number="KTP-2026-000003",
                                   dedupe_key="batch:submitted") == []
            services.notify("case_new_in_queue", [clerk], {"office": "Dukcapil", "title": "KTP-el", "deadline": "-"},
                            case_number="KTP-2026-000003")
        inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
        # PostgreSQL: INSERT ... ON CONFLICT DO NOTHING; SQLite (make test's default): INSERT OR IGNORE.
        assert len(inserts) == 1 and 'INTO "notifications_notification"' in inserts[0], inserts
    rows = Notification.objects.filter(case_number="KTP-2026-000003")
    assert sorted(rows.values_list("recipient__username", "channel")) == sorted(
        [(resident.username, "inapp"), (resident.username, "email"), (resident.username, "whatsapp"), ("clerk.batch", "inapp"),
         ("clerk.batch", "email")])
    assert set(rows.values_list("status", flat=True)) == {"sent"}  # delivered after the commit
    with transaction.atomic(), services.one_insert():  # the same keys again: skipped, nothing sent twice
        services.notify("application_submitted", [resident], CONTEXT, case_number="KTP-2026-000003", dedupe_key="batch:submitted")
    assert rows.count() == 5 and len((settings.NOTIFICATION_FILE_DIR / "whatsapp.jsonl").read_text().splitlines()) == 1


def test_one_insert_block_that_fails_writes_nothing(settings):
    user = factories.resident()
    with pytest.raises(RuntimeError), transaction.atomic(), services.one_insert():
        services.notify("application_submitted", [user], CONTEXT, case_number="KTP-2026-000004")
        raise RuntimeError("the state change failed")
    assert not Notification.objects.exists()
    with transaction.atomic():  # and the next notify() outside a block writes at once again
        assert len(services.notify("application_submitted", [user], CONTEXT, case_number="KTP-2026-000004")) >= 1
