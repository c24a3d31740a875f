"""Reads of the antrean app: open days, free places, next free slot, bookings a user may see,
and the figures (booked, attended, no-show rate, waiting and service time)."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kupang_portal.organization import calendar

from .constants import ACTIVE_STATES, COUNTED_STATES, BookingChannel, BookingStatus, VisitStep
from .models import Booking, BookingRestriction, ClosedDay, CounterSchedule, Slot, VisitDaily, VisitRequirement
from .rollups import add_times, empty_bucket

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


def restrictions_for_staff(user, rows):
    """The booking restrictions of ``rows`` a staff member may see: those of residents who booked at
    one of their offices (the counters that know them); city-wide users see all."""
    office_ids = staff_office_ids(user)
    if office_ids is None or user.is_city_wide:
        return rows
    booked_here = Booking.objects.filter(person_id=OuterRef("person_id"), office_id__in=office_ids)
    return rows.filter(Exists(booked_here))


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
_GROUP_FIELDS = {"office": "office_id", "service": "service_id", "date": "date"}
_NAMES = {"office": "office__short_name", "service": "service__name"}


def visit_figures(first, last, office_ids=None, group_by=("office", "service", "date"), now=None):
    """Counter figures for bookings dated ``first``..``last`` (inclusive), grouped by any of office,
    service and date. Definitions (also on the staff page):

    - dipesan (booked): bookings confirmed for the day and not cancelled (terjadwal, hadir,
      dilayani, selesai, tidak hadir);
    - hadir (attended): those checked in at the counter;
    - tidak hadir (no-show): not checked in by the end of the slot plus the grace time;
    - tingkat tidak hadir (no-show rate): tidak hadir / (hadir + tidak hadir), decided bookings only;
    - waktu tunggu (waiting time): median minutes from check-in to the call ("dilayani");
    - waktu layanan (service time): median minutes from the call to "selesai";
      each time counted to the tenth of a minute, the median of an even count is the mean of
      the middle two.

    Days before today come from the daily rollup (``VisitDaily``: one row per office, service
    and day, so a year costs the same few hundred rows however many bookings it had); today and
    the days ahead from the bookings (counted by the database; only today's timed rows read).
    """
    today = local_today(now)
    groups, names = defaultdict(empty_bucket), {}

    def key_of(row, date_field):
        return tuple(row[date_field if part == "date" else _GROUP_FIELDS[part]] for part in group_by)

    def remember(key, row, date_field):
        names[key] = {"office": row["office__short_name"], "service": row["service__name"], "date": row.get(date_field)}

    past_last = min(last, today - dt.timedelta(days=1))
    if first <= past_last:
        rows = VisitDaily.objects.filter(day__range=(first, past_last))
        if office_ids is not None:
            rows = rows.filter(office_id__in=office_ids)
        for row in rows.values("office_id", "service_id", "day", *_NAMES.values(), "booked", "attended", "no_show",
                               "assisted", "wait_hist", "service_hist").iterator():
            key = key_of(row, "day")
            remember(key, row, "day")
            _merge(groups[key], row)
    live_first = max(first, today)
    if live_first <= last:
        bookings = Booking.objects.filter(date__range=(live_first, last), status__in=COUNTED_STATES)
        if office_ids is not None:
            bookings = bookings.filter(office_id__in=office_ids)
        fields = [_GROUP_FIELDS[part] for part in group_by]
        for row in (bookings.order_by().values(*fields, *_NAMES.values())
                    .annotate(booked=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
                              no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
                              assisted=Count("pk", filter=Q(channel=BookingChannel.ASSISTED)))):
            key = key_of(row, "date")
            remember(key, row, "date")
            _merge(groups[key], {**row, "wait_hist": {}, "service_hist": {}})
        timed = bookings.filter(called_at__isnull=False)  # only today's and earlier calls have times
        for row in timed.values(*fields, "checked_in_at", "called_at", "finished_at").iterator():
            add_times(groups[key_of(row, "date")], row)
    result = []
    for key, g in groups.items():
        decided = g["attended"] + g["no_show"]
        result.append({
            **{part: names[key][part] for part in group_by}, "key": key,
            "booked": g["booked"], "attended": g["attended"], "no_show": g["no_show"], "assisted": g["assisted"],
            "no_show_rate": round(100 * g["no_show"] / decided, 1) if decided else None,
            "wait_minutes": hist_median_minutes(g["wait_hist"]),
            "service_minutes": hist_median_minutes(g["service_hist"]),
        })
    result.sort(key=lambda r: tuple(str(r[p]) for p in group_by))
    return result


def _merge(bucket, row):
    for name in ("booked", "attended", "no_show", "assisted"):
        bucket[name] += row[name]
    for name in ("wait_hist", "service_hist"):
        hist = bucket[name]
        for value, count in row[name].items():
            hist[value] = hist.get(value, 0) + count


def hist_median_minutes(hist):
    """The median of a {tenths of a minute: count} histogram in minutes (one decimal): the middle
    value, or the mean of the middle two for an even count. None when empty."""
    total = sum(hist.values())
    if not total:
        return None
    ranks = sorted({(total - 1) // 2, total // 2})  # 0-based ranks of the middle value(s)
    middle, seen = [], 0
    for value in sorted(hist, key=int):
        after = seen + hist[value]
        middle += [int(value) for rank in ranks if seen <= rank < after]
        seen = after
        if len(middle) == len(ranks):
            break
    return round(sum(middle) / len(middle) / 10, 1)


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
