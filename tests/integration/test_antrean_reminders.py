"""Counter reminders through a real worker: sent once however often the beat job runs."""

import datetime as dt
import re

import pytest

from antrean import tasks
from antrean.constants import BookingStatus
from kupang_portal.notifications.models import Notification
from tests import factories
from tests.antrean.conftest import book, make_schedule, monday, wita  # noqa: F401 (monday is a fixture)
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _succeeded(worker):
    return len(re.findall(rb"antrean\.tasks\.periodic_reminders\[[^\]]+\] succeeded", worker.log.read_bytes()))


def test_reminders_are_idempotent_through_a_real_worker(celery_worker_process, monday):  # noqa: F811 (fixture)
    schedule = make_schedule()
    resident = factories.resident(phone="+6281234500088")
    booking = book(schedule, resident, monday)
    assert booking.status == BookingStatus.BOOKED
    friday_afternoon = wita(monday - dt.timedelta(days=3), "16:05").isoformat()
    # the same beat job three times (twice at once, as after a beat restart), on two worker processes
    for _ in range(3):
        tasks.periodic_reminders.delay("next", at=friday_afternoon)
    wait_for(lambda: _succeeded(celery_worker_process) >= 3, timeout=90, message="three reminder runs")
    rows = Notification.objects.filter(event="booking_reminder_day_before", recipient=resident)
    # one row per channel the resident chose: in-app, e-mail, WhatsApp
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inapp", "whatsapp"]
    wait_for(lambda: not rows.filter(status=Notification.Status.PENDING).exists(), timeout=60, message="delivery")
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    # Sunday is not a working day: no reminders at all
    tasks.periodic_reminders.delay("next", at=wita(monday - dt.timedelta(days=1), "16:05").isoformat())
    wait_for(lambda: _succeeded(celery_worker_process) >= 4, timeout=60, message="the Sunday run")
    assert rows.count() == 3
