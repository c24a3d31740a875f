"""The one working-day calendar: weekends, holidays, cuti bersama, year boundary, WITA."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kupang_portal.organization import calendar
from kupang_portal.organization.models import Holiday

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


def d(text):
    return dt.date.fromisoformat(text)


def test_reference_holidays_are_loaded():
    assert Holiday.objects.filter(date__year=2025).count() == 28
    assert Holiday.objects.filter(date__year=2026).count() == 25
    assert Holiday.objects.get(date=d("2026-12-24")).kind == Holiday.Kind.COLLECTIVE_LEAVE


@pytest.mark.parametrize(
    "day,expected",
    [
        ("2026-11-30", True),  # Monday
        ("2026-11-28", False),  # Saturday
        ("2026-11-29", False),  # Sunday
        ("2026-12-25", False),  # Natal (libur nasional)
        ("2026-12-24", False),  # cuti bersama Natal
        ("2026-03-20", False),  # cuti bersama Idul Fitri
        ("2026-03-25", True),
    ],
)
def test_is_working_day(day, expected):
    assert calendar.is_working_day(d(day)) is expected


def test_add_working_days_skips_weekend():
    # Friday + 1 working day = Monday.
    assert calendar.add_working_days(d("2026-11-27"), 1) == d("2026-11-30")
    assert calendar.add_working_days(d("2026-11-27"), 5) == d("2026-12-04")


def test_add_working_days_across_christmas_and_new_year():
    # Tue 22 Dec 2026 + 3: Wed 23, (24 cuti, 25 Natal, weekend) Mon 28, Tue 29.
    assert calendar.add_working_days(d("2026-12-22"), 3) == d("2026-12-29")
    # Year boundary: Wed 30 Dec 2026 + 2 = Thu 31 Dec, (1 Jan holiday, if loaded) ...
    Holiday.objects.create(date=d("2027-01-01"), name="Tahun Baru 2027", kind=Holiday.Kind.NATIONAL)
    assert calendar.add_working_days(d("2026-12-30"), 2) == d("2027-01-04")


def test_add_working_days_through_lebaran_2026():
    # 18-24 March 2026: Nyepi, cuti bersama and Idul Fitri close offices for a week.
    assert calendar.add_working_days(d("2026-03-17"), 1) == d("2026-03-25")


def test_zero_days_rolls_forward_to_a_working_day():
    assert calendar.add_working_days(d("2026-11-28"), 0) == d("2026-11-30")
    assert calendar.add_working_days(d("2026-11-30"), 0) == d("2026-11-30")


def test_negative_days_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(d("2026-11-30"), -1)


def test_working_days_between_is_inverse_of_add():
    for start in ("2026-11-27", "2026-12-22", "2026-03-16", "2025-12-30"):
        for n in (1, 3, 5, 14):
            end = calendar.add_working_days(d(start), n)
            assert calendar.working_days_between(d(start), end) == n
    assert calendar.working_days_between(d("2026-12-04"), d("2026-11-27")) == -5


def test_datetime_uses_local_wita_date():
    # 23:30 UTC on Friday 27 Nov is 07:30 Saturday in Kupang: the clock starts from Saturday.
    late_friday_utc = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.timezone.utc)
    assert calendar.to_local_date(late_friday_utc) == d("2026-11-28")
    assert calendar.add_working_days(late_friday_utc, 1) == d("2026-11-30")


def test_deadline_is_end_of_working_day_in_wita():
    start = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA)
    deadline = calendar.deadline_after(start, 3)
    assert deadline == dt.datetime(2026, 12, 3, 23, 59, 59, tzinfo=WITA)
    assert deadline.utcoffset() == dt.timedelta(hours=8)


def test_naive_datetime_refused():
    with pytest.raises(ValueError):
        calendar.to_local_date(dt.datetime(2026, 11, 30, 9, 0))


def test_sla_status_badges():
    deadline = dt.datetime(2026, 12, 3, 23, 59, 59, tzinfo=WITA)
    assert calendar.sla_status(deadline, now=dt.datetime(2026, 11, 30, 9, tzinfo=WITA)) == calendar.SlaStatus.ON_TIME
    assert calendar.sla_status(deadline, now=dt.datetime(2026, 12, 2, 9, tzinfo=WITA)) == calendar.SlaStatus.DUE_SOON
    assert calendar.sla_status(deadline, now=dt.datetime(2026, 12, 4, 0, 1, tzinfo=WITA)) == calendar.SlaStatus.OVERDUE
    assert calendar.sla_status(deadline, paused=True) == calendar.SlaStatus.PAUSED
    assert calendar.sla_status(None) == calendar.SlaStatus.NONE


def test_holiday_edit_in_admin_takes_effect_immediately():
    day = d("2026-12-01")
    assert calendar.is_working_day(day)
    holiday = Holiday.objects.create(date=day, name="Libur daerah", kind=Holiday.Kind.LOCAL)
    assert not calendar.is_working_day(day)
    holiday.delete()
    assert calendar.is_working_day(day)


def test_one_shared_cache_read_per_second_per_process_and_a_saved_holiday_shows_at_once(monkeypatch):
    """A queue page asks the calendar once per row: the process keeps the holiday set for
    HOLIDAY_LOCAL_SECONDS instead of a shared-cache round trip per row; a save here is seen at once."""
    from kupang_portal.core import cache as shared_cache

    reads = []
    real_get = shared_cache.get
    monkeypatch.setattr(calendar.cache, "get", lambda key, default=None: reads.append(key) or real_get(key, default))
    clock = [1000.0]
    monkeypatch.setattr(calendar.time, "monotonic", lambda: clock[0])
    calendar.forget_local_holidays()
    first = calendar.holiday_dates()
    for _ in range(50):
        assert calendar.holiday_dates() is first
        calendar.is_provisional(d("2026-12-31"))
    assert reads == [calendar.HOLIDAY_CACHE_KEY]
    clock[0] += calendar.HOLIDAY_LOCAL_SECONDS + 0.01
    calendar.holiday_dates()
    assert len(reads) == 2  # after the second, the shared cache is asked again
    new_day = d("2031-03-03")
    assert 2031 not in calendar.loaded_years()
    Holiday.objects.create(date=new_day, name="Uji coba")
    assert new_day in calendar.holiday_dates() and 2031 in calendar.loaded_years()
