"""The counter figures on /transparansi/: aggregates only, small counts masked, computed by hand."""

import datetime as dt

import pytest
from django.urls import reverse

from antrean import selectors, services
from antrean.constants import BookingStatus
from kupang_portal.dashboards import services as dashboards
from tests import factories

from .conftest import make_schedule, wita

pytestmark = pytest.mark.django_db


def _past_visits(schedule, clerk, day, served, missed, wait=10):
    now = wita(day, "07:00")
    for i in range(served + missed):
        booking = services.book_assisted(schedule, day, dt.time(8, 0) if i < 6 else dt.time(8, 30), clerk,
                                         visitor_name=f"Warga {i}", now=now)
        if i < served:
            services.check_in(booking, clerk, now=wita(day, "08:00"))
            services.start_service(booking, clerk, now=wita(day, "08:00") + dt.timedelta(minutes=wait + i))
    services.mark_no_shows(now=wita(day, "12:00"))
    dashboards.fill_day(day)  # past days are read from the rollup, as the beat's fill leaves it


def test_public_summary_by_hand_with_small_counts_masked(client, django_assert_num_queries):
    schedule = make_schedule(capacity=6, walkin=0)
    clerk = factories.staff("petugas", "DISDUKCAPIL")
    today = selectors.local_today()
    day = today - dt.timedelta(days=3)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    schedule.windows.all().delete()
    schedule.windows.create(weekday=day.weekday(), start=dt.time(8, 0), end=dt.time(9, 0))
    from kupang_portal.organization.models import Holiday

    Holiday.objects.filter(date=day).delete()
    from kupang_portal.organization import calendar

    calendar.clear_holiday_cache()
    # 6 served (waits 10..15 min, median 12.5) and 2 no-shows: 8 booked, no-show rate 2/8 = 25 %
    _past_visits(schedule, clerk, day, served=6, missed=2)
    with django_assert_num_queries(1):  # the days before today: the rollup only, whatever their bookings
        summary = selectors.public_visit_summary()
    assert summary["last"] == today - dt.timedelta(days=1)
    (row,) = summary["rows"]
    assert row == {"office": "Dukcapil", "booked": 8, "attended": 6, "no_show_rate": 25.0, "wait_minutes": 12.5}
    html = client.get(reverse("transparansi:page")).content.decode()
    assert 'data-testid="antrean-figures"' in html and "25.0%" in html.replace(",", ".")
    assert "Warga 0" not in html  # no personal data


def test_public_summary_masks_small_offices():
    schedule = make_schedule(office_code="DPMPTSP", service_code="NIB_OSS", capacity=6, walkin=0)
    clerk = factories.staff("petugas", "DPMPTSP")
    today = selectors.local_today()
    day = today - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    schedule.windows.all().delete()
    schedule.windows.create(weekday=day.weekday(), start=dt.time(8, 0), end=dt.time(9, 0))
    from kupang_portal.organization import calendar
    from kupang_portal.organization.models import Holiday

    Holiday.objects.filter(date=day).delete()
    calendar.clear_holiday_cache()
    _past_visits(schedule, clerk, day, served=2, missed=1)
    (row,) = selectors.public_visit_summary()["rows"]
    assert row["booked"] == "< 5" and row["attended"] == "< 5"
    assert row["no_show_rate"] is None and row["wait_minutes"] is None
    from antrean.models import Booking

    assert Booking.objects.filter(status=BookingStatus.NO_SHOW).count() == 1
