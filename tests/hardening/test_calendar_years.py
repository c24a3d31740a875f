"""Issue 12, item 8: a year without its holiday decree still knows the fixed-date holidays, its
deadlines are marked provisional, and the admins are warned (banner, /readyz, beat task)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kupang_portal.accounts.roles import Role
from kupang_portal.notifications.models import Notification
from kupang_portal.organization import calendar
from kupang_portal.organization.models import Holiday
from kupang_portal.organization.tasks import warn_missing_years
from tests import factories

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def d(text):
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize("day", ["2027-01-01", "2027-06-01", "2027-08-17", "2028-05-01", "2030-12-25"])
def test_fixed_date_national_holidays_without_a_decree(day):
    assert not Holiday.objects.filter(date__year=d(day).year).exists()
    assert d(day).weekday() < 5  # a weekday, so only the holiday rule makes it a day off
    assert calendar.is_working_day(d(day)) is False


def test_deadline_across_new_year_2027_counts_new_year_as_a_holiday():
    # Wed 30 Dec 2026 + 2 working days: Thu 31 Dec (1), Fri 1 Jan 2027 is a holiday, Mon 4 Jan (2).
    assert calendar.add_working_days(d("2026-12-30"), 2) == d("2027-01-04")
    # 17 Aug 2027 is a Tuesday: Mon 16 Aug + 1 working day is Wed 18 Aug.
    assert calendar.add_working_days(d("2027-08-16"), 1) == d("2027-08-18")


def test_loaded_years_and_provisional_deadlines():
    assert {2025, 2026} <= calendar.loaded_years() and 2027 not in calendar.loaded_years()
    assert calendar.is_provisional(dt.datetime(2027, 1, 4, 23, 59, tzinfo=WITA))
    assert not calendar.is_provisional(d("2026-12-30"))
    Holiday.objects.create(date=d("2027-03-10"), name="Idul Fitri 1448 H")
    assert 2027 in calendar.loaded_years()
    assert not calendar.is_provisional(d("2027-01-04"))


def test_missing_years_from_1_october():
    assert calendar.missing_years(d("2026-09-30")) == []
    assert calendar.missing_years(d("2026-10-01")) == [2027]
    assert calendar.missing_years(d("2027-02-01")) == [2027]
    Holiday.objects.create(date=d("2027-03-10"), name="Idul Fitri 1448 H")
    assert calendar.missing_years(d("2026-10-01")) == []


def test_beat_task_tells_the_admins_once_a_week():
    admin_user = factories.staff(Role.ADMIN, username="it.kota")
    admin_user.is_superuser = True
    admin_user.save()
    factories.staff(Role.CLERK, "DLHK", username="clerk.cal")
    assert warn_missing_years(d("2026-09-30")) == []
    assert not Notification.objects.filter(event="calendar_year_missing").exists()
    assert warn_missing_years(d("2026-10-01")) == [2027]
    assert warn_missing_years(d("2026-10-02")) == [2027]  # same week: nothing new
    rows = Notification.objects.filter(event="calendar_year_missing")
    assert set(rows.values_list("recipient__username", flat=True)) == {"it.kota"}
    assert rows.filter(channel="inapp").count() == 1 and "2027" in rows.first().subject
    warn_missing_years(d("2026-10-08"))  # next week: reminded again
    assert rows.filter(channel="inapp").count() == 2


def test_readyz_and_admin_banner_report_the_missing_year(client):
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, 0, tzinfo=WITA), tick=False):
        body = client.get("/readyz").json()
        assert body["status"] == "ok" and body["checks"]["calendar"] == "missing holidays for 2027"
        admin_user = factories.UserFactory(username="root.cal", is_staff=True, is_superuser=True)
        client.force_login(admin_user)
        page = client.get("/admin/").content.decode()
        assert 'data-testid="calendar-missing"' in page and "2027" in page
        client.force_login(factories.staff(Role.CLERK, "DLHK", username="clerk.banner"))
        assert 'data-testid="calendar-missing"' not in client.get("/admin/").content.decode()
    with time_machine.travel(dt.datetime(2026, 9, 5, 9, 0, tzinfo=WITA), tick=False):
        assert client.get("/readyz").json()["checks"]["calendar"] == "ok"


def test_admin_queue_marks_deadlines_beyond_loaded_years_provisional():
    from django.contrib import admin

    from pengaduan.models import Complaint

    model_admin = admin.site._registry[Complaint]
    later = Complaint(deadline=dt.datetime(2027, 1, 4, 23, 59, 59, tzinfo=WITA))
    sooner = Complaint(deadline=dt.datetime(2026, 12, 30, 23, 59, 59, tzinfo=WITA))
    assert "sementara" in str(model_admin.deadline_display(later))
    assert "sementara" not in str(model_admin.deadline_display(sooner))
