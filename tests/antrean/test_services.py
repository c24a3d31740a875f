"""Booking rules: capacity and walk-in share, one active booking, closures, holds, cut-off,
no-shows and the temporary limit, closing a day, reminders, the QR token, the ticket PDF."""

import datetime as dt

import pytest
from django.utils import timezone

from antrean import selectors, services, tickets, tokens
from antrean.admin import ClosedDayForm
from antrean.constants import BookingStatus
from antrean.models import Booking, BookingRestriction, Slot
from kupang_portal.notifications.models import Notification
from kupang_portal.organization import calendar
from kupang_portal.organization.models import Holiday, Office
from tests import factories

from .conftest import book, wita

pytestmark = pytest.mark.django_db
T8 = dt.time(8, 0)
T830 = dt.time(8, 30)


def test_online_bookers_cannot_take_the_walk_in_share_but_a_clerk_can(schedule, monday, clerk):
    # capacity 4, 25 % kept for walk-ins and assisted bookings -> 3 online places per slot
    assert (schedule.reserved_per_slot, schedule.online_per_slot) == (1, 3)
    people = [factories.resident() for _ in range(4)]
    for person in people[:3]:
        book(schedule, person, monday)
    with pytest.raises(services.SlotFull) as refused:
        services.hold(schedule, monday, T8, people[3])
    assert "penuh" in refused.value.message
    assert refused.value.next_free["date"] == monday and refused.value.next_free["start"] == T830
    assisted = services.book_assisted(schedule, monday, T8, clerk, visitor_name="Orpa Nenobais")
    assert assisted.channel == "assisted" and assisted.booked_by == clerk and assisted.status == BookingStatus.BOOKED
    with pytest.raises(services.SlotFull):
        services.book_assisted(schedule, monday, T8, clerk, visitor_name="Satu lagi")
    assert Slot.objects.get(schedule=schedule, date=monday, start=T8).booked == 4


def test_full_day_offers_the_next_day_with_room(schedule, monday):
    for start in ("08:00", "08:30"):
        for _ in range(3):
            book(schedule, factories.resident(), monday, start)
    with pytest.raises(services.SlotFull) as refused:
        services.hold(schedule, monday, T830, factories.resident())
    assert refused.value.next_free["date"] == monday + dt.timedelta(days=1)
    assert refused.value.next_free["start"] == T8
    day = [d for d in selectors.days_overview(schedule) if d["date"] == monday][0]
    assert day["free"] == 0 and day["closed"] == ""


def test_one_active_booking_per_person_service_and_day(schedule, monday, resident):
    first = book(schedule, resident, monday)
    with pytest.raises(services.BookingError) as refused:
        services.hold(schedule, monday, T830, resident)
    assert "sudah memiliki antrean aktif" in refused.value.message
    services.cancel(first, resident)
    assert book(schedule, resident, monday, "08:30").status == BookingStatus.BOOKED
    # another day is fine
    assert book(schedule, resident, monday + dt.timedelta(days=1)).status == BookingStatus.BOOKED


def test_weekend_holiday_cuti_bersama_and_office_closure_close_the_day(schedule, monday, resident):
    saturday = monday - dt.timedelta(days=2)
    schedule.windows.create(weekday=5, start=T8, end=dt.time(9, 0))  # even with a Saturday window
    with pytest.raises(services.BookingError) as refused:
        services.hold(schedule, saturday, T8, resident)
    assert "akhir pekan" in refused.value.message
    Holiday.objects.create(date=monday, name="Hari Uji", kind=Holiday.Kind.NATIONAL)
    Holiday.objects.create(date=monday + dt.timedelta(days=1), name="Cuti Bersama Uji", kind=Holiday.Kind.COLLECTIVE_LEAVE)
    calendar.clear_holiday_cache()
    with pytest.raises(services.BookingError) as refused:
        services.hold(schedule, monday, T8, resident)
    assert "Hari Uji" in refused.value.message
    assert refused.value.next_free["date"] == monday + dt.timedelta(days=2)
    with pytest.raises(services.BookingError) as refused:
        services.hold(schedule, monday + dt.timedelta(days=1), T8, resident)
    assert "Cuti Bersama Uji" in refused.value.message
    services.close_day(schedule.office, monday + dt.timedelta(days=2), "Pemadaman listrik")
    with pytest.raises(services.BookingError) as refused:
        services.hold(schedule, monday + dt.timedelta(days=2), T8, resident)
    assert "Pemadaman listrik" in refused.value.message
    closed = {d["date"]: d["closed"] for d in selectors.days_overview(schedule)}
    assert closed[monday] == "Hari Uji" and closed[saturday] == "akhir pekan"
    assert closed[monday + dt.timedelta(days=3)] == ""


def test_booking_window_opens_tomorrow_and_ends_at_the_horizon(schedule, resident):
    today = timezone.localdate()
    with pytest.raises(services.BookingError) as refused:
        services.hold(schedule, today, T8, resident)
    assert "di luar masa pemesanan" in refused.value.message
    with pytest.raises(services.BookingError):
        services.hold(schedule, today + dt.timedelta(days=61), T8, resident)


def test_an_expired_hold_returns_its_place(schedule, monday, resident, settings):
    settings.ANTREAN_HOLD_MINUTES = 5
    t0 = timezone.now()
    held = services.hold(schedule, monday, T8, resident, now=t0)
    slot = Slot.objects.get(pk=held.slot_id)
    assert held.status == BookingStatus.HELD and slot.booked == 1
    assert held.held_until == t0 + dt.timedelta(minutes=5)
    assert services.release_expired_holds(now=t0 + dt.timedelta(minutes=4)) == 0
    assert services.release_expired_holds(now=t0 + dt.timedelta(minutes=6)) == 1
    held.refresh_from_db()
    slot.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED and slot.booked == 0
    # confirming late takes the place again when there is still room
    confirmed = services.confirm(held, resident)
    slot.refresh_from_db()
    assert confirmed.status == BookingStatus.BOOKED and slot.booked == 1


def test_a_full_slot_refuses_a_late_confirmation(schedule, monday, resident):
    t0 = timezone.now()
    held = services.hold(schedule, monday, T8, resident, now=t0)
    services.release_expired_holds(now=t0 + dt.timedelta(minutes=10))
    for _ in range(3):
        book(schedule, factories.resident(), monday)
    with pytest.raises(services.SlotFull) as refused:
        services.confirm(held, resident)
    assert refused.value.next_free["start"] == T830


def test_change_and_cancel_until_the_day_before_at_16_wita(schedule, monday, resident):
    booking = book(schedule, resident, monday)
    sunday = monday - dt.timedelta(days=1)
    assert services.change_deadline(booking) == wita(sunday, "16:00")
    assert services.change_deadline(booking).astimezone(dt.timezone.utc).hour == 8  # WITA is UTC+8
    with pytest.raises(services.BookingError) as refused:
        services.cancel(booking, resident, now=wita(sunday, "16:00"))
    assert "Batas perubahan sudah lewat" in refused.value.message
    with pytest.raises(services.BookingError):
        services.reschedule(booking, resident, monday, T830, now=wita(sunday, "16:01"))
    moved = services.reschedule(booking, resident, monday, T830, now=wita(sunday, "15:59"))
    assert moved.slot.start == T830 and moved.code == booking.code
    assert Slot.objects.get(schedule=schedule, date=monday, start=T8).booked == 0
    assert Slot.objects.get(schedule=schedule, date=monday, start=T830).booked == 1
    services.cancel(moved, resident, now=wita(sunday, "15:59"))
    assert Slot.objects.get(schedule=schedule, date=monday, start=T830).booked == 0


def test_a_refused_reschedule_keeps_the_old_booking(schedule, monday, resident):
    booking = book(schedule, resident, monday)
    for _ in range(3):
        book(schedule, factories.resident(), monday, "08:30")
    with pytest.raises(services.SlotFull):
        services.reschedule(booking, resident, monday, T830)
    booking.refresh_from_db()
    assert booking.slot.start == T8 and booking.status == BookingStatus.BOOKED
    assert Slot.objects.get(schedule=schedule, date=monday, start=T8).booked == 1


def test_counter_steps_and_times(schedule, monday, resident, clerk):
    booking = book(schedule, resident, monday)
    with pytest.raises(services.BookingError):
        services.check_in(booking, clerk, now=wita(monday - dt.timedelta(days=1), "08:00"))
    services.check_in(booking, clerk, now=wita(monday, "07:55"))
    with pytest.raises(services.BookingError):
        services.check_in(booking, clerk, now=wita(monday, "07:56"))  # twice: refused, not doubled
    services.start_service(booking, clerk, now=wita(monday, "08:10"))
    services.finish_service(booking, clerk, now=wita(monday, "08:25"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DONE and booking.served_by == clerk
    assert (booking.called_at - booking.checked_in_at) == dt.timedelta(minutes=15)


def test_no_show_after_the_grace_time_and_temporary_limit_with_override(schedule, monday, resident, clerk, settings):
    settings.ANTREAN_NO_SHOW_LIMIT = 2
    settings.ANTREAN_RESTRICTION_DAYS = 30
    first = book(schedule, resident, monday)  # 08:00-08:30, grace 15 minutes
    assert services.mark_no_shows(now=wita(monday, "08:44")) == 0
    assert services.mark_no_shows(now=wita(monday, "08:46")) == 1
    first.refresh_from_db()
    assert first.status == BookingStatus.NO_SHOW
    assert not BookingRestriction.objects.exists()
    tuesday = monday + dt.timedelta(days=1)
    second = book(schedule, resident, tuesday)
    now = wita(tuesday, "09:00")
    services.mark_no_shows(now=now)
    restriction = BookingRestriction.objects.get(person=resident)
    assert restriction.until == now + dt.timedelta(days=30)
    assert first.code in restriction.reason and second.code in restriction.reason
    with pytest.raises(services.BookingError) as refused:
        services.hold(schedule, monday + dt.timedelta(days=2), T8, resident, now=now)
    message = refused.value.message
    assert "dibatasi sampai" in message and "2 kali tidak hadir" in message
    assert timezone.localtime(restriction.until).strftime("%Y") in message
    assert Notification.objects.filter(recipient=resident, event="booking_restricted").exists()
    # an officer lifts it: booking works again and the old no-shows do not count twice
    assert services.lift_restriction(restriction, clerk, note="alasan keluarga", now=now + dt.timedelta(minutes=5))
    assert services.hold(schedule, monday + dt.timedelta(days=2), T8, resident).status == BookingStatus.HELD
    assert services.apply_restriction(resident, now=now + dt.timedelta(minutes=10)) is None


def test_closing_a_day_warns_the_admin_and_notifies_every_booked_resident(schedule, monday, resident, other_resident, clerk):
    a = book(schedule, resident, monday)
    b = book(schedule, other_resident, monday, "08:30")
    walk_in = services.book_assisted(schedule, monday, T8, clerk, visitor_name="Tanpa akun", visitor_phone="+6281234567999")
    form = ClosedDayForm(data={"office": schedule.office.pk, "date": monday.isoformat(), "reason": "Pemadaman listrik"})
    assert not form.is_valid()
    assert "sudah ada 3 antrean" in str(form.non_field_errors())
    form = ClosedDayForm(data={"office": schedule.office.pk, "date": monday.isoformat(), "reason": "Pemadaman listrik",
                               "confirm_cancel": "on"})
    assert form.is_valid()
    assert services.close_day(schedule.office, monday, "Pemadaman listrik", clerk) == 3
    for booking in (a, b, walk_in):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.OFFICE_CLOSED
    rows = Notification.objects.filter(event="booking_day_closed")
    assert {r.recipient_id for r in rows if r.recipient_id} == {resident.pk, other_resident.pk}
    inapp = rows.get(recipient=resident, channel="inapp")
    assert inapp.link.endswith(f"/antrean/pesan/{schedule.pk}/") and "Pemadaman listrik" in inapp.body
    assert rows.filter(recipient=None, channel="sms", address="+6281234567999").exists()
    assert Slot.objects.get(schedule=schedule, date=monday, start=T8).booked == 0


def test_adding_a_holiday_after_bookings_cancels_them_with_a_rebooking_link(schedule, monday, resident):
    booking = book(schedule, resident, monday)
    Holiday.objects.create(date=monday, name="Cuti Bersama Natal", kind=Holiday.Kind.COLLECTIVE_LEAVE)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.OFFICE_CLOSED
    note = Notification.objects.get(recipient=resident, event="booking_day_closed", channel="inapp")
    assert "Cuti Bersama Natal" in note.body and f"/antrean/pesan/{schedule.pk}/" in note.link


def test_reminders_the_working_day_before_and_the_morning_idempotent_none_on_holidays(schedule, monday, resident):
    booking = book(schedule, resident, monday)
    friday = monday - dt.timedelta(days=3)
    assert services.send_reminders("next", now=wita(friday, "16:05")) == 1
    assert services.send_reminders("next", now=wita(friday, "16:06")) == 1
    rows = Notification.objects.filter(event="booking_reminder_day_before", recipient=resident)
    assert rows.filter(channel="inapp").count() == 1
    assert services.send_reminders("next", now=wita(monday - dt.timedelta(days=1), "16:05")) == 0  # Sunday: nothing
    assert services.send_reminders("today", now=wita(monday, "06:00")) == 1
    services.send_reminders("today", now=wita(monday, "06:30"))
    assert Notification.objects.filter(event="booking_reminder_today", recipient=resident, channel="inapp").count() == 1
    # a holiday: no reminders at all
    Holiday.objects.create(date=friday, name="Libur Uji")
    calendar.clear_holiday_cache()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert services.send_reminders("next", now=wita(friday, "16:05")) == 0


def test_qr_token_is_signed_and_names_exactly_one_booking(schedule, monday, resident, other_resident, clerk, clerk_other_office):
    mine = book(schedule, resident, monday)
    theirs = book(schedule, other_resident, monday)
    token = tokens.make(mine)
    assert token.rsplit(":", 1)[0] == f"{mine.pk}.{mine.code}"  # nothing personal: id and code only
    assert tokens.read(token) == (mine.pk, mine.code)
    assert selectors.find_for_staff(clerk, token) == mine
    assert selectors.find_for_staff(clerk, f"https://x/antrean/loket/?t={token}") == mine
    forged = token.replace(f"{mine.pk}.{mine.code}", f"{theirs.pk}.{theirs.code}")
    assert tokens.read(forged) is None and selectors.find_for_staff(clerk, forged) is None
    signature = token.rsplit(":", 1)[1]
    assert tokens.read(f"{theirs.pk}.{mine.code}:{signature}") is None
    # a valid token whose code does not match the booking id finds nothing
    from django.core import signing

    mixed = signing.Signer(salt=tokens.SALT).sign(f"{theirs.pk}.{mine.code}")
    assert selectors.find_for_staff(clerk, mixed) is None
    # a clerk of another office cannot use it
    assert selectors.find_for_staff(clerk_other_office, token) is None
    assert selectors.find_for_staff(clerk_other_office, mine.code) is None


def test_ticket_pdf_and_notification(schedule, monday, resident):
    booking = book(schedule, resident, monday)
    pdf = tickets.render_ticket(booking)
    assert pdf.startswith(b"%PDF") and booking.code.encode() in pdf
    assert b"Kartu Keluarga" in pdf  # a required document of the service
    note = Notification.objects.get(recipient=resident, event="booking_confirmed", channel="inapp")
    assert booking.code in note.subject and "08:00" in note.body and note.link.endswith(f"/antrean/tiket/{booking.code}/")


def test_figures_by_hand(schedule, monday, clerk):
    tuesday = monday + dt.timedelta(days=1)
    people = [factories.resident() for _ in range(4)]
    served = [book(schedule, people[i], monday, "08:00") for i in range(2)]
    missing = book(schedule, people[2], monday, "08:30")
    book(schedule, people[3], tuesday)
    cancelled = book(schedule, factories.resident(), monday, "08:30")
    services.cancel(cancelled, cancelled.person)
    # waits 10 and 20 minutes (median 15), service 5 and 15 minutes (median 10)
    for booking, wait, length in ((served[0], 10, 5), (served[1], 20, 15)):
        services.check_in(booking, clerk, now=wita(monday, "08:00"))
        services.start_service(booking, clerk, now=wita(monday, "08:00") + dt.timedelta(minutes=wait))
        services.finish_service(booking, clerk, now=wita(monday, "08:00") + dt.timedelta(minutes=wait + length))
    services.mark_no_shows(now=wita(monday, "10:00"))
    missing.refresh_from_db()
    assert missing.status == BookingStatus.NO_SHOW
    rows = {r["date"]: r for r in selectors.visit_figures(monday, tuesday)}
    assert rows[monday]["booked"] == 3 and rows[monday]["attended"] == 2 and rows[monday]["no_show"] == 1
    assert rows[monday]["no_show_rate"] == pytest.approx(33.3)
    assert rows[monday]["wait_minutes"] == 15.0 and rows[monday]["service_minutes"] == 10.0
    assert rows[tuesday]["booked"] == 1 and rows[tuesday]["no_show_rate"] is None
    office = selectors.visit_figures(monday, tuesday, group_by=("office",))
    assert len(office) == 1 and office[0]["booked"] == 4
    other = Office.objects.get(code="DPMPTSP")
    assert selectors.visit_figures(monday, tuesday, office_ids=[other.pk]) == []


def test_figures_of_days_not_rolled_up_are_counted_by_the_database(schedule, monday, clerk, django_assert_num_queries):
    """Today and the days ahead: the bookings counted by one grouped query, plus one over the
    timed (called) rows only; three waits (odd count: the middle one)."""
    for i, wait in enumerate((4, 30, 9)):
        booking = services.book_assisted(schedule, monday, T8, clerk, visitor_name=f"Warga {i}")
        services.check_in(booking, clerk, now=wita(monday, "08:00"))
        services.start_service(booking, clerk, now=wita(monday, "08:00") + dt.timedelta(minutes=wait))
    with django_assert_num_queries(2):
        (row,) = selectors.visit_figures(monday, monday, group_by=("office",))
    assert (row["booked"], row["attended"], row["assisted"], row["wait_minutes"], row["service_minutes"]) == (3, 3, 3, 9.0, None)


def test_admin_closing_a_day_warns_first_then_cancels_and_notifies(client, schedule, monday, resident):
    booking = book(schedule, resident, monday)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    data = {"office": schedule.office.pk, "date": monday.isoformat(), "reason": "Perbaikan jaringan"}
    response = client.post("/admin/antrean/closedday/add/", data)
    assert response.status_code == 200 and "sudah ada 1 antrean" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    response = client.post("/admin/antrean/closedday/add/", {**data, "confirm_cancel": "on"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.OFFICE_CLOSED
    assert Notification.objects.filter(recipient=resident, event="booking_day_closed", channel="inapp").count() == 1
    from antrean.models import ClosedDay

    assert ClosedDay.objects.get(date=monday).created_by.is_superuser


def test_the_beat_sweep_releases_holds_and_marks_no_shows(schedule, monday, resident, settings):
    from antrean import tasks

    settings.ANTREAN_HOLD_MINUTES = 0
    held = services.hold(schedule, monday, T8, resident, now=timezone.now() - dt.timedelta(minutes=1))
    result = tasks.periodic_sweep.delay().get()
    held.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED and result["released"] == 1
    assert Slot.objects.get(pk=held.slot_id).booked == 0


def test_booking_limit_setting_zero_never_limits(schedule, monday, resident, settings):
    settings.ANTREAN_NO_SHOW_LIMIT = 0
    for offset in range(3):
        book(schedule, resident, monday + dt.timedelta(days=offset))
    services.mark_no_shows(now=wita(monday + dt.timedelta(days=3), "12:00"))
    assert Booking.objects.filter(person=resident, status=BookingStatus.NO_SHOW).count() == 3
    assert not BookingRestriction.objects.exists()


def test_a_capacity_edit_reaches_slots_already_opened_and_keeps_their_bookings(schedule, monday, resident, other_resident):
    # capacity 4, walk-in 25 %: 1 place kept for walk-ins, 3 online.
    first, second = book(schedule, resident, monday), book(schedule, other_resident, monday)
    past = Slot.objects.create(schedule=schedule, date=dt.date.today() - dt.timedelta(days=1), start=T8,
                               end=T830, capacity=4, reserved=1, booked=4)
    schedule.capacity_per_slot, schedule.walkin_percent = 10, 20  # 2 kept, 8 online
    schedule.save()
    assert services.apply_capacity(schedule) == (1, 0)
    slot = Slot.objects.get(schedule=schedule, date=monday, start=T8)
    assert (slot.capacity, slot.reserved, slot.booked) == (10, 2, 2)
    free = {row["start"]: row["free"] for row in selectors.day_slots(schedule, monday)}
    assert free[T8] == 10 - 2 - 2
    past.refresh_from_db()
    assert (past.capacity, past.reserved) == (4, 1)  # the past is not rewritten

    # Down to 1 place: the two bookings stay valid, the slot takes no more.
    schedule.capacity_per_slot = 1
    schedule.save()
    assert services.apply_capacity(schedule) == (1, 1)
    slot.refresh_from_db()
    assert (slot.capacity, slot.reserved, slot.booked) == (2, 1, 2)
    for booking in (first, second):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.BOOKED
    with pytest.raises(services.SlotFull):
        services.hold(schedule, monday, T8, factories.resident())


def test_admin_capacity_edit_tells_what_it_changed(client, schedule, monday, resident):
    book(schedule, resident, monday)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    window = schedule.windows.get(weekday=0)
    data = {
        "office": schedule.office_id, "service": schedule.service_id, "visit": schedule.visit_id, "location": "",
        "slot_minutes": 30, "capacity_per_slot": 8, "walkin_percent": 25, "min_days_ahead": 1, "horizon_days": 60,
        "grace_minutes": 15, "is_active": "on",
        "windows-TOTAL_FORMS": 1, "windows-INITIAL_FORMS": 1, "windows-MIN_NUM_FORMS": 0, "windows-MAX_NUM_FORMS": 1000,
        "windows-0-id": window.pk, "windows-0-schedule": schedule.pk, "windows-0-weekday": 0,
        "windows-0-start": "08:00", "windows-0-end": "09:00",
    }
    response = client.post(f"/admin/antrean/counterschedule/{schedule.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert "berlaku juga untuk 1 slot" in response.content.decode()
    assert Slot.objects.get(schedule=schedule, date=monday, start=T8).capacity == 8


def test_admin_adding_a_holiday_on_a_booked_day_warns_first_then_cancels(client, schedule, monday, resident):
    booking = book(schedule, resident, monday)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    data = {"date": monday.isoformat(), "name": "Libur daerah HUT Kota", "kind": Holiday.Kind.LOCAL}
    response = client.post("/admin/organization/holiday/add/", data)
    assert response.status_code == 200 and "sudah ada 1 antrean loket" in response.content.decode()
    assert not Holiday.objects.filter(date=monday).exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED

    response = client.post("/admin/organization/holiday/add/", {**data, "confirm_cancel": "on"}, follow=True)
    assert response.status_code == 200 and "1 antrean dibatalkan" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.OFFICE_CLOSED
    # A day without bookings needs no confirmation.
    response = client.post("/admin/organization/holiday/add/",
                           {**data, "date": (monday + dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 302


def test_booking_admin_list_stays_flat_newest_day_first(client, schedule, monday, clerk):
    """The same queries for 10 bookings as for 200, a count capped at a page cap (never a full
    COUNT(*) of every booking of the office) and no scan for a date hierarchy."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n, first):
        for offset in range(n):
            day = first + dt.timedelta(days=offset)
            slot = Slot.objects.create(schedule=schedule, date=day, start=T8, end=T830, capacity=4, reserved=1, booked=1)
            Booking.objects.create(code=f"ANT-T{day:%y%m%d}", schedule=schedule, slot=slot, service=schedule.service,
                                   office=schedule.office, date=day, visitor_name="Warga", status=BookingStatus.DONE)

    client.force_login(clerk)

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/admin/antrean/booking/")
        assert response.status_code == 200
        return response, [q["sql"] for q in captured]

    add(10, monday)
    page()
    _response, few = page()
    add(190, monday + dt.timedelta(days=10))
    response, many = page()
    assert len(many) == len(few)
    counts = [sql for sql in many if "COUNT(" in sql.upper()]
    assert len(counts) == 1 and "LIMIT" in counts[0].upper()
    assert not any("DISTINCT" in sql.upper() for sql in many)
    newest = (monday + dt.timedelta(days=199)).strftime("%y%m%d")
    assert response.context["cl"].result_list[0].code == f"ANT-T{newest}"


def test_a_period_over_rolled_up_and_live_days_merges_counts_and_medians(schedule, monday, clerk):
    """Seen from Tuesday noon: Monday comes from the rollup (once the dashboards' fill has run),
    Tuesday from the bookings. Waits 10 and 30 on Monday, 20 on Tuesday: median 20."""
    from kupang_portal.dashboards import services as dashboards

    tuesday = monday + dt.timedelta(days=1)
    for day, waits in ((monday, (10, 30)), (tuesday, (20,))):
        for i, wait in enumerate(waits):
            booking = services.book_assisted(schedule, day, T8, clerk, visitor_name=f"Warga {i}", now=wita(day, "07:00"))
            services.check_in(booking, clerk, now=wita(day, "08:00"))
            services.start_service(booking, clerk, now=wita(day, "08:00") + dt.timedelta(minutes=wait))
    noon = wita(tuesday, "12:00")
    (row,) = selectors.visit_figures(monday, tuesday, group_by=("office",), now=noon)
    assert (row["booked"], row["wait_minutes"]) == (1, 20.0)  # Monday not rolled up yet: only Tuesday
    dashboards.fill_day(monday)
    (row,) = selectors.visit_figures(monday, tuesday, group_by=("office",), now=noon)
    assert (row["booked"], row["attended"], row["wait_minutes"], row["service_minutes"]) == (3, 3, 20.0, None)
    by_day = {r["date"]: r for r in selectors.visit_figures(monday, tuesday, now=noon)}
    assert by_day[monday]["wait_minutes"] == 20.0 and by_day[tuesday]["wait_minutes"] == 20.0  # (10+30)/2 and 20
