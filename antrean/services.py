"""Writes of the antrean app: holds, bookings, changes, counter check-in, no-shows, closures,
reminders. Views, admin actions and Celery tasks call only these functions.

Capacity rule: a place is taken by ``take_place``, one conditional UPDATE
(``booked = booked + 1 WHERE booked < limit``) that the database serialises per slot row, inside
the transaction that creates the booking. Whatever the number of concurrent bookers, ``booked``
never exceeds the limit (and a CHECK constraint backs it up).
"""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F, PositiveSmallIntegerField, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kupang_portal.notifications.models import Channel
from kupang_portal.notifications.services import notify, notify_address
from kupang_portal.organization import calendar

from . import app_settings, selectors
from .constants import ACTIVE_STATES, BookingChannel, BookingStatus
from .models import Booking, BookingRestriction, ClosedDay, Slot

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class BookingError(Exception):
    """A refusal with a message for the person (and, when the slot is full, the next free one)."""

    def __init__(self, message, next_free=None):
        super().__init__(message)
        self.message = message
        self.next_free = next_free


class SlotFull(BookingError):
    pass


def _local_now(now=None):
    return timezone.localtime(now or timezone.now(), calendar.local_tz())


def _fmt_day(day):
    return formats.date_format(day, "l, j F Y")


def new_code():
    return "ANT-" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))


# --- Places ---------------------------------------------------------------------------------------
def ensure_slot(schedule, day, start, now=None):
    """The Slot row of (schedule, day, start), created on first use; None if no such slot exists
    or it is already over."""
    local = _local_now(now)
    for slot_start, slot_end in selectors.slot_times(schedule, day):
        if slot_start == start and not (day == local.date() and slot_end <= local.time()):
            slot, _created = Slot.objects.get_or_create(
                schedule=schedule, date=day, start=start,
                defaults={"end": slot_end, "capacity": schedule.capacity_per_slot,
                          "reserved": schedule.reserved_per_slot},
            )
            return slot
    return None


def take_place(slot_id, assisted=False):
    """Take one place in the slot if there is room; True when taken. Online bookings may not use
    the share kept for walk-ins and assisted bookings."""
    limit = F("capacity") if assisted else F("capacity") - F("reserved")
    return Slot.objects.filter(pk=slot_id, booked__lt=limit).update(booked=F("booked") + 1) == 1


def release_place(slot_id):
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def apply_capacity(schedule, now=None):
    """Carry the schedule's capacity and walk-in share over to its slots of today and later (a
    Slot keeps the figures it was created with, so an edit would otherwise reach only days nobody
    has booked yet). Places already taken stay valid: a slot never drops below its bookings, it
    only takes no more. Returns (slots updated, slots now holding more bookings than the new
    capacity)."""
    capacity = schedule.capacity_per_slot
    with transaction.atomic():
        future = Slot.objects.filter(schedule=schedule, date__gte=selectors.local_today(now))
        over = future.filter(booked__gt=capacity).count()
        updated = future.update(
            capacity=Greatest(Value(capacity), F("booked"), output_field=PositiveSmallIntegerField()),
            reserved=schedule.reserved_per_slot,
        )
    return updated, over


def release_expired_holds(now=None, limit=500):
    """Holds whose time ran out give their place back. Returns how many."""
    now = now or timezone.now()
    released = 0
    with transaction.atomic():
        rows = list(
            Booking.objects.select_for_update(skip_locked=True)
            .filter(status=BookingStatus.HELD, held_until__lt=now).order_by("held_until")[:limit]
        )
        for booking in rows:
            Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.EXPIRED)
            release_place(booking.slot_id)
            released += 1
    return released


# --- Booking --------------------------------------------------------------------------------------
def _check_bookable(schedule, day, *, assisted, now):
    if not schedule.is_active:
        raise BookingError(_("Loket ini sedang tidak menerima pemesanan."))
    today = _local_now(now).date()
    first = today if assisted else today + dt.timedelta(days=schedule.min_days_ahead)
    last = today + dt.timedelta(days=schedule.horizon_days)
    if day < first or day > last:
        raise BookingError(_("Tanggal %(day)s di luar masa pemesanan (%(first)s sampai %(last)s).") % {
            "day": _fmt_day(day), "first": _fmt_day(first), "last": _fmt_day(last)})
    closed = selectors.closed_reason(schedule, day)
    if closed:
        raise BookingError(_("Loket tutup pada %(day)s: %(reason)s.") % {"day": _fmt_day(day), "reason": closed},
                           next_free=selectors.next_free_slot(schedule, day, assisted=assisted, now=now))


def _check_person(person, service, day, now):
    restriction = selectors.active_restriction(person, now)
    if restriction is not None:
        raise BookingError(selectors.restriction_message(restriction))
    if Booking.objects.filter(person=person, service=service, date=day, status__in=ACTIVE_STATES).exists():
        raise BookingError(_("Anda sudah memiliki antrean aktif untuk layanan ini pada %(day)s.") % {"day": _fmt_day(day)})


def hold(schedule, day, start, person, *, application=None, now=None):
    """Hold one online place for ``person`` for a few minutes (status HELD). Raises BookingError
    (SlotFull with the next free slot when there is no room)."""
    now = now or timezone.now()
    _check_bookable(schedule, day, assisted=False, now=now)
    _check_person(person, schedule.service, day, now)
    with transaction.atomic():
        return _create(schedule, day, start, now=now, assisted=False, person=person, application=application,
                       visitor_name=person.display_name, visitor_phone=person.phone or "",
                       status=BookingStatus.HELD, held_until=now + dt.timedelta(minutes=app_settings.hold_minutes()))


def _create(schedule, day, start, *, now, assisted, **fields):
    slot = ensure_slot(schedule, day, start, now)
    if slot is None:
        raise BookingError(_("Jam %(start)s tidak tersedia pada %(day)s.") % {"start": start.strftime("%H:%M"), "day": _fmt_day(day)})
    if not take_place(slot.pk, assisted=assisted):
        release_expired_holds(now)  # a forgotten hold may be what keeps the slot full
        if not take_place(slot.pk, assisted=assisted):
            raise SlotFull(
                _("Maaf, slot %(day)s pukul %(start)s sudah penuh.") % {"day": _fmt_day(day), "start": start.strftime("%H:%M")},
                next_free=selectors.next_free_slot(schedule, day, after=start, assisted=assisted, now=now),
            )
    try:
        with transaction.atomic():
            return Booking.objects.create(
                code=new_code(), schedule=schedule, slot=slot, service=schedule.service, office=schedule.office,
                date=day, channel=BookingChannel.ASSISTED if assisted else BookingChannel.ONLINE, **fields,
            )
    except IntegrityError:
        release_place(slot.pk)
        raise BookingError(_("Sudah ada antrean aktif untuk layanan ini pada %(day)s.") % {"day": _fmt_day(day)}) from None


def confirm(booking, person, *, visitor_phone=None, now=None):
    """Turn the person's hold into a booking and send the ticket. Idempotent for a booked one."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("slot", "schedule").get(pk=booking.pk)
        if booking.status == BookingStatus.BOOKED:
            return booking
        if booking.status == BookingStatus.EXPIRED:
            # The sweep gave the place back: take it again if there is still room.
            if not take_place(booking.slot_id):
                raise SlotFull(_("Waktu penahanan habis dan slot ini sudah penuh."),
                               next_free=selectors.next_free_slot(booking.schedule, booking.date, after=booking.slot.start, now=now))
        elif booking.status != BookingStatus.HELD:
            raise BookingError(_("Antrean ini tidak dapat dipastikan lagi."))
        if visitor_phone is not None:
            booking.visitor_phone = visitor_phone
        booking.status = BookingStatus.BOOKED
        booking.held_until = None
        booking.confirmed_at = now
        try:
            with transaction.atomic():
                booking.save(update_fields=["status", "held_until", "confirmed_at", "visitor_phone"])
        except IntegrityError:
            raise BookingError(_("Anda sudah memiliki antrean aktif untuk layanan ini pada hari itu.")) from None
        send_ticket(booking)
    return booking


def book_assisted(schedule, day, start, clerk, *, visitor_name, visitor_phone="", application=None, now=None):
    """A clerk books on behalf of a resident (at the counter or a kelurahan office): may use the
    walk-in share and today's slots; recorded with channel ASSISTED and the clerk's name."""
    now = now or timezone.now()
    _check_bookable(schedule, day, assisted=True, now=now)
    person = application.applicant if application is not None else None
    if person is not None:
        _check_person(person, schedule.service, day, now)
    with transaction.atomic():
        booking = _create(schedule, day, start, now=now, assisted=True, person=person, application=application,
                          visitor_name=visitor_name, visitor_phone=visitor_phone, booked_by=clerk,
                          status=BookingStatus.BOOKED, confirmed_at=now)
        send_ticket(booking)
    return booking


def _context(booking):
    visit = booking.schedule.visit
    return {
        "service": booking.service.name, "purpose": visit.label if visit else _("kunjungan loket"),
        "office": booking.office.short_name or booking.office.name, "date": _fmt_day(booking.date),
        "window": f"{booking.slot.start:%H:%M}–{booking.slot.end:%H:%M}", "address": booking.schedule.address or "-",
    }


def _send(booking, event, *, link=None, dedupe_key=None, extra=None):
    link = link or reverse("antrean:ticket", args=[booking.code])
    context = {**_context(booking), **(extra or {})}
    if booking.person_id:
        return notify(event, [booking.person], context, link=link, case_number=booking.code, dedupe_key=dedupe_key)
    if booking.visitor_phone:
        # An assisted booking for somebody without an account: SMS to the number given at the counter.
        return [notify_address(event, Channel.SMS, booking.visitor_phone, context, link=link, case_number=booking.code,
                               dedupe_key=f"{dedupe_key}:sms" if dedupe_key else None)]
    return []


def send_ticket(booking):
    return _send(booking, "booking_confirmed")


# --- Changes by the resident ----------------------------------------------------------------------
def change_deadline(booking):
    """The last moment to change or cancel: the day before the visit at the cut-off time (WITA)."""
    return dt.datetime.combine(booking.date - dt.timedelta(days=1), app_settings.change_cutoff(), tzinfo=calendar.local_tz())


def can_change(booking, now=None):
    return booking.status in (BookingStatus.BOOKED, BookingStatus.HELD) and (now or timezone.now()) < change_deadline(booking)


def _check_change(booking, now):
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.HELD):
        raise BookingError(_("Antrean ini sudah tidak dapat diubah atau dibatalkan."))
    if now >= change_deadline(booking):
        deadline = timezone.localtime(change_deadline(booking), calendar.local_tz())
        raise BookingError(_("Batas perubahan sudah lewat (%(deadline)s WITA). Hubungi loket bila berhalangan.") % {
            "deadline": formats.date_format(deadline, "j F Y H:i")})


def cancel(booking, person, *, now=None, reason=""):
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        _check_change(booking, now)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = reason[:200]
        booking.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        release_place(booking.slot_id)
    return booking


def reschedule(booking, person, day, start, *, now=None):
    """Move a booking to another slot (same code and ticket); the old place returns to the quota.
    Nothing changes when the new slot is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).select_related("schedule").get(pk=booking.pk)
        _check_change(booking, now)
        schedule = booking.schedule
        _check_bookable(schedule, day, assisted=False, now=now)
        if Booking.objects.filter(person=person, service=booking.service, date=day, status__in=ACTIVE_STATES).exclude(pk=booking.pk).exists():
            raise BookingError(_("Anda sudah memiliki antrean aktif untuk layanan ini pada %(day)s.") % {"day": _fmt_day(day)})
        slot = ensure_slot(schedule, day, start, now)
        if slot is None:
            raise BookingError(_("Jam %(start)s tidak tersedia pada %(day)s.") % {"start": start.strftime("%H:%M"), "day": _fmt_day(day)})
        if slot.pk == booking.slot_id:
            return booking
        if not take_place(slot.pk):
            raise SlotFull(_("Maaf, slot %(day)s pukul %(start)s sudah penuh.") % {"day": _fmt_day(day), "start": start.strftime("%H:%M")},
                           next_free=selectors.next_free_slot(schedule, day, after=start, now=now))
        release_place(booking.slot_id)
        booking.slot, booking.date = slot, day
        booking.save(update_fields=["slot", "date"])
        if booking.status == BookingStatus.BOOKED:
            send_ticket(booking)
    return booking


# --- Counter --------------------------------------------------------------------------------------
def _step(booking, clerk, from_status, to_status, stamp, now, wrong_message):
    fields = {"status": to_status, stamp: now}
    if to_status == BookingStatus.SERVING:
        fields["served_by"] = clerk
    if Booking.objects.filter(pk=booking.pk, status=from_status).update(**fields) != 1:
        booking.refresh_from_db()
        raise BookingError(wrong_message % {"status": booking.get_status_display()})
    booking.refresh_from_db()
    return booking


def check_in(booking, clerk, now=None):
    now = now or timezone.now()
    today = _local_now(now).date()
    if booking.date != today:
        raise BookingError(_("Antrean ini untuk %(day)s, bukan hari ini.") % {"day": _fmt_day(booking.date)})
    return _step(booking, clerk, BookingStatus.BOOKED, BookingStatus.CHECKED_IN, "checked_in_at", now,
                 _("Tidak dapat check-in: status antrean %(status)s."))


def start_service(booking, clerk, now=None):
    return _step(booking, clerk, BookingStatus.CHECKED_IN, BookingStatus.SERVING, "called_at", now or timezone.now(),
                 _("Belum dapat dilayani: status antrean %(status)s."))


def finish_service(booking, clerk, now=None):
    return _step(booking, clerk, BookingStatus.SERVING, BookingStatus.DONE, "finished_at", now or timezone.now(),
                 _("Belum dapat diselesaikan: status antrean %(status)s."))


# --- No-shows and the temporary limit -------------------------------------------------------------
def mark_no_shows(now=None):
    """Bookings not checked in by the end of their slot plus the grace time become no-shows; a
    person who reaches the configured count gets a temporary booking limit. Returns the count."""
    now = now or timezone.now()
    local = _local_now(now)
    marked = 0
    candidates = Booking.objects.filter(status=BookingStatus.BOOKED, date__lte=local.date()).select_related("slot", "schedule")
    for booking in candidates.iterator():
        end = dt.datetime.combine(booking.date, booking.slot.end, tzinfo=calendar.local_tz())
        if now < end + dt.timedelta(minutes=booking.schedule.grace_minutes):
            continue
        with transaction.atomic():
            if Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED).update(status=BookingStatus.NO_SHOW, no_show_at=now):
                marked += 1
                if booking.person_id:
                    apply_restriction(booking.person, now)
    return marked


def apply_restriction(person, now=None):
    """Limit online booking for a while after ``ANTREAN_NO_SHOW_LIMIT`` no-shows within the window.
    No-shows before an officer lifted a limit do not count again. Returns the new restriction."""
    now = now or timezone.now()
    limit = app_settings.no_show_limit()
    if limit <= 0 or selectors.active_restriction(person, now) is not None:
        return None
    since = _local_now(now).date() - dt.timedelta(days=app_settings.no_show_window_days())
    last_lift = BookingRestriction.objects.filter(person=person, lifted_at__isnull=False).order_by("-lifted_at").first()
    no_shows = Booking.objects.filter(person=person, status=BookingStatus.NO_SHOW, date__gte=since)
    if last_lift is not None:
        no_shows = no_shows.filter(no_show_at__gt=last_lift.lifted_at)
    count = no_shows.count()
    if count < limit:
        return None
    until = now + dt.timedelta(days=app_settings.restriction_days())
    codes = ", ".join(no_shows.order_by("date").values_list("code", flat=True)[:5])
    reason = _("%(count)s kali tidak hadir tanpa membatalkan (%(codes)s)") % {"count": count, "codes": codes}
    restriction = BookingRestriction.objects.create(person=person, reason=reason[:255], until=until)
    notify("booking_restricted", [person], {
        "until": formats.date_format(_local_now(until), "j F Y"), "reason": reason,
    }, link=reverse("antrean:my_bookings"), dedupe_key=f"antrean-restricted:{restriction.pk}")
    return restriction


def lift_restriction(restriction, officer, note="", now=None):
    """Officer override: the person may book again at once."""
    updated = BookingRestriction.objects.filter(pk=restriction.pk, lifted_at__isnull=True).update(
        lifted_at=now or timezone.now(), lifted_by=officer, lift_note=note[:255])
    return bool(updated)


# --- Closing a day --------------------------------------------------------------------------------
def bookings_on(office, day, schedule=None):
    """Active bookings on ``day`` at ``office`` (every office when None), or of one schedule."""
    rows = Booking.objects.filter(date=day, status__in=ACTIVE_STATES)
    if office is not None:
        rows = rows.filter(office=office)
    if schedule is not None:
        rows = rows.filter(schedule=schedule)
    return rows


def close_day(office, day, reason, actor=None, *, schedule=None, record=True):
    """Close ``office``'s counters (or one schedule) on ``day``: every active booking is cancelled
    and its holder notified with a link to book again. Returns the number of bookings cancelled."""
    with transaction.atomic():
        if record:
            ClosedDay.objects.create(office=office, schedule=schedule, date=day, reason=reason[:200], created_by=actor)
        return cancel_for_closure(bookings_on(office, day, schedule), reason)


def cancel_for_closure(bookings, reason):
    now = timezone.now()
    cancelled = 0
    for booking in bookings.select_related("slot", "schedule__visit", "service", "office", "person"):
        if Booking.objects.filter(pk=booking.pk, status__in=ACTIVE_STATES).update(
                status=BookingStatus.OFFICE_CLOSED, cancelled_at=now, cancel_reason=reason[:200]):
            release_place(booking.slot_id)
            cancelled += 1
            _send(booking, "booking_day_closed", link=reverse("antrean:book", args=[booking.schedule_id]),
                  extra={"reason": reason}, dedupe_key=f"antrean-closed:{booking.pk}")
    return cancelled


def close_for_holiday(holiday):
    """A holiday or cuti bersama added to the calendar closes every counter that day."""
    return cancel_for_closure(bookings_on(None, holiday.date), holiday.name)


# --- Reminders ------------------------------------------------------------------------------------
def send_reminders(which, now=None):
    """``which`` = "today" (morning of the visit) or "next" (the working day before). Nothing on a
    day that is not a working day; idempotent through the outbox's dedupe keys. Returns the count
    of bookings reminded (including ones already reminded by an earlier run)."""
    now = now or timezone.now()
    today = _local_now(now).date()
    if not calendar.is_working_day(today):
        return 0
    if which == "today":
        target, event = today, "booking_reminder_today"
    elif which == "next":
        target, event = calendar.add_working_days(today, 1), "booking_reminder_day_before"
    else:
        raise ValueError(which)
    count = 0
    rows = Booking.objects.filter(date=target, status=BookingStatus.BOOKED).select_related(
        "slot", "schedule__visit", "service", "office", "person")
    for booking in rows.iterator():
        with transaction.atomic():
            _send(booking, event, dedupe_key=f"antrean-{which}:{booking.pk}:{booking.date:%Y%m%d}")
        count += 1
    return count
