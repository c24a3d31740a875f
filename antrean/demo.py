"""Demo counters: Dukcapil KTP-el recording and document pickup, with bookings in the coming days
(one for ``warga``) and a few past visits so the figures page has numbers. Idempotent."""

import datetime as dt

from django.utils import timezone

from kupang_portal.accounts.models import User
from kupang_portal.organization import calendar
from kupang_portal.organization.models import Office
from layanan.models import Application, Service

from . import services
from .constants import VisitStep
from .models import Booking, CounterSchedule, CounterWindow, VisitRequirement
from .reference import load_visits

# (service code, visit step, windows per weekday, slot minutes, capacity, walk-in %)
COUNTERS = [
    ("KTP_EL_BARU", VisitStep.AFTER_VERIFICATION, {0: [("08:00", "12:00")], 1: [("08:00", "12:00")], 2: [("08:00", "12:00")],
                                                   3: [("08:00", "12:00")], 4: [("08:00", "11:00")]}, 30, 6, 30),
    ("KTP_EL_BARU", VisitStep.ON_COMPLETION, {d: [("13:00", "15:00")] for d in range(5)}, 30, 8, 25),
    ("KIA", VisitStep.ON_COMPLETION, {d: [("13:00", "15:00")] for d in range(5)}, 30, 4, 25),
]


def _at(day, hhmm):
    hour, minute = (int(p) for p in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=calendar.local_tz())


def seed(command):
    load_visits()
    office = Office.objects.get(code="DISDUKCAPIL")
    schedules = []
    for code, step, windows, minutes, capacity, walkin in COUNTERS:
        service = Service.objects.get(code=code)
        visit = VisitRequirement.objects.get(service=service, step=step)
        schedule, created = CounterSchedule.objects.get_or_create(
            office=office, service=service, visit=visit,
            defaults={"slot_minutes": minutes, "capacity_per_slot": capacity, "walkin_percent": walkin,
                      "location": "Loket Dukcapil, Kompleks Perkantoran Jl. Timor Raya, Kupang"})
        if created:
            for weekday, spans in windows.items():
                for start, end in spans:
                    CounterWindow.objects.create(schedule=schedule, weekday=weekday, start=dt.time.fromisoformat(start),
                                                 end=dt.time.fromisoformat(end))
        schedules.append(schedule)
    if Booking.objects.exists():
        command.stdout.write("Antrean demo sudah ada.")
        return
    biometric, pickup, _kia = schedules
    clerk = User.objects.get(username="petugas.dukcapil")
    today = timezone.localdate()
    next_day = calendar.add_working_days(today, 1)
    day_after = calendar.add_working_days(today, 2)
    warga = User.objects.get(username="warga")
    booking = services.hold(biometric, next_day, dt.time(9, 0), warga)
    services.confirm(booking, warga)
    for username, day, start in [("warga.demo1", next_day, dt.time(9, 0)), ("warga.demo2", next_day, dt.time(10, 0)),
                                 ("warga.demo3", day_after, dt.time(8, 30))]:
        person = User.objects.get(username=username)
        application = Application.objects.filter(applicant=person, service=biometric.service, status__in=["verified", "in_process"]).first()
        services.confirm(services.hold(biometric, day, start, person, application=application), person)
    services.book_assisted(pickup, day_after, dt.time(13, 30), clerk, visitor_name="Orpa Nenobais", visitor_phone="+6281234500077")
    _past_visits(biometric, clerk, today)
    command.stdout.write(f"Antrean demo: {Booking.objects.count()} antrean; warga: {next_day:%d-%m-%Y} 09:00")


def _past_visits(schedule, clerk, today):
    """Past visits (figures): served, waited, and one no-show, all through the same services."""
    past = [calendar.add_working_days(today - dt.timedelta(days=10), n) for n in (1, 2)]
    for day in past:
        if day >= today:
            continue
        for i, (start, outcome) in enumerate([("08:00", "done"), ("08:30", "done"), ("09:00", "no_show")]):
            now = _at(day, "07:00")
            b = services.book_assisted(schedule, day, dt.time.fromisoformat(start), clerk, visitor_name=f"Warga loket {i + 1}",
                                       now=now)
            if outcome == "done":
                arrival = _at(day, start) - dt.timedelta(minutes=5)
                services.check_in(b, clerk, now=arrival)
                services.start_service(b, clerk, now=arrival + dt.timedelta(minutes=12 + 3 * i))
                services.finish_service(b, clerk, now=arrival + dt.timedelta(minutes=22 + 5 * i))
    services.mark_no_shows()
    # Days before today are read from the rollup: fill those days (dashboards' fill ran earlier).
    from kupang_portal.dashboards import services as dashboards

    for day in past:
        if day < today:
            dashboards.fill_day(day)
