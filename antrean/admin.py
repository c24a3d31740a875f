"""Admin for counter configuration, closures, bookings and booking limits (thin: rules in services)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kupang_portal.core.admin_lookups import DeclaredLookupsOnly
from kupang_portal.organization.admin import HolidayAdmin
from kupang_portal.organization.models import Holiday, Office
from kupang_portal.workflow.admin import CappedCountPaginator
from layanan.models import Service

from . import selectors, services
from .models import Booking, BookingRestriction, ClosedDay, CounterSchedule, CounterWindow, VisitRequirement


class NotFoundOutsideScope:
    """A row outside the staff member's scope (or none at all) is a 404 on its change and history
    pages (Django's default redirects to the admin home with a message naming the id)."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


class OfficeScopedAdmin(NotFoundOutsideScope, DeclaredLookupsOnly, admin.ModelAdmin):
    """Office staff see only their offices' rows; city-wide users see all."""

    office_path = "office_id"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        office_ids = selectors.staff_office_ids(request.user)
        if office_ids is None or request.user.is_city_wide:
            return rows
        return rows.filter(**{f"{self.office_path}__in": office_ids})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The office and counter choices of a form: the staff member's own offices only (a head
        must not close, or move a schedule to, another office's counters)."""
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        office_ids = selectors.staff_office_ids(request.user)
        if field is None or office_ids is None or request.user.is_city_wide:
            return field
        if db_field.related_model is Office:
            field.queryset = field.queryset.filter(pk__in=office_ids)
        elif db_field.related_model is CounterSchedule:
            field.queryset = field.queryset.filter(office_id__in=office_ids)
        elif db_field.related_model is Service:  # the services their offices give (or take a step of)
            field.queryset = field.queryset.filter(Q(office_id__in=office_ids) | Q(steps__office_id__in=office_ids)).distinct()
        return field


@admin.register(VisitRequirement)
class VisitRequirementAdmin(DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["service", "step", "label", "is_active"]
    list_filter = ["step", "is_active"]
    autocomplete_fields = ["service"]


class CounterWindowInline(admin.TabularInline):
    model = CounterWindow
    extra = 1


@admin.register(CounterSchedule)
class CounterScheduleAdmin(OfficeScopedAdmin):
    list_display = ["office", "service", "visit", "slot_minutes", "capacity_per_slot", "walkin_percent", "horizon_days", "is_active"]
    list_filter = ["office", "is_active"]
    inlines = [CounterWindowInline]
    autocomplete_fields = ["service"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or not {"capacity_per_slot", "walkin_percent"} & set(form.changed_data):
            return
        updated, over = services.apply_capacity(obj)
        if updated:
            messages.info(request, ngettext(
                "Kapasitas baru berlaku juga untuk %(count)d slot yang sudah dibuka (hari ini dan seterusnya).",
                "Kapasitas baru berlaku juga untuk %(count)d slot yang sudah dibuka (hari ini dan seterusnya).",
                updated) % {"count": updated})
        if over:
            messages.warning(request, ngettext(
                "%(count)d slot sudah berisi lebih banyak antrean daripada kapasitas baru: antrean yang ada tetap berlaku, slot itu tidak menerima pemesanan baru.",
                "%(count)d slot sudah berisi lebih banyak antrean daripada kapasitas baru: antrean yang ada tetap berlaku, slot itu tidak menerima pemesanan baru.",
                over) % {"count": over})


class ClosedDayForm(forms.ModelForm):
    confirm_cancel = forms.BooleanField(
        label=_("Ya, batalkan antrean pada hari itu dan beri tahu setiap warga"), required=False)

    class Meta:
        model = ClosedDay
        fields = ["office", "schedule", "date", "reason", "confirm_cancel"]

    def clean(self):
        data = super().clean()
        office, day = data.get("office"), data.get("date")
        schedule = data.get("schedule")
        if office and schedule and schedule.office_id != office.pk:
            self.add_error("schedule", _("Loket ini bukan milik OPD yang dipilih."))
            return data
        if office and day:
            count = services.bookings_on(office, day, data.get("schedule")).count()
            if count and not data.get("confirm_cancel"):
                raise forms.ValidationError(ngettext(
                    "Peringatan: sudah ada %(count)d antrean pada hari itu. Centang konfirmasi untuk membatalkannya; setiap warga menerima pemberitahuan dengan tautan pemesanan ulang.",
                    "Peringatan: sudah ada %(count)d antrean pada hari itu. Centang konfirmasi untuk membatalkannya; setiap warga menerima pemberitahuan dengan tautan pemesanan ulang.",
                    count) % {"count": count})
        return data


@admin.register(ClosedDay)
class ClosedDayAdmin(OfficeScopedAdmin):
    form = ClosedDayForm
    list_display = ["date", "office", "schedule", "reason", "created_by"]
    list_filter = ["office"]

    def has_change_permission(self, request, obj=None):
        return False  # a closure is final; open the day again by deleting it (admin only)

    def save_model(self, request, obj, form, change):
        cancelled = services.close_day(obj.office, obj.date, obj.reason, request.user, schedule=obj.schedule, record=False)
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if cancelled:
            messages.warning(request, ngettext("%(count)d antrean dibatalkan dan warganya diberi tahu.",
                                               "%(count)d antrean dibatalkan dan warganya diberi tahu.", cancelled) % {"count": cancelled})


class HolidayForm(forms.ModelForm):
    """A holiday closes every counter that day (antrean.apps): with bookings on that day, the
    admin confirms first, as for a closed day."""

    confirm_cancel = forms.BooleanField(
        label=_("Ya, batalkan antrean pada hari itu dan beri tahu setiap warga"), required=False)

    class Meta:
        model = Holiday
        fields = ["date", "name", "kind", "confirm_cancel"]

    def clean(self):
        data = super().clean()
        day = data.get("date")
        self.bookings_cancelled = services.bookings_on(None, day).count() if day else 0
        if self.bookings_cancelled and not data.get("confirm_cancel"):
            raise forms.ValidationError(ngettext(
                "Peringatan: sudah ada %(count)d antrean loket pada hari itu. Hari libur menutup semua loket: centang konfirmasi untuk membatalkannya; setiap warga menerima pemberitahuan dengan tautan pemesanan ulang.",
                "Peringatan: sudah ada %(count)d antrean loket pada hari itu. Hari libur menutup semua loket: centang konfirmasi untuk membatalkannya; setiap warga menerima pemberitahuan dengan tautan pemesanan ulang.",
                self.bookings_cancelled) % {"count": self.bookings_cancelled})
        return data


admin.site.unregister(Holiday)


@admin.register(Holiday)
class HolidayWithBookingsAdmin(HolidayAdmin):
    """The calendar's Holiday admin, plus the confirmation above (the organization app does not
    know about counters)."""

    form = HolidayForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # the post_save handler cancels the bookings
        if form.bookings_cancelled:
            messages.warning(request, ngettext("%(count)d antrean dibatalkan dan warganya diberi tahu.",
                                               "%(count)d antrean dibatalkan dan warganya diberi tahu.",
                                               form.bookings_cancelled) % {"count": form.bookings_cancelled})


@admin.register(Booking)
class BookingAdmin(OfficeScopedAdmin):
    list_display = ["code", "date", "slot", "service", "office", "visitor_name", "channel", "status"]
    list_filter = ["status", "channel", "office", "date"]
    search_fields = ["code", "visitor_name", "application__number"]
    list_select_related = ["slot", "service", "office"]
    # A city's counters book ~100k visits a year: the newest day first over the (office, date)
    # index, one capped count instead of two full COUNT(*)s, and no date hierarchy (its
    # SELECT DISTINCT date_trunc read every booking of the office); the date filter stays.
    ordering = ["-date", "slot__start", "pk"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Cabut pembatasan (override petugas)"))
def lift(modeladmin, request, queryset):
    lifted = sum(services.lift_restriction(r, request.user, note=str(_("dicabut lewat admin"))) for r in queryset)
    modeladmin.message_user(request, _("%(count)d pembatasan dicabut.") % {"count": lifted}, messages.SUCCESS)


@admin.register(BookingRestriction)
class BookingRestrictionAdmin(NotFoundOutsideScope, DeclaredLookupsOnly, admin.ModelAdmin):
    list_display = ["person", "reason", "until", "lifted_at", "lifted_by"]
    list_filter = ["lifted_at"]
    search_fields = ["person__username", "person__first_name", "person__last_name"]
    actions = [lift]
    fields = ["person", "reason", "until", "lifted_at", "lifted_by", "lift_note"]
    readonly_fields = ["person", "reason", "until", "lifted_at", "lifted_by"]

    def get_queryset(self, request):
        # A clerk sees (and lifts) the restrictions of residents who booked at their offices only.
        return selectors.restrictions_for_staff(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False
