"""Pages: public quota, booking flow, ticket, PDF, cancel/reschedule, counter, assisted booking,
figures, the layanan includes; and the role x URL matrix (nobody reaches another's booking)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from antrean import services, tokens
from antrean.constants import BookingStatus
from antrean.models import Booking
from kupang_portal.accounts.roles import Role
from tests import factories
from tests.layanan.conftest import make_submitted

from .conftest import book, wita

pytestmark = pytest.mark.django_db


def test_public_quota_page_shows_free_places_without_login(client, schedule):
    from antrean import selectors

    monday = next(d["date"] for d in selectors.days_overview(schedule) if not d["closed"])  # first open day
    book(schedule, factories.resident(), monday)
    response = client.get(reverse("antrean:quota"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kuota tersisa" in html
    # 2 slots x 3 online places, one taken -> 5
    match = re.search(rf'data-testid="free-{schedule.pk}-{monday:%Y-%m-%d}">(?:<a[^>]*>)?(\d+)', html)
    assert match and match.group(1) == "5"
    assert client.get(reverse("antrean:quota") + "?layanan=ktp-el-baru&opd=xx<script>").status_code == 200


def test_booking_needs_login(client, schedule):
    response = client.get(reverse("antrean:book", args=[schedule.pk]))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_hold_confirm_ticket_pdf_flow(client, schedule, monday, resident):
    client.force_login(resident)
    url = reverse("antrean:book", args=[schedule.pk])
    assert client.get(url, {"tanggal": monday.isoformat()}).status_code == 200
    response = client.post(url, {"tanggal": monday.isoformat(), "jam": "08:00"})
    booking = Booking.objects.get(person=resident)
    assert response.status_code == 302 and response["Location"] == reverse("antrean:ticket", args=[booking.code])
    assert booking.status == BookingStatus.HELD
    page = client.get(response["Location"]).content.decode()
    assert "ditahan untuk Anda" in page
    response = client.post(reverse("antrean:ticket", args=[booking.code]), {"phone": "0812-3456-7001"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and booking.visitor_phone == "+6281234567001"
    ticket = client.get(reverse("antrean:ticket", args=[booking.code])).content.decode()
    assert booking.code in ticket and "<svg" in ticket and "Kartu Keluarga" in ticket
    pdf = client.get(reverse("antrean:ticket_pdf", args=[booking.code]))
    assert pdf["Content-Type"] == "application/pdf" and booking.code.encode() in pdf.content


def test_bad_input_gets_a_message_not_a_500(client, schedule, monday, resident):
    client.force_login(resident)
    url = reverse("antrean:book", args=[schedule.pk])
    for data in ({"tanggal": "kemarin", "jam": "08:00"}, {"tanggal": monday.isoformat()},
                 {"tanggal": monday.isoformat(), "jam": "07:13"}, {"tanggal": "2020-01-06", "jam": "08:00"}):
        response = client.post(url, data)
        assert response.status_code in (400, 409), data
    assert client.get(url, {"tanggal": "xx"}).status_code == 200
    assert client.get(reverse("antrean:book", args=[99999])).status_code == 404


def test_full_slot_answers_with_the_next_free_slot(client, schedule, monday, resident):
    for _ in range(3):
        book(schedule, factories.resident(), monday)
    client.force_login(resident)
    response = client.post(reverse("antrean:book", args=[schedule.pk]), {"tanggal": monday.isoformat(), "jam": "08:00"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "sudah penuh" in html and 'data-testid="suggestion"' in html and "08:30" in html


def test_cancel_and_reschedule_from_the_ticket(client, schedule, monday, resident):
    booking = book(schedule, resident, monday)
    client.force_login(resident)
    response = client.post(reverse("antrean:reschedule", args=[booking.code]), {"tanggal": monday.isoformat(), "jam": "08:30"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot.start == dt.time(8, 30)
    client.post(reverse("antrean:cancel", args=[booking.code]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_restricted_resident_sees_why_and_until_when(client, schedule, monday, resident):
    from django.utils import timezone

    from antrean.models import BookingRestriction

    BookingRestriction.objects.create(person=resident, reason="2 kali tidak hadir tanpa membatalkan",
                                      until=timezone.now() + dt.timedelta(days=30))
    client.force_login(resident)
    html = client.get(reverse("antrean:book", args=[schedule.pk])).content.decode()
    assert "dibatasi sampai" in html and "2 kali tidak hadir" in html
    response = client.post(reverse("antrean:book", args=[schedule.pk]), {"tanggal": monday.isoformat(), "jam": "08:00"})
    assert response.status_code == 400 and not Booking.objects.exists()


def test_counter_check_in_by_code_and_by_token(client, schedule, monday, resident, clerk, time_machine):
    time_machine.move_to(wita(monday, "07:30"))
    booking = services.book_assisted(schedule, monday, dt.time(8, 0), clerk, visitor_name="Orpa")
    client.force_login(clerk)
    page = client.get(reverse("antrean:counter"), {"q": booking.code.lower()})
    assert page.status_code == 200 and 'data-testid="checkin-booking"' in page.content.decode()
    assert 'name="q" value=""' in page.content.decode()  # empty again: the scanner types the next code
    page = client.get(reverse("antrean:counter"), {"q": tokens.make(booking)})
    assert booking.code in page.content.decode()
    assert client.get(reverse("antrean:counter"), {"q": "ANT-XXXXXXXX"}).status_code == 404
    for action, status in (("hadir", "checked_in"), ("dilayani", "serving"), ("selesai", "done")):
        response = client.post(reverse("antrean:counter_action", args=[booking.code, action]))
        assert response.status_code == 302
        booking.refresh_from_db()
        assert booking.status == status
    assert client.post(reverse("antrean:counter_action", args=[booking.code, "hapus"])).status_code == 404


def test_assisted_booking_is_recorded_as_such(client, schedule, monday, clerk):
    client.force_login(clerk)
    response = client.post(reverse("antrean:assisted"), {
        "schedule": schedule.pk, "tanggal": monday.isoformat(), "jam": "08:00", "visitor_name": "Orpa Nenobais",
        "visitor_phone": "0812 3456 7999", "application_number": ""})
    assert response.status_code == 302
    booking = Booking.objects.get(visitor_name="Orpa Nenobais")
    assert booking.channel == "assisted" and booking.booked_by == clerk and booking.person is None
    assert booking.visitor_phone == "+6281234567999"
    response = client.post(reverse("antrean:assisted"), {"schedule": schedule.pk, "tanggal": "x", "jam": "", "visitor_name": ""})
    assert response.status_code == 400


def test_service_page_and_application_page_show_the_visit(client, schedule, resident):
    html = client.get(reverse("layanan:service_detail", args=["ktp-el-baru"])).content.decode()
    assert 'data-testid="service-visits"' in html and "Perekaman biometrik" in html
    application = make_submitted(resident)
    client.force_login(resident)
    html = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="book-visit"' not in html  # submitted: the visit comes after verification
    application.status = "verified"
    application.save(update_fields=["status"])
    html = client.get(application.get_absolute_url()).content.decode()
    assert f'{reverse("antrean:book", args=[schedule.pk])}?permohonan={application.number}' in html


def test_figures_page_staff_only(client, schedule, clerk, resident):
    client.force_login(resident)
    assert client.get(reverse("antrean:figures")).status_code == 403
    client.force_login(clerk)
    html = client.get(reverse("antrean:figures")).content.decode()
    assert "Tingkat tidak hadir" in html
    assert client.get(reverse("antrean:figures"), {"dari": "2030-01-01", "sampai": "2020-01-01"}).status_code == 200


# --- Role x URL matrix ----------------------------------------------------------------------------
def _owner_urls(code):
    return [("get", reverse("antrean:ticket", args=[code])), ("get", reverse("antrean:ticket_pdf", args=[code])),
            ("post", reverse("antrean:cancel", args=[code])), ("get", reverse("antrean:reschedule", args=[code])),
            ("post", reverse("antrean:reschedule", args=[code]))]


@pytest.mark.parametrize("who", ["anonymous", "other_resident", "clerk", "clerk_other_office", "supervisor"])
def test_nobody_else_sees_or_changes_a_residents_booking(client, schedule, monday, resident, who, clerk, clerk_other_office):
    booking = book(schedule, resident, monday)
    users = {"other_resident": factories.resident(), "clerk": clerk, "clerk_other_office": clerk_other_office,
             "supervisor": factories.staff(Role.SUPERVISOR)}
    if who != "anonymous":
        client.force_login(users[who])
    for method, url in _owner_urls(booking.code):
        response = getattr(client, method)(url, {"tanggal": monday.isoformat(), "jam": "08:30"} if method == "post" else None)
        if who == "anonymous":
            assert response.status_code == 302 and "/akun/masuk/" in response["Location"], url
        else:
            assert response.status_code == 404, (who, url)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and booking.slot.start == dt.time(8, 0)


@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("resident", 403), ("supervisor", 403),
                                          ("clerk_other_office", 200), ("clerk", 200)])
def test_counter_pages_by_role(client, schedule, monday, resident, clerk, clerk_other_office, who, expected):
    booking = book(schedule, resident, monday)
    users = {"resident": resident, "clerk": clerk, "clerk_other_office": clerk_other_office,
             "supervisor": factories.staff(Role.SUPERVISOR)}
    if who != "anonymous":
        client.force_login(users[who])
    for name in ("antrean:counter", "antrean:assisted"):
        assert client.get(reverse(name)).status_code == expected, (who, name)
    lookup = client.get(reverse("antrean:counter"), {"q": booking.code})
    action = client.post(reverse("antrean:counter_action", args=[booking.code, "hadir"]))
    if who == "clerk":
        assert lookup.status_code == 200 and booking.visitor_name in lookup.content.decode()
    elif who == "clerk_other_office":
        # another office's clerk: not found, personal data not shown, no action possible
        assert lookup.status_code == 404 and booking.visitor_name not in lookup.content.decode()
        assert action.status_code == 404
    else:
        assert lookup.status_code == expected and action.status_code == expected
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED  # the booking is on a future day: nobody checked it in


def test_my_bookings_lists_only_mine(client, schedule, monday, resident, other_resident):
    mine = book(schedule, resident, monday)
    theirs = book(schedule, other_resident, monday)
    client.force_login(resident)
    html = client.get(reverse("antrean:my_bookings")).content.decode()
    assert mine.code in html and theirs.code not in html


def test_an_expired_hold_page_offers_to_choose_again(client, schedule, monday, resident):
    from django.utils import timezone

    held = services.hold(schedule, monday, dt.time(8, 0), resident, now=timezone.now() - dt.timedelta(minutes=30))
    services.release_expired_holds()
    client.force_login(resident)
    html = client.get(reverse("antrean:ticket", args=[held.code])).content.decode()
    assert 'data-testid="rebook-link"' in html and "<svg" not in html
    assert client.get(reverse("antrean:ticket_pdf", args=[held.code])).status_code == 404
