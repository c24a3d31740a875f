"""Pages of the antrean app. Thin: parse the request, call services/selectors, render."""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kupang_portal.accounts.roles import Role
from kupang_portal.core import ratelimit
from layanan.models import Application, Service

from . import selectors, services, tickets, tokens
from .constants import BookingStatus
from .forms import AssistedBookingForm, CheckInForm, ConfirmForm, SlotChoiceForm
from .models import CounterSchedule

MAX_HOLDS_PER_HOUR = 20


def _parse_day(value):
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


@require_GET
def quota(request):
    """Public: free places ("kuota tersisa") of the coming days per office and service."""
    service = None
    slug = request.GET.get("layanan", "").strip()[:60]
    if slug:
        service = Service.objects.published().filter(slug=slug).first()
    schedules = selectors.public_schedules(service=service)
    code = request.GET.get("opd", "").strip()[:40]
    if code:
        schedules = schedules.filter(office__code=code)
    all_schedules = selectors.public_schedules()
    return render(request, "antrean/quota.html", {
        "overview": selectors.quota_overview(schedules), "service": service, "office_code": code,
        "services": sorted({s.service for s in all_schedules}, key=lambda s: s.name), "slug": slug,
    })


def _own_application(request, number):
    if not number:
        return None
    return Application.objects.filter(number=number.strip().upper()[:30], applicant=request.user).first()


def _picker_context(schedule, day, now=None):
    days = selectors.days_overview(schedule, now)
    chosen = next((d for d in days if d["date"] == day), None)
    if chosen is None:
        chosen = next((d for d in days if not d["closed"] and d["free"]), None)
    suggestion = None
    if chosen is not None and (chosen["closed"] or chosen["free"] == 0):
        suggestion = selectors.next_free_slot(schedule, chosen["date"], now=now)
    return {"days": days, "chosen": chosen, "suggestion": suggestion}


@login_required
def book(request, schedule_id):
    schedule = get_object_or_404(selectors.public_schedules(), pk=schedule_id)
    application = _own_application(request, request.POST.get("permohonan") or request.GET.get("permohonan"))
    if application is not None and application.service_id != schedule.service_id:
        application = None
    restriction = selectors.active_restriction(request.user)
    error = None
    if request.method == "POST":
        form = SlotChoiceForm(request.POST)
        if restriction is not None:
            error = selectors.restriction_message(restriction)
        elif form.is_valid():
            key = ratelimit.cache_key("antrean-hold", request.user.pk)
            if ratelimit.hit(key, 3600) > MAX_HOLDS_PER_HOUR:
                error = _("Terlalu banyak percobaan pemesanan. Coba lagi dalam satu jam.")
            else:
                try:
                    booking = services.hold(schedule, form.cleaned_data["tanggal"], form.cleaned_data["jam"], request.user,
                                            application=application)
                except services.BookingError as exc:
                    error = exc.message
                    day = form.cleaned_data["tanggal"]
                    context = _picker_context(schedule, day)
                    context["suggestion"] = exc.next_free
                    return _render_book(request, schedule, application, context, error, restriction, status=409)
                return redirect("antrean:ticket", booking.code)
        else:
            error = next(iter(form.errors.values()))[0]
        day = _parse_day(request.POST.get("tanggal"))
    else:
        day = _parse_day(request.GET.get("tanggal"))
    return _render_book(request, schedule, application, _picker_context(schedule, day), error, restriction,
                        status=400 if error else 200)


def _render_book(request, schedule, application, context, error, restriction, status=200):
    return render(request, "antrean/book.html", {
        "schedule": schedule, "application": application, "error": error, "restriction": restriction,
        "restriction_message": selectors.restriction_message(restriction) if restriction else "", **context,
    }, status=status)


@login_required
@require_GET
def my_bookings(request):
    restriction = selectors.active_restriction(request.user)
    return render(request, "antrean/my_bookings.html", {
        "bookings": selectors.bookings_of(request.user), "restriction": restriction,
        "restriction_message": selectors.restriction_message(restriction) if restriction else "",
    })


@login_required
def ticket(request, code):
    booking = selectors.booking_for_owner(request.user, code)
    if booking.status == BookingStatus.HELD and request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.confirm(booking, request.user, visitor_phone=form.cleaned_data["phone"] or booking.visitor_phone)
            except services.BookingError as exc:
                messages.error(request, exc.message)
                return redirect("antrean:book", booking.schedule_id)
            messages.success(request, _("Antrean Anda terjadwal. Tiket juga dikirim lewat notifikasi."))
            return redirect("antrean:ticket", booking.code)
    elif request.method == "POST":
        return redirect("antrean:ticket", booking.code)
    else:
        form = ConfirmForm(initial={"phone": booking.visitor_phone})
    return render(request, "antrean/ticket.html", {
        "booking": booking, "form": form, "token": tokens.make(booking), "bring": tickets.documents_to_bring(booking),
        "can_change": services.can_change(booking), "change_deadline": services.change_deadline(booking),
        "qr_svg": _qr_svg(booking),
    })


def _qr_svg(booking):
    import segno

    return segno.make(tokens.make(booking), error="m").svg_inline(scale=5, title=booking.code)


@login_required
@require_GET
def ticket_pdf(request, code):
    booking = selectors.booking_for_owner(request.user, code)
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.SERVING, BookingStatus.DONE):
        raise Http404(_("Antrean ini tidak aktif."))
    response = HttpResponse(tickets.render_ticket(booking), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tiket-{booking.code}.pdf"'
    return response


@login_required
@require_POST
def cancel(request, code):
    booking = selectors.booking_for_owner(request.user, code)
    try:
        services.cancel(booking, request.user, reason=_("dibatalkan warga"))
    except services.BookingError as exc:
        messages.error(request, exc.message)
        return redirect("antrean:ticket", booking.code)
    messages.success(request, _("Antrean %(code)s dibatalkan; tempatnya kembali ke kuota.") % {"code": booking.code})
    return redirect("antrean:my_bookings")


@login_required
def reschedule(request, code):
    booking = selectors.booking_for_owner(request.user, code)
    if not services.can_change(booking):
        messages.error(request, _("Antrean ini sudah tidak dapat diubah."))
        return redirect("antrean:ticket", booking.code)
    error = None
    day = _parse_day(request.GET.get("tanggal"))
    if request.method == "POST":
        form = SlotChoiceForm(request.POST)
        day = _parse_day(request.POST.get("tanggal"))
        if form.is_valid():
            try:
                services.reschedule(booking, request.user, form.cleaned_data["tanggal"], form.cleaned_data["jam"])
            except services.BookingError as exc:
                context = _picker_context(booking.schedule, day)
                context["suggestion"] = exc.next_free
                return render(request, "antrean/reschedule.html", {"booking": booking, "error": exc.message, **context}, status=409)
            messages.success(request, _("Jadwal antrean %(code)s diubah.") % {"code": booking.code})
            return redirect("antrean:ticket", booking.code)
        error = next(iter(form.errors.values()))[0]
    return render(request, "antrean/reschedule.html", {
        "booking": booking, "error": error, **_picker_context(booking.schedule, day)}, status=400 if error else 200)


# --- Counter staff --------------------------------------------------------------------------------
def counter_staff(view):
    """Clerks and office heads of an office (and superusers); anyone else is refused."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_staff or not (user.is_superuser or user.office_ids([Role.CLERK, Role.OFFICE_HEAD])):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@counter_staff
def counter(request):
    form = CheckInForm(request.GET or None)
    booking = None
    searched = False
    if form.is_valid():
        searched = True
        booking = selectors.find_for_staff(request.user, form.cleaned_data["q"])
        if booking is None:
            messages.error(request, _("Antrean tidak ditemukan di loket Anda. Periksa kode atau pindai ulang."))
    today = selectors.local_today()
    return render(request, "antrean/counter.html", {
        "form": form, "booking": booking, "searched": searched, "today": today,
        "today_list": selectors.office_day(request.user, today),
        "bring": tickets.documents_to_bring(booking) if booking else [],
    }, status=404 if searched and booking is None else 200)


COUNTER_ACTIONS = {"hadir": services.check_in, "dilayani": services.start_service, "selesai": services.finish_service}


@counter_staff
@require_POST
def counter_action(request, code, action):
    if action not in COUNTER_ACTIONS:
        raise Http404
    booking = selectors.bookings_for_staff(request.user).filter(code=code.upper()[:12]).first()
    if booking is None:
        raise Http404(_("Antrean tidak ditemukan."))
    try:
        COUNTER_ACTIONS[action](booking, request.user)
    except services.BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(code)s: %(status)s.") % {"code": booking.code, "status": booking.get_status_display()})
    return redirect(f"{reverse('antrean:counter')}?q={booking.code}")


def _staff_schedules(user):
    rows = CounterSchedule.objects.filter(is_active=True).select_related("office", "service", "visit").prefetch_related("windows")
    office_ids = selectors.staff_office_ids(user)
    return rows if office_ids is None else rows.filter(office_id__in=office_ids)


@counter_staff
def assisted(request):
    schedules = list(_staff_schedules(request.user))
    form = AssistedBookingForm(request.POST or None, schedules=schedules)
    suggestion = None
    if request.method == "POST" and form.is_valid():
        schedule = next(s for s in schedules if s.pk == form.cleaned_data["schedule"])
        application = None
        number = form.cleaned_data["application_number"].strip().upper()
        if number:
            application = Application.objects.filter(number=number, office_id=schedule.office_id).first() or \
                Application.objects.filter(number=number, service__office_id=schedule.office_id).first()
            if application is None:
                form.add_error("application_number", _("Permohonan tidak ditemukan di OPD ini."))
        if form.is_valid():
            try:
                booking = services.book_assisted(
                    schedule, form.cleaned_data["tanggal"], form.cleaned_data["jam"], request.user,
                    visitor_name=form.cleaned_data["visitor_name"], visitor_phone=form.cleaned_data["visitor_phone"],
                    application=application)
            except services.BookingError as exc:
                form.add_error(None, exc.message)
                suggestion = exc.next_free
            else:
                messages.success(request, _("Antrean %(code)s dibuat atas nama %(name)s.") % {
                    "code": booking.code, "name": booking.visitor_name})
                return redirect(f"{reverse('antrean:counter')}?q={booking.code}")
    return render(request, "antrean/assisted.html", {"form": form, "schedules": schedules, "suggestion": suggestion},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def figures(request):
    """Staff page of the counter figures (office staff: own offices; city supervisors: all)."""
    user = request.user
    if not user.is_staff:
        raise PermissionDenied
    office_ids = None if (user.is_superuser or user.has_role(Role.SUPERVISOR)) else user.office_ids()
    today = selectors.local_today()
    first = _parse_day(request.GET.get("dari")) or today - dt.timedelta(days=30)
    last = _parse_day(request.GET.get("sampai")) or today + dt.timedelta(days=30)
    if (last - first).days > 366 or last < first:
        first, last = today - dt.timedelta(days=30), today
    return render(request, "antrean/figures.html", {
        "rows": selectors.visit_figures(first, last, office_ids), "first": first, "last": last,
        "totals": selectors.visit_figures(first, last, office_ids, group_by=("office",)),
    })
