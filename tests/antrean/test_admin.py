"""Counter configuration in the admin stays inside the staff member's offices: an office head
closes, edits and configures only their own counters (another office's are not even a choice)."""

import re

import pytest
from django.urls import reverse

from antrean.constants import BookingStatus
from antrean.models import Booking, ClosedDay, CounterSchedule
from kupang_portal.accounts.roles import Role
from kupang_portal.organization.models import Office
from tests import factories

from .conftest import book, make_schedule

pytestmark = pytest.mark.django_db


def choices(html, name):
    """The option values of the form's select ``name``."""
    select = re.search(rf'<select[^>]*name="{name}"(.*?)</select>', html, re.S)
    return set(re.findall(r'<option value="(\d+)"', select.group(1))) if select else set()


@pytest.fixture
def head(db):
    return factories.staff(Role.OFFICE_HEAD, "DISDUKCAPIL")


def test_office_head_cannot_close_another_offices_counters(client, head, resident, monday):
    other = make_schedule(service_code="NIB_OSS", office_code="DPMPTSP")
    booking = book(other, resident, monday)
    client.force_login(head)
    url = reverse("admin:antrean_closedday_add")
    form = client.get(url).content.decode()
    assert choices(form, "office") == {str(Office.objects.get(code="DISDUKCAPIL").pk)}
    assert str(other.pk) not in choices(form, "schedule")
    response = client.post(url, {"office": other.office_id, "date": monday.isoformat(), "reason": "Rapat",
                                 "confirm_cancel": "on"})
    assert response.status_code == 200  # the form again, with the error
    assert not ClosedDay.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    # Their own office's schedule of another office is no choice either.
    own = Office.objects.get(code="DISDUKCAPIL")
    response = client.post(url, {"office": own.pk, "schedule": other.pk, "date": monday.isoformat(), "reason": "Rapat",
                                 "confirm_cancel": "on"})
    assert response.status_code == 200 and not ClosedDay.objects.exists()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_office_head_closes_own_counter(client, head, schedule, resident, monday):
    booking = book(schedule, resident, monday)
    client.force_login(head)
    response = client.post(reverse("admin:antrean_closedday_add"), {
        "office": schedule.office_id, "schedule": schedule.pk, "date": monday.isoformat(), "reason": "Rapat dinas",
        "confirm_cancel": "on"})
    assert response.status_code == 302
    assert ClosedDay.objects.filter(office=schedule.office, date=monday).exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.OFFICE_CLOSED


def test_office_head_cannot_move_a_schedule_to_another_office(client, head, schedule):
    client.force_login(head)
    url = reverse("admin:antrean_counterschedule_change", args=[schedule.pk])
    page = client.get(url)
    assert page.status_code == 200
    other_office = Office.objects.get(code="DPMPTSP")
    assert choices(page.content.decode(), "office") == {str(schedule.office_id)}
    data = {
        "office": other_office.pk, "service": schedule.service_id, "visit": schedule.visit_id or "",
        "location": "", "slot_minutes": 30, "capacity_per_slot": 4, "walkin_percent": 25, "min_days_ahead": 1,
        "horizon_days": 60, "grace_minutes": 15, "is_active": "on",
        "windows-TOTAL_FORMS": 0, "windows-INITIAL_FORMS": 0, "windows-MIN_NUM_FORMS": 0, "windows-MAX_NUM_FORMS": 1000,
    }
    client.post(url, data)
    assert CounterSchedule.objects.get(pk=schedule.pk).office.code == "DISDUKCAPIL"
    # Nor turned into a counter for another office's service (NIB is DPMPTSP's).
    from layanan.models import Service

    client.post(url, {**data, "office": schedule.office_id, "service": Service.objects.get(code="NIB_OSS").pk})
    assert CounterSchedule.objects.get(pk=schedule.pk).service.code == "KTP_EL_BARU"
    saved = client.post(url, {**data, "office": schedule.office_id, "capacity_per_slot": 5})
    assert saved.status_code == 302 and CounterSchedule.objects.get(pk=schedule.pk).capacity_per_slot == 5


def test_booking_restrictions_are_seen_and_lifted_by_the_offices_the_resident_booked_at(
        client, schedule, resident, other_resident, clerk, clerk_other_office, monday):
    """A resident's no-show record is seen by the counters they booked at (and city-wide staff),
    not by every clerk of the city."""
    import datetime as dt

    from django.utils import timezone

    from antrean.models import BookingRestriction

    book(schedule, resident, monday)  # a Dukcapil booking
    restriction = BookingRestriction.objects.create(person=resident, reason="2 kali tidak hadir: ANT-AAAA1111",
                                                    until=timezone.now() + dt.timedelta(days=30))
    unrelated = BookingRestriction.objects.create(person=other_resident, reason="2 kali tidak hadir: ANT-BBBB2222",
                                                  until=timezone.now() + dt.timedelta(days=30))
    changelist = reverse("admin:antrean_bookingrestriction_changelist")
    change = reverse("admin:antrean_bookingrestriction_change", args=[restriction.pk])

    client.force_login(clerk_other_office)
    page = client.get(changelist)
    assert page.status_code == 200 and list(page.context["cl"].result_list) == []
    assert "ANT-AAAA1111" not in page.content.decode() and resident.username not in page.content.decode()
    assert client.get(change).status_code == 404
    client.post(changelist, {"action": "lift", "_selected_action": [restriction.pk]})
    restriction.refresh_from_db()
    assert restriction.lifted_at is None

    client.force_login(clerk)
    page = client.get(changelist)
    assert list(page.context["cl"].result_list) == [restriction] and unrelated.reason not in page.content.decode()
    assert client.get(change).status_code == 200
    client.post(changelist, {"action": "lift", "_selected_action": [restriction.pk]})
    restriction.refresh_from_db()
    assert restriction.lifted_at is not None and restriction.lifted_by == clerk
