"""Admin for counter configuration, closures, bookings and booking limits (thin: rules in services)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .models import Booking, BookingRestriction, ClosedDay, CounterSchedule, CounterWindow, VisitRequirement


class OfficeScopedAdmin(admin.ModelAdmin):
    """Office staff see only their offices' rows; city-wide users see all."""

    office_path = "office_id"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        office_ids = selectors.staff_office_ids(request.user)
        if office_ids is None or request.user.is_city_wide:
            return rows
        return rows.filter(**{f"{self.office_path}__in": office_ids})


@admin.register(VisitRequirement)
class VisitRequirementAdmin(admin.ModelAdmin):
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


class ClosedDayForm(forms.ModelForm):
    confirm_cancel = forms.BooleanField(
        label=_("Ya, batalkan antrean pada hari itu dan beri tahu setiap warga"), required=False)

    class Meta:
        model = ClosedDay
        fields = ["office", "schedule", "date", "reason", "confirm_cancel"]

    def clean(self):
        data = super().clean()
        office, day = data.get("office"), data.get("date")
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


@admin.register(Booking)
class BookingAdmin(OfficeScopedAdmin):
    list_display = ["code", "date", "slot", "service", "office", "visitor_name", "channel", "status"]
    list_filter = ["status", "channel", "office", "date"]
    search_fields = ["code", "visitor_name", "application__number"]
    date_hierarchy = "date"
    list_select_related = ["slot", "service", "office"]

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
class BookingRestrictionAdmin(admin.ModelAdmin):
    list_display = ["person", "reason", "until", "lifted_at", "lifted_by"]
    list_filter = ["lifted_at"]
    search_fields = ["person__username", "person__first_name", "person__last_name"]
    actions = [lift]
    fields = ["person", "reason", "until", "lifted_at", "lifted_by", "lift_note"]
    readonly_fields = ["person", "reason", "until", "lifted_at", "lifted_by"]

    def has_add_permission(self, request):
        return False
