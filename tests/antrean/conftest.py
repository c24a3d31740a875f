"""Fixtures for the antrean tests: a Dukcapil counter for KTP-el recording, residents, clerks."""

import datetime as dt

import pytest

from antrean import services
from antrean.constants import VisitStep
from antrean.models import CounterSchedule, CounterWindow, VisitRequirement
from kupang_portal.accounts.roles import Role
from kupang_portal.organization import calendar
from kupang_portal.organization.models import Office
from layanan.models import Service
from tests import factories

WITA = calendar.local_tz()


def wita(day, hhmm="07:00"):
    hour, minute = (int(p) for p in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


def next_weekday(weekday, after=None, weeks=1):
    """The ``weekday`` (0 = Monday) at least ``weeks`` weeks after today, never a holiday in tests."""
    day = (after or dt.date.today()) + dt.timedelta(days=7 * weeks)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def make_schedule(service_code="KTP_EL_BARU", office_code="DISDUKCAPIL", step=VisitStep.AFTER_VERIFICATION,
                  capacity=4, walkin=25, windows=(("08:00", "09:00"),), weekdays=range(5), **extra):
    service = Service.objects.get(code=service_code)
    visit, _ = VisitRequirement.objects.get_or_create(service=service, step=step, defaults={"label": "Perekaman biometrik"})
    schedule = CounterSchedule.objects.create(
        office=Office.objects.get(code=office_code), service=service, visit=visit, slot_minutes=30,
        capacity_per_slot=capacity, walkin_percent=walkin, horizon_days=extra.pop("horizon_days", 60), **extra)
    for weekday in weekdays:
        for start, end in windows:
            CounterWindow.objects.create(schedule=schedule, weekday=weekday, start=dt.time.fromisoformat(start),
                                         end=dt.time.fromisoformat(end))
    return schedule


def book(schedule, person, day, start="08:00", now=None, application=None):
    booking = services.hold(schedule, day, dt.time.fromisoformat(start), person, now=now, application=application)
    return services.confirm(booking, person, now=now)


@pytest.fixture
def schedule(db):
    return make_schedule()


@pytest.fixture
def monday():
    """A Monday at least two weeks ahead whose week (and the Friday before) has no holiday."""
    day = next_weekday(0, weeks=2)
    while not all(calendar.is_working_day(day + dt.timedelta(days=n)) for n in (-3, 0, 1, 2, 3, 4)):
        day += dt.timedelta(days=7)
    return day


@pytest.fixture
def resident(db):
    return factories.resident(first_name="Maria", last_name="Ndolu", phone="+6281234567001")


@pytest.fixture
def other_resident(db):
    return factories.resident(first_name="Yosef", last_name="Lakapu")


@pytest.fixture
def clerk(db):
    return factories.staff(Role.CLERK, "DISDUKCAPIL")


@pytest.fixture
def clerk_other_office(db):
    return factories.staff(Role.CLERK, "DPMPTSP")
