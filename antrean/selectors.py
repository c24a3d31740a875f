"""Reads of the antrean app: open days, free places, next free slot, bookings a user may see,
and the figures (booked, attended, no-show rate, waiting and service time)."""

import datetime as dt
import statistics
from collections import defaultdict

from django.db import connections
from django.db.models import Aggregate, Count, DurationField, F, Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kupang_portal.organization import calendar

from .constants import ACTIVE_STATES, COUNTED_STATES, BookingChannel, BookingStatus, VisitStep
from .models import Booking, BookingRestriction, ClosedDay, CounterSchedule, Slot, VisitRequirement

DAY_NAMES = {}


def local_today(now=None):
    return timezone.localtime(now or timezone.now(), calendar.local_tz()).date()


def public_schedules(service=None, office=None):
    rows = CounterSchedule.objects.filter(is_active=True, service__is_published=True).select_related(
        "office", "service", "visit").prefetch_related("windows")
    if service is not None:
        rows = rows.filter(service=service)
    if office is not None:
        rows = rows.filter(office=office)
    return rows


def slot_times(schedule, day):
    """[(start, end)] of ``day`` from the schedule's windows for that weekday."""
    step = dt.timedelta(minutes=schedule.slot_minutes)
    times = []
    for window in schedule.windows.all():
        if window.weekday != day.weekday():
            continue
        for start in window.slot_starts(schedule.slot_minutes):
            end = (dt.datetime.combine(day, start) + step).time()
            times.append((start, end))
    return sorted(times)


def _closed_days(schedule, first, last):
    rows = ClosedDay.objects.filter(office_id=schedule.office_id, date__range=(first, last)).filter(
        Q(schedule__isnull=True) | Q(schedule=schedule))
    return {row.date: row.reason for row in rows}


def closed_reason(schedule, day, closed=None, holidays=None):
    """Why the counter is closed on ``day`` (weekend, holiday or cuti bersama, office closure, no
    window), or "" when it is open."""
    holidays = calendar.holiday_dates() if holidays is None else holidays
    if day in holidays:
        from kupang_portal.organization.models import Holiday

        holiday = Holiday.objects.filter(date=day).first()
        return holiday.name if holiday else _("hari libur")
    if not calendar.is_working_day(day, holidays):
        return _("akhir pekan")
    closed = _closed_days(schedule, day, day) if closed is None else closed
    if day in closed:
        return closed[day]
    if not slot_times(schedule, day):
        return _("tidak ada jam loket")
    return ""


def day_slots(schedule, day, assisted=False, slot_rows=None, now=None):
    """[{start, end, free}] for one day; ``free`` counts online places (all places if assisted)."""
    if slot_rows is None:
        slot_rows = {row.start: row for row in Slot.objects.filter(schedule=schedule, date=day)}
    result = []
    now = timezone.localtime(now or timezone.now(), calendar.local_tz())
    for start, end in slot_times(schedule, day):
        if day == now.date() and end <= now.time():
            continue  # already over
        row = slot_rows.get(start)
        if row is not None:
            limit = row.capacity if assisted else row.capacity - row.reserved
            free = max(0, limit - row.booked)
        else:
            free = schedule.capacity_per_slot if assisted else schedule.online_per_slot
        result.append({"start": start, "end": end, "free": free, "value": start.strftime("%H:%M")})
    return result


def booking_window(schedule, now=None, assisted=False):
    today = local_today(now)
    first = today if assisted else today + dt.timedelta(days=schedule.min_days_ahead)
    return first, today + dt.timedelta(days=schedule.horizon_days)


def days_overview(schedule, now=None, assisted=False, first=None, last=None):
    """Every day of the booking window: {date, closed (reason or ""), free, slots}."""
    window_first, window_last = booking_window(schedule, now, assisted)
    first, last = first or window_first, last or window_last
    holidays = calendar.holiday_dates()
    closed = _closed_days(schedule, first, last)
    rows = defaultdict(dict)
    for slot in Slot.objects.filter(schedule=schedule, date__range=(first, last)):
        rows[slot.date][slot.start] = slot
    days = []
    day = first
    while day <= last:
        reason = closed_reason(schedule, day, closed, holidays)
        slots = [] if reason else day_slots(schedule, day, assisted, rows.get(day, {}), now=now)
        days.append({"date": day, "closed": reason, "free": sum(s["free"] for s in slots), "slots": slots})
        day += dt.timedelta(days=1)
    return days


def next_free_slot(schedule, day, after=None, assisted=False, now=None):
    """The first slot with room at or after ``day`` (later than ``after`` on that day), within the
    booking window: {date, start, end, free} or None."""
    first, last = booking_window(schedule, now, assisted)
    for entry in days_overview(schedule, now, assisted, first=max(first, day), last=last):
        for slot in entry["slots"]:
            if slot["free"] > 0 and not (entry["date"] == day and after is not None and slot["start"] <= after):
                return {"date": entry["date"], **slot}
    return None


def quota_overview(schedules, now=None, days=7):
    """For the public page: per schedule, the next ``days`` open days with their free places."""
    overview = []
    for schedule in schedules:
        open_days = [d for d in days_overview(schedule, now) if not d["closed"]][:days]
        overview.append({"schedule": schedule, "days": open_days, "total_free": sum(d["free"] for d in open_days)})
    return overview


# --- Bookings -------------------------------------------------------------------------------------
def _bookings():
    return Booking.objects.select_related("slot", "schedule__visit", "service", "office", "application")


def bookings_of(person):
    return _bookings().filter(person=person).exclude(status=BookingStatus.EXPIRED).order_by("-date", "-slot__start")


def booking_for_owner(person, code):
    """The person's own booking; anyone else's (or none) -> 404."""
    booking = _bookings().filter(code=(code or "").strip().upper()[:12], person=person).first()
    if booking is None:
        raise Http404(_("Antrean tidak ditemukan."))
    return booking


def staff_office_ids(user):
    if user.is_superuser:
        return None  # every office
    return user.office_ids()


def bookings_for_staff(user):
    rows = _bookings().select_related("person", "booked_by")
    office_ids = staff_office_ids(user)
    return rows if office_ids is None else rows.filter(office_id__in=office_ids)


def find_for_staff(user, text):
    """A booking of the clerk's offices by code, by the signed QR token, or by a URL carrying it."""
    from . import tokens

    text = (text or "").strip()
    if not text:
        return None
    rows = bookings_for_staff(user)
    if text.upper().startswith("ANT-"):
        return rows.filter(code=text.upper()[:12]).first()
    identity = tokens.read(text)
    if identity is None:
        return None
    pk, code = identity
    return rows.filter(pk=pk, code=code).first()


def office_day(user, day):
    return bookings_for_staff(user).filter(date=day, status__in=COUNTED_STATES).order_by("slot__start", "pk")


def active_restriction(person, now=None):
    if person is None:
        return None
    now = now or timezone.now()
    return BookingRestriction.objects.filter(person=person, lifted_at__isnull=True, until__gt=now).order_by("-until").first()


def restriction_message(restriction):
    until = timezone.localtime(restriction.until, calendar.local_tz())
    return _("Pemesanan antrean daring untuk akun Anda dibatasi sampai %(until)s WITA karena %(reason)s. "
             "Anda tetap dapat dilayani langsung di loket, atau minta petugas mencabut pembatasan.") % {
        "until": formats.date_format(until, "j F Y H:i"), "reason": restriction.reason}


# --- Visits in the published standard and on applications ----------------------------------------
def visits_of_service(service):
    return list(VisitRequirement.objects.filter(service=service, is_active=True).order_by("step"))


def visit_due(application):
    """The visit the application's current state calls for, or None."""
    from layanan.constants import ApplicationStatus as S

    step = {S.SUBMITTED: VisitStep.BEFORE_SUBMISSION, S.VERIFIED: VisitStep.AFTER_VERIFICATION,
            S.IN_PROCESS: VisitStep.AFTER_VERIFICATION, S.COMPLETED: VisitStep.ON_COMPLETION}.get(application.status)
    if step is None:
        return None
    return VisitRequirement.objects.filter(service_id=application.service_id, step=step, is_active=True).first()


def application_visits(application):
    """What the resident's application page shows: its bookings and the visit it may book now."""
    bookings = list(_bookings().filter(application=application).exclude(status=BookingStatus.EXPIRED).order_by("-date"))
    due = visit_due(application)
    schedule = None
    if due is not None:
        schedule = CounterSchedule.objects.filter(service_id=application.service_id, is_active=True).filter(
            Q(visit=due) | Q(visit__isnull=True)).order_by("visit_id").first()
        if any(b.status in ACTIVE_STATES and b.schedule_id == (schedule.pk if schedule else None) for b in bookings):
            schedule = None
    return {"bookings": bookings, "due": due, "schedule": schedule}


# --- Figures --------------------------------------------------------------------------------------
def _minutes(delta):
    return delta.total_seconds() / 60


class _Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the middle value, or the mean of the two middle
    values of an even count (what ``statistics.median`` returns)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


_GROUP_FIELDS = {"office": "office_id", "service": "service_id", "date": "date"}
_GROUP_NAMES = {"office": "office__short_name", "service": "service__name"}
_WAITED = Q(checked_in_at__isnull=False, called_at__isnull=False)
_SERVED = Q(called_at__isnull=False, finished_at__isnull=False)


def visit_figures(first, last, office_ids=None, group_by=("office", "service", "date")):
    """Counter figures for bookings dated ``first``..``last`` (inclusive), grouped by any of office,
    service and date. Definitions (also on the staff page):

    - dipesan (booked): bookings confirmed for the day and not cancelled (terjadwal, hadir,
      dilayani, selesai, tidak hadir);
    - hadir (attended): those checked in at the counter;
    - tidak hadir (no-show): not checked in by the end of the slot plus the grace time;
    - tingkat tidak hadir (no-show rate): tidak hadir / (hadir + tidak hadir), decided bookings only;
    - waktu tunggu (waiting time): median minutes from check-in to the call ("dilayani");
    - waktu layanan (service time): median minutes from the call to "selesai".

    Counted by the database in one grouped query (a year of a city's counters is ~100k bookings:
    reading them row by row took over a second); on PostgreSQL the medians too
    (``percentile_cont``), elsewhere (SQLite for ``make run``) from the timed rows in Python.
    """
    rows = Booking.objects.filter(date__range=(first, last), status__in=COUNTED_STATES)
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    keys = [_GROUP_FIELDS[part] for part in group_by]
    names = [_GROUP_NAMES[part] for part in group_by if part in _GROUP_NAMES]
    counts = {"booked": Count("pk"), "attended": Count("pk", filter=Q(checked_in_at__isnull=False)),
              "no_show": Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
              "assisted": Count("pk", filter=Q(channel=BookingChannel.ASSISTED))}
    in_database = connections[rows.db].vendor == "postgresql"
    if in_database:
        counts["wait"] = _Median(F("called_at") - F("checked_in_at"), filter=_WAITED, output_field=DurationField())
        counts["service"] = _Median(F("finished_at") - F("called_at"), filter=_SERVED, output_field=DurationField())
    else:
        medians = _medians_in_python(rows, keys)
    result = []
    for row in rows.order_by().values(*keys, *names).annotate(**counts):
        key = tuple(row[field] for field in keys)
        wait, service = (row["wait"], row["service"]) if in_database else medians.get(key, (None, None))
        decided = row["attended"] + row["no_show"]
        result.append({
            **{part: row[_GROUP_NAMES.get(part, "date")] for part in group_by}, "key": key,
            "booked": row["booked"], "attended": row["attended"], "no_show": row["no_show"], "assisted": row["assisted"],
            "no_show_rate": round(100 * row["no_show"] / decided, 1) if decided else None,
            "wait_minutes": round(_minutes(wait), 1) if wait is not None else None,
            "service_minutes": round(_minutes(service), 1) if service is not None else None,
        })
    result.sort(key=lambda r: tuple(str(r[p]) for p in group_by))
    return result


def _medians_in_python(rows, keys):
    """{group key: (median wait, median service time)} as timedeltas, from the timed rows only."""
    waits, services = defaultdict(list), defaultdict(list)
    for row in rows.filter(_WAITED | _SERVED).values(*keys, "checked_in_at", "called_at", "finished_at").iterator():
        key = tuple(row[field] for field in keys)
        if row["checked_in_at"] and row["called_at"]:
            waits[key].append(row["called_at"] - row["checked_in_at"])
        if row["called_at"] and row["finished_at"]:
            services[key].append(row["finished_at"] - row["called_at"])

    def median(values):
        return statistics.median(sorted(values)) if values else None

    return {key: (median(waits[key]), median(services[key])) for key in set(waits) | set(services)}


PUBLIC_DAYS = 30
SMALL_CELL = 5


def public_visit_summary(now=None):
    """For /transparansi/: per office, the counter figures of the last ``PUBLIC_DAYS`` days up to
    yesterday (WITA). Aggregates only; counts under 5 read "< 5", and the no-show rate and median
    waiting time are shown only when they rest on at least 5 bookings (else None)."""
    today = local_today(now)
    first, last = today - dt.timedelta(days=PUBLIC_DAYS), today - dt.timedelta(days=1)
    rows = []
    for row in visit_figures(first, last, group_by=("office",)):
        decided = row["attended"] + row["no_show"]
        rows.append({
            "office": row["office"],
            "booked": row["booked"] if row["booked"] >= SMALL_CELL else "< 5",
            "attended": row["attended"] if row["attended"] >= SMALL_CELL else "< 5",
            "no_show_rate": row["no_show_rate"] if decided >= SMALL_CELL else None,
            "wait_minutes": row["wait_minutes"] if row["attended"] >= SMALL_CELL else None,
        })
    return {"first": first, "last": last, "rows": rows}
